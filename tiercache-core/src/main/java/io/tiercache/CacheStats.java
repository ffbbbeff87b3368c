package io.tiercache;

/**
 * Cumulative statistics of one cached function in this process, counted since the function was
 * built. Unlike {@link CacheInfo}, which {@code cacheClear()} resets as lru2cache's
 * {@code cache_clear()} does, these counts never go down, which is what monitoring needs: a meter
 * built on them (a Micrometer {@code FunctionCounter}, a Prometheus counter) only ever grows.
 *
 * <p>The first four count exactly what {@link CacheInfo} counts: {@code cacheInfo()} is these
 * counts minus the counts at the last {@code cacheClear()}.
 *
 * @param l1Hits calls answered from this process's L1, or by joining an in-flight computation
 * @param l1Misses calls that found nothing in L1
 * @param l2Hits L1 misses answered from the shared L2
 * @param l2Misses L1 misses that computed the value (including L2 failures and undecodable entries)
 * @param l1Puts entries stored in L1 (read from L2 or computed); a value an invalidation kept out
 *     is not counted
 * @param l1Evictions entries L1 removed to keep its size bound or because their lifetime ended
 *     (not those removed by invalidations or {@code cacheClear()})
 * @param l2Puts L2 writes of computed values started by this process (a write that then failed is
 *     also counted in {@code l2Errors})
 * @param l2Errors L2 operations that failed or read unusable data, as
 *     {@link CacheHandle#l2ErrorCount()} counts them
 */
public record CacheStats(long l1Hits, long l1Misses, long l2Hits, long l2Misses,
    long l1Puts, long l1Evictions, long l2Puts, long l2Errors) {

  /** The statistics of a function that has done nothing yet. */
  public static final CacheStats NONE = new CacheStats(0, 0, 0, 0, 0, 0, 0, 0);

  /**
   * Calls made: L1 hits and L1 misses.
   *
   * @return {@code l1Hits + l1Misses}
   */
  public long calls() {
    return l1Hits + l1Misses;
  }
}
