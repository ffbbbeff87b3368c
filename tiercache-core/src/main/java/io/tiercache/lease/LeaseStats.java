package io.tiercache.lease;

/**
 * What the lease of one cached function did in this process, beside its {@code CacheInfo} (whose
 * shape stays lru2cache's). Every L2 miss of a function with a lease counts once in {@code leads}
 * or {@code waits}, or not at all if the lease could not be asked for (L2 trouble, counted in
 * {@code failures}); every wait ends in exactly one of {@code waitHits}, {@code takeovers},
 * {@code timeouts} or {@code failures}.
 *
 * @param leads misses that took the lease at once and computed
 * @param waits misses that found the lease held by another and waited
 * @param waitHits waits answered by the holder's result, read from L2 (counted as L2 hits)
 * @param takeovers waits that took the lease after the holder released it without a result (it
 *     failed, or its result is not cached) or after it expired, and computed
 * @param timeouts waits that gave up after the lease's {@code wait} (or were interrupted) and
 *     computed
 * @param failures lease operations that failed and waits ended by a failed read (L2 down, slow,
 *     refusing), each answered by computing
 */
public record LeaseStats(long leads, long waits, long waitHits, long takeovers, long timeouts, long failures) {
  /** The statistics of a function without a lease. */
  public static final LeaseStats NONE = new LeaseStats(0, 0, 0, 0, 0, 0);
}
