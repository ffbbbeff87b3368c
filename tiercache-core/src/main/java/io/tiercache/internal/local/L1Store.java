package io.tiercache.internal.local;

import java.util.Collection;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * What an engine needs of its L1 store, whatever the eviction policy: {@link LruStore} (exact
 * LRU, the default) or {@link TinyLfuStore} (Caffeine's W-TinyLFU).
 *
 * <p>The contract every implementation keeps, on which the invalidation protocol rests (see
 * {@code docs/architecture.md}, "Invalidation"): a conditional store ({@link #putIf}) checks its
 * condition under a lock that every removal made through this interface also takes ({@link
 * #remove}, {@link #removeByL2Hash}, {@link #removeIf}, {@link #removeTagged}, {@link #clear}), so a
 * removal that happened before the check failed it, and a removal that comes after the store
 * removes what it stored. Evictions (by size or deadline) need no such order: they only ever make an
 * entry absent.
 *
 * <p>Each entry may carry the 64-bit hash of its L2 key (found again by {@link #removeByL2Hash};
 * at most one entry per hash), and a value that is {@link LruStore.Tagged} is found by each of its
 * tag keys ({@link #removeTagged}).
 *
 * @param <K> key type
 * @param <V> value type
 */
public interface L1Store<K, V> {

  /**
   * The live entry for {@code key}, recorded as an access for the policy; null if absent or
   * expired. This is the hit path: no lock, no allocation.
   */
  Entry<V> get(K key);

  /** The live entry for {@code key} without recording an access; null if absent or expired. */
  Entry<V> peek(K key);

  /**
   * Stores {@code value} under {@code key} if {@code stillValid} holds, checked under the lock that
   * orders every removal (see the class comment).
   *
   * @param deadline the {@link io.tiercache.TimeSource#nanoTime()} at which the entry expires, or
   *     {@link LruStore#NEVER}
   * @param l2Hash the hash of the entry's L2 key, or {@link LruStore#NO_HASH}; another entry with
   *     the same hash but another key is dropped
   * @param marked the owner's mark, read back by {@link Entry#marked()}
   * @return whether the value was stored (a store may still evict it at once to keep its bound)
   */
  boolean putIf(K key, V value, long deadline, long l2Hash, boolean marked, BooleanSupplier stillValid);

  /** Removes the entry for {@code key}; true if a live one was there. */
  boolean remove(K key);

  /** The entry stored with L2 key hash {@code l2Hash} (live or expired), or null. */
  Entry<V> peekByL2Hash(long l2Hash);

  /**
   * Removes the entry stored with L2 key hash {@code l2Hash}.
   *
   * @return the removed entry (live or expired), or null
   */
  Entry<V> removeByL2Hash(long l2Hash);

  /**
   * Removes every entry whose value matches; linear in the store's size.
   *
   * @return how many live entries were removed
   */
  int removeIf(Predicate<? super V> matches);

  /**
   * Removes every entry whose value is {@link LruStore.Tagged} with any of {@code tagKeys}, in time
   * proportional to the entries removed.
   *
   * @return how many live entries were removed
   */
  int removeTagged(Collection<String> tagKeys);

  /** Removes every entry. */
  void clear();

  /** The number of live entries; expired ones are dropped first and never counted. */
  int size();

  /**
   * Drops every entry whose deadline has passed, for a timer that expires entries without waiting
   * for a call.
   *
   * @return the earliest deadline among the entries left, or {@link LruStore#NEVER}
   */
  long purgeExpired();

  /**
   * How many entries the store removed to keep its bound or because their deadline passed, since
   * it was built (removals through this interface and {@link #clear} are not counted).
   */
  long evictions();

  /** How many entries the store holds, expired ones not yet dropped included (for tests of expiry). */
  int heldEntries();

  /**
   * One stored entry as the engine sees it; never changes once stored (a replacement is a new
   * entry).
   *
   * @param <V> value type
   */
  interface Entry<V> {
    /** The stored value. */
    V value();

    /** When the entry expires, in {@link io.tiercache.TimeSource#nanoTime()}, or {@link LruStore#NEVER}. */
    long deadline();

    /** The mark the entry was stored with. */
    boolean marked();
  }
}
