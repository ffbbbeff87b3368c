package io.tiercache;

/**
 * What every cached function offers beside calling it: its name, statistics and clearing.
 */
public interface CacheHandle {

  /** The function's name: its identity inside the L2 keys of this namespace. */
  String name();

  /** A snapshot of this function's statistics in this process. */
  CacheInfo cacheInfo();

  /**
   * Empties this function's L1 and resets its statistics. L2 is shared with other processes and
   * is left as it is; use {@code invalidate} for entries or clear the backend itself.
   */
  void cacheClear();

  /**
   * How many L2 operations of this function failed or read unusable data (timeouts, connection
   * errors, corrupt, foreign or expired-format entries). Each was answered by computing instead.
   */
  long l2ErrorCount();
}
