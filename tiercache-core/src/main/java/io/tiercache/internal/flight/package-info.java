/**
 * Single-flight: concurrent callers of one key share one computation. Internal.
 */
package io.tiercache.internal.flight;
