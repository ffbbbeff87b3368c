package io.tiercache;

/**
 * What every cached function offers beside calling it: its name, statistics and clearing.
 */
public interface CacheHandle {

  /**
   * The function's name: its identity inside the L2 keys of this namespace.
   *
   * @return the function's name
   */
  String name();

  /**
   * A snapshot of this function's statistics in this process.
   *
   * @return the hits, misses and sizes counted so far, at the time of the call
   */
  CacheInfo cacheInfo();

  /**
   * This function's statistics in this process since it was built, for monitoring: the counts of
   * {@link #cacheInfo()} and more, which {@link #cacheClear()} never resets, so they only grow.
   *
   * @return the cumulative counts, at the time of the call
   */
  CacheStats stats();

  /**
   * Empties this function's L1 and resets its statistics ({@link #cacheInfo()} and
   * {@link #leaseStats()}; {@link #stats()} and {@link #leaseTotals()} keep counting). L2 is shared with other processes and
   * is left as it is; use {@code invalidate} for entries or clear the backend itself.
   */
  void cacheClear();

  /**
   * How many L2 operations of this function failed or read unusable data (timeouts, connection
   * errors, corrupt, foreign or expired-format entries). Each was answered by computing instead.
   *
   * @return the number of failed or unusable L2 operations since the function was built
   */
  long l2ErrorCount();

  /**
   * What this function's stampede lease did in this process (see
   * {@code CachedFunctionBuilder.lease}): misses that led, waited, got the leader's result, took
   * over, timed out. {@link io.tiercache.lease.LeaseStats#NONE} for a function without a lease.
   *
   * @return the counts of the lease's outcomes so far
   */
  default io.tiercache.lease.LeaseStats leaseStats() {
    return io.tiercache.lease.LeaseStats.NONE;
  }

  /**
   * What this function's stampede lease did in this process since the function was built: the
   * counts of {@link #leaseStats()}, which {@link #cacheClear()} never resets, for monitoring.
   *
   * @return the cumulative counts of the lease's outcomes
   */
  default io.tiercache.lease.LeaseStats leaseTotals() {
    return io.tiercache.lease.LeaseStats.NONE;
  }
}
