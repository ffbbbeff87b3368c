package io.tiercache.internal.stats;

import io.tiercache.CacheInfo;
import io.tiercache.CacheStats;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters of one cached function. Striped ({@link LongAdder}) so concurrent hits do not
 * contend on one cache line, and exact: every increment is counted. They only grow
 * ({@link #stats}); {@link #reset} takes a baseline that {@link #snapshot} subtracts, so
 * {@code cacheClear()} resets {@link CacheInfo} without making a meter go backwards.
 */
public final class CacheCounters {
  private final LongAdder l1Hits = new LongAdder();
  private final LongAdder l1Misses = new LongAdder();
  private final LongAdder l2Hits = new LongAdder();
  private final LongAdder l2Misses = new LongAdder();
  private final LongAdder l1Puts = new LongAdder();
  private final LongAdder l2Puts = new LongAdder();
  /** The hit and miss counts at the last {@link #reset} (sizes unused). */
  private volatile CacheInfo baseline = new CacheInfo(0, 0, 0, 0, 0, 0);

  /** Counts a call answered from L1 or by joining a computation in flight. */
  public void l1Hit() {
    l1Hits.increment();
  }

  /** Counts a call that found nothing in L1. */
  public void l1Miss() {
    l1Misses.increment();
  }

  /** Counts an L1 miss answered from L2. */
  public void l2Hit() {
    l2Hits.increment();
  }

  /** Counts an L1 miss that computed. */
  public void l2Miss() {
    l2Misses.increment();
  }

  /** Counts an entry stored in L1. */
  public void l1Put() {
    l1Puts.increment();
  }

  /** Counts an L2 write of a computed value. */
  public void l2Put() {
    l2Puts.increment();
  }

  /** Makes {@link #snapshot} count from zero again; {@link #stats} is untouched. */
  public void reset() {
    baseline = new CacheInfo(l1Hits.sum(), l1Misses.sum(), l2Hits.sum(), l2Misses.sum(), 0, 0);
  }

  /** The counts since the last {@link #reset}, with the L1 bound and size, as a {@link CacheInfo}. */
  public CacheInfo snapshot(long l1MaxSize, long l1CurrSize) {
    CacheInfo at = baseline;
    return new CacheInfo(l1Hits.sum() - at.l1Hits(), l1Misses.sum() - at.l1Misses(),
        l2Hits.sum() - at.l2Hits(), l2Misses.sum() - at.l2Misses(), l1MaxSize, l1CurrSize);
  }

  /**
   * The counts since the counters were made, with the counts kept elsewhere.
   *
   * @param l1Evictions the L1 store's evictions
   * @param l2Errors the function's L2 errors
   */
  public CacheStats stats(long l1Evictions, long l2Errors) {
    return new CacheStats(l1Hits.sum(), l1Misses.sum(), l2Hits.sum(), l2Misses.sum(), l1Puts.sum(),
        l1Evictions, l2Puts.sum(), l2Errors);
  }
}
