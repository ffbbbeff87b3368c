package io.tiercache.internal.engine;

import io.tiercache.backend.Backend;
import java.util.Collection;

/**
 * What the registry's invalidations need of a cached function, whatever its kind: they reach every
 * registered engine through this view, so a new kind of engine joins them by implementing it.
 */
interface RegisteredEngine {

  /** The function's name. */
  String name();

  /** The function's statistics in this process. */
  io.tiercache.CacheInfo cacheInfo();

  /** The handle of the function, or null while it is being built. */
  io.tiercache.CacheHandle handle();

  /** The function's L2, or null for an L1-only function. */
  Backend backend();

  /** Drops the L1 entries stamped with any of {@code tagKeys}; returns how many. */
  int dropTagged(Collection<String> tagKeys);

  /**
   * Drops the L1 entry stored under the L2 key {@code l2Key}: an explicit key (declarative
   * entries) or a default key (found by its hash where L1 indexes entries by L2 key hash).
   */
  boolean dropL2Key(String l2Key);

  /**
   * Drops the L1 entry whose L2 key has hash {@code l2Hash} (see {@link KeyHash}): how another
   * process's invalidation by key reaches this L1. Only coherent engines index their entries. If
   * this process wrote that entry's value to L2 itself and {@code deleteOwnWrite} (an invalidation,
   * not a refresh), it deletes {@code l2Key} again (without waiting), since its write may have
   * landed after the other process's delete.
   */
  RemoteDrop dropL2Hash(long l2Hash, String l2Key, boolean deleteOwnWrite);

  /** What {@link #dropL2Hash} did. */
  enum RemoteDrop {
    /** No entry. */
    NONE,
    /** An entry was dropped. */
    DROPPED,
    /** An entry this process had written to L2 was dropped, and deleted from L2 again. */
    DROPPED_AND_DELETED
  }

  /**
   * Empties L1 (statistics untouched). The caller advances the registry's flush epoch first, which
   * keeps computations in flight from storing their results in L1.
   */
  void flushL1();
}
