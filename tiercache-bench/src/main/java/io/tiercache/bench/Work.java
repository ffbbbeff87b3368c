package io.tiercache.bench;

/**
 * The functions every cache of the comparison benchmarks wraps: cheap and pure, so that a
 * benchmark measures the cache, not the work. The same functions for every peer.
 */
public final class Work {
  private Work() {}

  /** The two-argument function of the hit benchmarks. */
  public static Long add(Long a, Long b) {
    return a + b;
  }

  /** The one-argument function of the scenario benchmarks (miss, eviction, expiry...). */
  public static Long compute(Long n) {
    return n * 31 + 7;
  }
}
