package io.tiercache.backend;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.tiercache.TimeSource;
import java.nio.charset.StandardCharsets;
import io.tiercache.coherence.InvalidationChannel;
import io.tiercache.coherence.LocalInvalidationChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The embedded L2: a bounded in-memory store, usable with no server. It keeps copies of the bytes
 * it is given and hands out copies, so no caller can change what the next reader sees. Several
 * {@code TierCache} instances in one JVM may share one, each standing in for a process.
 *
 * <p>Built on Caffeine (bounded by entries or by bytes, per-entry TTL on the given
 * {@link TimeSource}). Every operation completes before it returns.
 *
 * <p>Leases ({@link LeasingBackend}) are entries like the others, holding their token, with the
 * lease TTL on the same clock: taking one is an atomic put-if-absent (an expired lease counts as
 * absent), releasing one an atomic remove-if-the-token-matches. {@link #clear()} ends them too.
 *
 * <p>Coherent by default: the {@code TierCache}s that share one store tell each other's L1s about
 * their invalidations before the invalidation returns ({@link #invalidationChannel}), as processes
 * sharing Redis do through pub/sub; {@link Builder#coherence(boolean) coherence(false)} turns that
 * off, to stand in for a backend without a channel such as memcached.
 */
public final class InMemoryBackend implements LeasingBackend {
  private final Cache<String, Stored> cache;
  private final String description;
  private final boolean coherent;
  private final Map<String, LocalInvalidationChannel> channels = new ConcurrentHashMap<>();

  private InMemoryBackend(Builder builder) {
    this.coherent = builder.coherence;
    Caffeine<String, Stored> caffeine = Caffeine.newBuilder()
        .executor(Runnable::run)
        .ticker(builder.time::nanoTime)
        .expireAfter(new PerEntryTtl());
    if (builder.maxBytes > 0) {
      caffeine.maximumWeight(builder.maxBytes)
          .weigher((String key, Stored stored) -> key.length() + stored.bytes.length);
      description = "in-memory(" + builder.maxBytes + " bytes)";
    } else {
      caffeine.maximumSize(builder.maxEntries);
      description = "in-memory(" + builder.maxEntries + " entries)";
    }
    this.cache = caffeine.build();
  }

  /**
   * A store of at most 10,000 entries on the system clock.
   *
   * @return a new, empty store
   */
  public static InMemoryBackend create() {
    return builder().build();
  }

  /**
   * A builder for the bound and clock.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public CompletionStage<byte[]> get(String key) {
    Stored stored = cache.getIfPresent(key);
    return CompletableFuture.completedFuture(stored == null ? null : stored.bytes.clone());
  }

  @Override
  public CompletionStage<Map<String, byte[]>> getMany(Collection<String> keys) {
    Map<String, byte[]> found = new HashMap<>();
    cache.getAllPresent(keys).forEach((key, stored) -> found.put(key, stored.bytes.clone()));
    return CompletableFuture.completedFuture(found);
  }

  @Override
  public CompletionStage<Void> set(String key, byte[] value, Duration ttl) {
    if (value == null || (ttl != null && ttl.isNegative())) {
      return CompletableFuture.failedFuture(new IllegalArgumentException(
          value == null ? "value must not be null" : "ttl must not be negative: " + ttl));
    }
    cache.put(key, new Stored(value.clone(), ttlNanos(ttl)));
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<Boolean> delete(String key) {
    return CompletableFuture.completedFuture(cache.asMap().remove(key) != null);
  }

  @Override
  public CompletionStage<Boolean> tryLease(String key, String token, Duration ttl) {
    if (key == null || token == null || ttl == null || ttl.isNegative() || ttl.isZero()) {
      return CompletableFuture.failedFuture(new IllegalArgumentException(
          "tryLease needs a key, a token and a positive ttl; got " + key + ", " + token + ", " + ttl));
    }
    Stored lease = new Stored(token.getBytes(StandardCharsets.UTF_8), ttl.toNanos());
    return CompletableFuture.completedFuture(cache.asMap().putIfAbsent(key, lease) == null);
  }

  @Override
  public CompletionStage<Boolean> releaseLease(String key, String token) {
    if (key == null || token == null) {
      return CompletableFuture.failedFuture(new IllegalArgumentException(
          "releaseLease needs a key and a token; got " + key + ", " + token));
    }
    byte[] expected = token.getBytes(StandardCharsets.UTF_8);
    boolean[] released = {false};
    cache.asMap().computeIfPresent(key, (k, held) -> {
      if (Arrays.equals(held.bytes, expected)) {
        released[0] = true;
        return null;
      }
      return held;
    });
    return CompletableFuture.completedFuture(released[0]);
  }

  @Override
  public CompletionStage<Void> clear() {
    cache.invalidateAll();
    return CompletableFuture.completedFuture(null);
  }

  /**
   * A channel in this JVM per namespace, shared by every {@code TierCache} that uses this store:
   * a message reaches the others before {@code publish} returns. Empty when built with
   * {@code coherence(false)}.
   */
  @Override
  public Optional<InvalidationChannel> invalidationChannel(String namespace) {
    if (!coherent) {
      return Optional.empty();
    }
    return Optional.of(channels.computeIfAbsent(namespace,
        ns -> new LocalInvalidationChannel(description + " channel " + ns)));
  }

  /**
   * The number of entries held, expired ones included until Caffeine drops them.
   *
   * @return the approximate number of entries
   */
  public long estimatedSize() {
    return cache.estimatedSize();
  }

  @Override
  public String describe() {
    return description;
  }

  private static long ttlNanos(Duration ttl) {
    return ttl == null || ttl.isZero() ? Long.MAX_VALUE : ttl.toNanos();
  }

  private record Stored(byte[] bytes, long ttlNanos) {}

  private static final class PerEntryTtl implements Expiry<String, Stored> {
    @Override
    public long expireAfterCreate(String key, Stored value, long currentTime) {
      return value.ttlNanos;
    }

    @Override
    public long expireAfterUpdate(String key, Stored value, long currentTime, long currentDuration) {
      return value.ttlNanos;
    }

    @Override
    public long expireAfterRead(String key, Stored value, long currentTime, long currentDuration) {
      return currentDuration;
    }
  }

  /** Configures an {@link InMemoryBackend}. */
  public static final class Builder {
    private long maxEntries = 10_000;
    private long maxBytes;
    private TimeSource time = TimeSource.system();
    private boolean coherence = true;

    private Builder() {}

    /**
     * Whether the {@code TierCache}s sharing this store drop each other's L1 copies of what one of
     * them invalidates (default true); false stands in for a backend with no channel.
     *
     * @param coherence false to give the store no invalidation channel
     * @return this builder, for chaining
     */
    public Builder coherence(boolean coherence) {
      this.coherence = coherence;
      return this;
    }

    /**
     * The most entries kept (Caffeine's policy picks which go); default 10,000.
     *
     * @param maxEntries the bound in entries; positive
     * @return this builder, for chaining
     */
    public Builder maxEntries(long maxEntries) {
      if (maxEntries <= 0) {
        throw new IllegalArgumentException("maxEntries must be positive, got " + maxEntries);
      }
      this.maxEntries = maxEntries;
      this.maxBytes = 0;
      return this;
    }

    /**
     * Bounds the store by the bytes of its keys and values instead of by entries.
     *
     * @param maxBytes the bound in bytes of keys and values; positive
     * @return this builder, for chaining
     */
    public Builder maxBytes(long maxBytes) {
      if (maxBytes <= 0) {
        throw new IllegalArgumentException("maxBytes must be positive, got " + maxBytes);
      }
      this.maxBytes = maxBytes;
      return this;
    }

    /**
     * The clock TTLs run on; use a {@code ManualTimeSource} in tests.
     *
     * @param time the clock TTLs are measured on
     * @return this builder, for chaining
     */
    public Builder timeSource(TimeSource time) {
      this.time = Objects.requireNonNull(time, "time");
      return this;
    }

    /**
     * Builds the store.
     *
     * @return the new, empty store
     */
    public InMemoryBackend build() {
      return new InMemoryBackend(this);
    }
  }
}
