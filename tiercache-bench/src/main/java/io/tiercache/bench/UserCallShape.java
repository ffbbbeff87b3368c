package io.tiercache.bench;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tiercache.AsyncCachedFunction2;
import io.tiercache.CachedFunction2;
import io.tiercache.TierCache;
import io.tiercache.backend.Backend;
import io.tiercache.coherence.InvalidationChannel;
import io.tiercache.coherence.LocalInvalidationChannel;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;

/**
 * The call shape of issue 13, shared by {@link UserCallShapeBenchmark} and {@link HeapPerEntry}:
 * a {@code find(long id, String category)} behind a two-argument cached function, called as a user
 * writes it, {@code f.apply(id, category)} with a primitive {@code id} (boxed at the call), next to
 * Caffeine built with the same options and keyed by a record of the two arguments, and the floor
 * ({@code ConcurrentHashMap} with the same record key).
 *
 * <p>"Same options": a maximum size, and hit counting, because a tiercache function always counts
 * its hits and misses ({@code cacheInfo()}), so Caffeine records stats too. Caffeine keeps its
 * default executor, as a user's cache would.
 */
public final class UserCallShape {
  private UserCallShape() {}

  /** The key a user writes for Caffeine or a hand-made map: a record of the two arguments. */
  public record FindKey(long id, String category) {}

  /**
   * The categories calls cycle through: string constants, as a caller passes them, so their
   * {@code equals} is an identity check in every store alike.
   */
  static final List<String> CATEGORIES = List.of("books", "music", "garden", "toys");

  /** The results {@link #find} returns: shared instances, so no store pays for its values. */
  private static final List<String> RESULTS =
      List.of("item-0", "item-1", "item-2", "item-3", "item-4", "item-5", "item-6", "item-7");

  /** The cached function's body: cheap, and the same instance for the same arguments. */
  public static String find(long id, String category) {
    return RESULTS.get((int) ((id ^ category.length()) & 7));
  }

  /**
   * {@code count} distinct ids from a fixed seed, all outside the {@code Long} cache (so boxing one
   * allocates, as it does for a real id).
   */
  public static long[] ids(int count, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Set<Long> seen = new HashSet<>();
    long[] ids = new long[count];
    for (int i = 0; i < count; i++) {
      long id;
      do {
        id = 1_000 + random.nextLong(1_000_000_000_000L);
      } while (!seen.add(id));
      ids[i] = id;
    }
    return ids;
  }

  /** The category of the {@code i}-th call. */
  public static String category(int i) {
    return CATEGORIES.get(i & 3);
  }

  /**
   * The bodies of the distinct cached functions: each its own lambda, so its own class, as
   * functions written in different places of an application are.
   */
  private static final List<BiFunction<Long, String, String>> BODIES = List.of(
      (Long id, String category) -> find(id, category),
      (Long id, String category) -> find(id + 0, category),
      (Long id, String category) -> find(id, category.intern()),
      (Long id, String category) -> find(id.longValue(), category),
      (Long id, String category) -> find(id | 0, String.valueOf(category)));

  /** The most distinct cached functions {@link #tiercache} builds. */
  public static final int MAX_FUNCTIONS = 5;

  /**
   * The {@code index}-th cached {@code find} of {@code cache} ({@code index < }{@value
   * #MAX_FUNCTIONS}): its own name and body, L1 bounded to {@code maxSize}.
   */
  public static CachedFunction2<Long, String, String> tiercache(TierCache cache, int index, long maxSize) {
    return cache.function("find" + index, String.class).l1MaxSize(maxSize).of(BODIES.get(index));
  }

  /** The async form of {@link #tiercache}: the {@code index}-th body, completed at once. */
  public static AsyncCachedFunction2<Long, String, String> tiercacheAsync(TierCache cache, int index,
      long maxSize) {
    BiFunction<Long, String, String> body = BODIES.get(index);
    return cache.function("findAsync" + index, String.class).l1MaxSize(maxSize)
        .ofAsync((Long id, String category) -> CompletableFuture.completedFuture(body.apply(id, category)));
  }

  /** Caffeine with tiercache's options: the same bound, and stats (tiercache counts hits). */
  public static Cache<FindKey, String> caffeine(long maxSize) {
    return Caffeine.newBuilder().maximumSize(maxSize).recordStats().build();
  }

  /**
   * Caffeine with the bound only, no stats: not tiercache's options (tiercache always counts), but
   * what a user who never reads Caffeine's stats builds; shows what the counting costs Caffeine.
   */
  public static Cache<FindKey, String> caffeineNoStats(long maxSize) {
    return Caffeine.newBuilder().maximumSize(maxSize).build();
  }

  /** Caffeine's {@code AsyncCache} with the same options as {@link #caffeine}. */
  public static AsyncCache<FindKey, String> caffeineAsync(long maxSize) {
    return Caffeine.newBuilder().maximumSize(maxSize).recordStats().buildAsync();
  }

  /** Caffeine's loader of a missing key: the same {@link #find}. */
  public static String load(FindKey key) {
    return find(key.id(), key.category());
  }

  /**
   * An L2 that keeps nothing (every read misses, writes are dropped), optionally offering an
   * invalidation channel: it gives a tiercache function the L1 entry of a function with an L2
   * (the L2 key, the index by L2-key hash, and with {@code channel} what coherence adds) while the
   * heap it measures holds no L2 copies.
   *
   * @param channel the channel offered, or null for none (as memcached)
   */
  public static Backend discardingBackend(LocalInvalidationChannel channel) {
    return new Backend() {
      @Override
      public CompletionStage<byte[]> get(String key) {
        return CompletableFuture.completedFuture(null);
      }

      @Override
      public CompletionStage<Void> set(String key, byte[] value, Duration ttl) {
        return CompletableFuture.completedFuture(null);
      }

      @Override
      public CompletionStage<Boolean> delete(String key) {
        return CompletableFuture.completedFuture(false);
      }

      @Override
      public CompletionStage<Void> clear() {
        return CompletableFuture.completedFuture(null);
      }

      @Override
      public Optional<InvalidationChannel> invalidationChannel(String namespace) {
        return Optional.ofNullable(channel);
      }

      @Override
      public String describe() {
        return channel == null ? "discarding L2" : "discarding L2 with " + channel.describe();
      }
    };
  }
}
