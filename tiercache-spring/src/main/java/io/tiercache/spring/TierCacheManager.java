package io.tiercache.spring;

import io.tiercache.KeyValueCache;
import io.tiercache.TierCache;
import io.tiercache.ValueType;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;

/**
 * Spring's {@link CacheManager} on a {@link TierCache}: every cache is a tiercache
 * {@link KeyValueCache} of the same name (a function name of that {@code TierCache}), with L1 in
 * this process, the shared L2 of the {@code TierCache}'s backends and coherent L1s across
 * processes.
 *
 * <pre>{@code
 * @Bean TierCacheManager cacheManager(TierCache tierCache) {
 *   return TierCacheManager.builder(tierCache)
 *       .defaults(TierCacheOptions.defaults().ttl(Duration.ofMinutes(10)))
 *       .cache("books", TierCacheOptions.defaults().valueType(Book.class).l1MaxSize(10_000))
 *       .build();
 * }
 * }</pre>
 *
 * <p>The caches named in the builder are built with the manager, so a bad option fails at startup.
 * Any other name asked for is created on demand with the defaults, unless the builder turned that
 * off ({@link Builder#dynamic(boolean) dynamic(false)}): then {@link #getCache} answers null for it,
 * and Spring reports the unknown cache. A cache name is a function name of the {@code TierCache}
 * (letters, digits, {@code . _ -}), unique among its functions.
 */
public final class TierCacheManager implements CacheManager {
  private final TierCache tierCache;
  private final TierCacheOptions defaults;
  private final boolean dynamic;
  private final ConcurrentMap<String, TierCacheCache> caches = new ConcurrentHashMap<>();

  private TierCacheManager(Builder builder) {
    this.tierCache = builder.tierCache;
    this.defaults = builder.defaults;
    this.dynamic = builder.dynamic;
    builder.caches.forEach((name, options) -> caches.put(name, create(name, options)));
  }

  /**
   * A manager on {@code tierCache} with the default options and caches created on demand.
   *
   * @param tierCache the {@code TierCache} whose backends hold L2
   */
  public TierCacheManager(TierCache tierCache) {
    this(builder(tierCache));
  }

  /**
   * Starts configuring a manager on {@code tierCache}.
   *
   * @param tierCache the {@code TierCache} whose backends hold L2
   * @return a new builder
   */
  public static Builder builder(TierCache tierCache) {
    return new Builder(tierCache);
  }

  @SuppressWarnings("unchecked")
  private TierCacheCache create(String name, TierCacheOptions options) {
    KeyValueCache<Object, Object> cache = options.applyTo(
        tierCache.function(name, (ValueType<Object>) options.valueType())).keyValue();
    return new TierCacheCache(cache, options.allowNullValues());
  }

  /**
   * The cache of that name: one named in the builder, one created earlier, or a new one with the
   * default options; null for an unknown name when caches are not created on demand.
   *
   * @param name the cache's name
   * @return the cache, or null
   */
  @Override
  public Cache getCache(String name) {
    TierCacheCache cache = caches.get(name);
    if (cache != null || !dynamic) {
      return cache;
    }
    return caches.computeIfAbsent(name, n -> create(n, defaults));
  }

  /**
   * The names of the caches built so far.
   *
   * @return an unmodifiable snapshot of the names
   */
  @Override
  public Collection<String> getCacheNames() {
    return Collections.unmodifiableSet(new TreeSet<>(caches.keySet()));
  }

  /**
   * The {@code TierCache} the caches are built in.
   *
   * @return the {@code TierCache}
   */
  public TierCache tierCache() {
    return tierCache;
  }

  @Override
  public String toString() {
    return "TierCacheManager[" + tierCache.namespace() + ", caches=" + getCacheNames() + "]";
  }

  /** Configures a {@link TierCacheManager}. */
  public static final class Builder {
    private final TierCache tierCache;
    private TierCacheOptions defaults = TierCacheOptions.defaults();
    private boolean dynamic = true;
    private final Map<String, TierCacheOptions> caches = new LinkedHashMap<>();

    private Builder(TierCache tierCache) {
      this.tierCache = Objects.requireNonNull(tierCache, "tierCache");
    }

    /**
     * The options of caches created on demand, and of those named with {@link #cache(String)}.
     *
     * @param options the default options
     * @return this builder, for chaining
     */
    public Builder defaults(TierCacheOptions options) {
      this.defaults = Objects.requireNonNull(options, "options");
      return this;
    }

    /**
     * A cache built with the manager, with the default options as they are when the manager is
     * built.
     *
     * @param name the cache's name
     * @return this builder, for chaining
     */
    public Builder cache(String name) {
      caches.put(Objects.requireNonNull(name, "name"), null);
      return this;
    }

    /**
     * A cache built with the manager, with its own options.
     *
     * @param name the cache's name
     * @param options its options
     * @return this builder, for chaining
     */
    public Builder cache(String name, TierCacheOptions options) {
      caches.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(options, "options"));
      return this;
    }

    /**
     * Whether a name not given to {@link #cache} gets a new cache with the default options (the
     * default) or no cache ({@link #getCache} answers null).
     *
     * @param dynamic true to create caches on demand
     * @return this builder, for chaining
     */
    public Builder dynamic(boolean dynamic) {
      this.dynamic = dynamic;
      return this;
    }

    /**
     * Builds the manager and the caches named so far; an option tiercache refuses fails here.
     *
     * @return the manager
     */
    public TierCacheManager build() {
      caches.replaceAll((name, options) -> options == null ? defaults : options);
      return new TierCacheManager(this);
    }
  }
}
