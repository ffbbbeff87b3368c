/**
 * Per-function statistics counters. Internal.
 */
package io.tiercache.stats;
