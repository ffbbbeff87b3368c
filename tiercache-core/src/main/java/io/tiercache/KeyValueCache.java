package io.tiercache;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * A named cache of values by an explicit key, on the same two layers and the same engine as a
 * cached function: what a cache abstraction (Spring's {@code Cache}, JCache) needs, where the
 * caller, not a function, decides what is stored. Build one with
 * {@link CachedFunctionBuilder#keyValue()}, with every option of a cached function (L1 size and
 * policy, TTL, jitter, backend, lease, nulls):
 *
 * <pre>{@code
 * KeyValueCache<String, Book> books = cache.function("books", Book.class)
 *     .ttl(Duration.ofMinutes(10))
 *     .keyValue();
 * Book b = books.get("isbn-1", isbn -> catalog.find(isbn)); // computed once, then L1 / L2 hits
 * books.put("isbn-1", edited);                              // every process sees the new value
 * books.invalidate("isbn-1");
 * }</pre>
 *
 * <p>Everything a cached function guarantees holds: {@link #get(Object, Function)} runs one
 * loader per key at a time in a process (single-flight) and, with a lease, across processes; no
 * call that starts after {@link #invalidate}, {@link #put} or {@link #invalidateAll} returns gets
 * a value computed or read before it; the other processes sharing the backend drop their L1
 * copies through its invalidation channel.
 *
 * <p>Keys are what a function argument may be: null is refused, and a key must have a stable
 * encoding (strings, numbers, enums, UUIDs, java.time values, records, lists, sets, maps, or a type
 * with an encoder registered by {@link TierCache.Builder#keyEncoder}); any other type is refused
 * with an {@link UnencodableArgumentException} naming it, at the first call that misses L1.
 * Numbers of different types are one key ({@code 3} and {@code 3L}) unless the builder says
 * {@link CachedFunctionBuilder#typed(boolean) typed(true)}.
 *
 * <p>Every entry carries the cache's name as its prefix, so {@link #invalidateAll} is one backend
 * command (as {@link TierCache#invalidatePrefix} with the name).
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public interface KeyValueCache<K, V> extends CacheHandle {

  /**
   * A value found in the cache; {@code value} is null for a cached null (a cache built with
   * {@link CachedFunctionBuilder#cacheNulls(boolean) cacheNulls(true)}).
   *
   * @param <V> the value type
   * @param value the cached value, possibly null
   */
  record Found<V>(V value) {}

  /**
   * The value under {@code key}, from L1 or else from L2, without loading anything and without
   * waiting for a load in flight. A value read from L2 enters L1 (unless an invalidation came
   * meanwhile). Counts an L1 hit, or an L1 miss and an L2 hit or miss.
   *
   * @param key the key, not null
   * @return the value found (its value may be a cached null), or null if neither layer holds one
   * @throws UnencodableArgumentException if the key's type has no stable encoding
   */
  Found<V> lookup(K key);

  /**
   * The value under {@code key}, or {@code defaultValue} if neither layer holds one: as
   * {@link #lookup}, without the {@link Found} wrapper (as {@link java.util.Map#getOrDefault}, a
   * cached null is returned as null). An L1 hit allocates nothing, so an adapter on the hit path of
   * every call (Spring's {@code Cache}) passes a sentinel of its own as {@code defaultValue}.
   *
   * @param key the key, not null
   * @param defaultValue what to return when neither layer holds a value; returned as it is
   * @return the value found (possibly a cached null), or {@code defaultValue}
   * @throws UnencodableArgumentException if the key's type has no stable encoding
   */
  V getOrDefault(K key, V defaultValue);

  /**
   * The value under {@code key} or null, as {@link #lookup} without telling a cached null from an
   * absent entry (as Caffeine's {@code getIfPresent}).
   *
   * @param key the key, not null
   * @return the cached value, or null if absent or a cached null
   */
  default V getIfPresent(K key) {
    return getOrDefault(key, null);
  }

  /**
   * {@link #lookup} without blocking the caller: an L1 hit completes at once; otherwise the L2
   * read runs on the {@link TierCache.Builder#executor executor} of the {@code TierCache}.
   *
   * @param key the key, not null
   * @return a future of the value found, completing with null if neither layer holds one
   */
  CompletableFuture<Found<V>> lookupAsync(K key);

  /**
   * The value under {@code key}, loading it with {@code loader} on a miss of both layers: one
   * loader runs per key at a time in this process (concurrent callers wait for it and share its
   * outcome), on the caller's thread, and its exception reaches the caller as it is. The loaded
   * value is stored in both layers unless an invalidation or a {@link #put} came while it loaded.
   * A null from the loader is returned and stored only if the cache stores nulls.
   *
   * @param key the key, not null
   * @param loader computes the value of a key that neither layer holds
   * @return the cached or loaded value
   * @throws UnencodableArgumentException if the key's type has no stable encoding
   */
  V get(K key, Function<? super K, ? extends V> loader);

  /**
   * {@link #get(Object, Function)} with a loader that returns a future: an L1 hit completes at once;
   * otherwise the look-up and the wait for the loader's future run on the {@code TierCache}'s
   * executor (concurrent callers of one key share one load). A failed future is not cached; the
   * returned future fails with it, wrapped in a {@link java.util.concurrent.CompletionException}.
   *
   * @param key the key, not null
   * @param loader starts loading the value of a key that neither layer holds
   * @return a future of the cached or loaded value
   */
  CompletableFuture<V> getAsync(K key, Function<? super K, ? extends CompletionStage<V>> loader);

  /**
   * Stores {@code value} under {@code key} in both layers, as an invalidation followed by a store:
   * a load that began before it stores nothing over it, the other processes drop their L1 copies
   * once the value is in L2, and then L1 and L2 here hold the new value. If an invalidation of the
   * key comes while it stores, the invalidation wins and the key is left empty.
   *
   * @param key the key, not null
   * @param value the value; null only in a cache that stores nulls
   * @throws IllegalArgumentException for a null value in a cache that does not store nulls
   * @throws UnencodableArgumentException if the key's type has no stable encoding
   */
  void put(K key, V value);

  /**
   * Removes the entry under {@code key} from both layers here and, through the backend's
   * invalidation channel, from the other processes' L1s; a load in flight for it stores nothing.
   *
   * @param key the key, not null
   * @return true if L1 or L2 held an entry
   */
  boolean invalidate(K key);

  /**
   * Whether L1 or L2 holds a value for {@code key}; a load in flight does not count. Changes no
   * statistics or order.
   *
   * @param key the key, not null
   * @return true if either layer holds a value
   */
  boolean contains(K key);

  /**
   * Removes every entry of this cache, in this and every other process: one backend command makes
   * every L2 entry of this cache a miss (a new version of its prefix), this process's L1 drops them
   * at once, the others' through the invalidation channel; loads in flight store nothing.
   * Statistics are kept (use {@link #cacheClear()} to reset them).
   *
   * @return true if the backend took the invalidation (true without L2)
   */
  boolean invalidateAll();
}
