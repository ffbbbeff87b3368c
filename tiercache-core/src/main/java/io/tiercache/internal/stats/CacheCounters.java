package io.tiercache.internal.stats;

import io.tiercache.CacheInfo;
import java.util.concurrent.atomic.LongAdder;

/**
 * The hit and miss counters of one cached function. Striped ({@link LongAdder}) so concurrent hits
 * do not contend on one cache line, and exact: every increment is counted.
 */
public final class CacheCounters {
  private final LongAdder l1Hits = new LongAdder();
  private final LongAdder l1Misses = new LongAdder();
  private final LongAdder l2Hits = new LongAdder();
  private final LongAdder l2Misses = new LongAdder();

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

  /** Sets every counter to zero. */
  public void reset() {
    l1Hits.reset();
    l1Misses.reset();
    l2Hits.reset();
    l2Misses.reset();
  }

  /** The counters with the L1 bound and size, as a {@link CacheInfo}. */
  public CacheInfo snapshot(long l1MaxSize, long l1CurrSize) {
    return new CacheInfo(l1Hits.sum(), l1Misses.sum(), l2Hits.sum(), l2Misses.sum(), l1MaxSize, l1CurrSize);
  }
}
