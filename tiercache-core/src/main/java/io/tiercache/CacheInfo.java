package io.tiercache;

/**
 * Statistics of one cached function, exactly as lru2cache's {@code cache_info()}.
 *
 * <p>Every call counts once in {@code l1Hits} or {@code l1Misses}; every L1 miss then counts once in
 * {@code l2Hits} or {@code l2Misses} (a function with no L2 counts its computations as L2 misses).
 * Callers that join a computation already in flight for the same arguments count as L1 hits.
 *
 * @param l1Hits calls answered from this process's L1, or by joining an in-flight computation
 * @param l1Misses calls that found nothing in L1
 * @param l2Hits L1 misses answered from the shared L2
 * @param l2Misses L1 misses that computed the value (including L2 failures and undecodable entries)
 * @param l1MaxSize the L1 bound, {@link #UNBOUNDED} when L1 can grow without bound, 0 when L1 is off
 * @param l1CurrSize live L1 entries; expired entries are never counted
 */
public record CacheInfo(long l1Hits, long l1Misses, long l2Hits, long l2Misses, long l1MaxSize, long l1CurrSize) {

  /** The {@link #l1MaxSize()} of an L1 that has no bound (lru2cache's {@code l1_maxsize=None}). */
  public static final long UNBOUNDED = -1;

  /**
   * True when L1 has no size bound.
   *
   * @return true if L1 grows without a size bound
   */
  public boolean isL1Unbounded() {
    return l1MaxSize == UNBOUNDED;
  }
}
