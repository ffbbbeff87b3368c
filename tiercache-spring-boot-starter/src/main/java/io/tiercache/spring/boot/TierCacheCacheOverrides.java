package io.tiercache.spring.boot;

import io.tiercache.CachedFunctionBuilder;
import io.tiercache.spring.TierCacheOptions;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code tiercache.caches.<name>.*} overrides, checked at startup, as a bean. They are mapped
 * onto {@link TierCacheOptions} in one place ({@link #options}): the starter's
 * {@code TierCacheManager} builds each named cache with them, and whatever else builds cached
 * functions by name (an application's own code) applies the same options with {@link #apply}, so a
 * cache's L1 size, TTL, jitter, backend and lease come from properties either way.
 */
public final class TierCacheCacheOverrides {
  private final Map<String, TierCacheProperties.Cache> caches;

  /**
   * The overrides of {@code properties}, which the starter has checked.
   *
   * @param caches the overrides by cache name
   */
  public TierCacheCacheOverrides(Map<String, TierCacheProperties.Cache> caches) {
    this.caches = Map.copyOf(caches);
  }

  /**
   * The names of the caches that have overrides.
   *
   * @return the cache names under {@code tiercache.caches}
   */
  public Set<String> names() {
    return caches.keySet();
  }

  /**
   * The options of the cache {@code name}: {@code base} with what {@code tiercache.caches.<name>}
   * sets in place of its own; {@code base} itself for a cache without overrides.
   *
   * @param name the cache (function) name
   * @param base the options the properties override (value type, nulls and all unset ones stay)
   * @return the options of that cache
   */
  public TierCacheOptions options(String name, TierCacheOptions base) {
    Objects.requireNonNull(base, "base");
    TierCacheProperties.Cache cache = caches.get(Objects.requireNonNull(name, "name"));
    if (cache == null) {
      return base;
    }
    TierCacheOptions options = base;
    if (cache.l1MaxSize() != null) {
      options = options.l1MaxSize(cache.l1MaxSize());
    }
    if (cache.ttl() != null) {
      options = options.ttl(cache.ttl());
    }
    if (cache.jitter() != null) {
      options = options.jitter(cache.jitter());
    }
    if (cache.backend() != null) {
      options = options.backend(cache.backend());
    }
    TierCacheProperties.Lease lease = cache.lease();
    if (lease != null && lease.maxWait() != null) {
      options = lease.ttl() == null ? options.lease(lease.maxWait())
          : options.lease(lease.maxWait(), lease.ttl());
    }
    return options;
  }

  /**
   * Sets the overrides of the cache {@code name} on {@code builder} (the same {@link #options} the
   * {@code TierCacheManager} uses); a cache without overrides leaves the builder as it is, and so
   * do the builder's value type, null handling and keys.
   *
   * @param <R> the function's result type
   * @param name the cache (function) name
   * @param builder the builder of that function
   * @return {@code builder}, for chaining
   */
  public <R> CachedFunctionBuilder<R> apply(String name, CachedFunctionBuilder<R> builder) {
    return options(name, TierCacheOptions.defaults()).applyTuning(builder);
  }

  @Override
  public String toString() {
    return "TierCacheCacheOverrides" + caches.keySet();
  }
}
