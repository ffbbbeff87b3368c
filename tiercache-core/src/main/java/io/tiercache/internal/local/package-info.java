/**
 * L1: the in-process store of one cached function. Internal: not part of the public API.
 */
package io.tiercache.internal.local;
