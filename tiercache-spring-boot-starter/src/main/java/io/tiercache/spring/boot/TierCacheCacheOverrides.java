package io.tiercache.spring.boot;

import io.tiercache.CachedFunctionBuilder;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code tiercache.caches.<name>.*} overrides, checked at startup, as a bean: whatever builds
 * cached functions by name (the Spring {@code CacheManager}, an application's own code) applies them
 * with {@link #apply}, so a cache's L1 size, TTL, jitter, backend and lease come from properties.
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
   * The overrides of one cache.
   *
   * @param name the cache (function) name
   * @return its overrides, or empty when it has none
   */
  public Optional<TierCacheProperties.Cache> of(String name) {
    return Optional.ofNullable(caches.get(name));
  }

  /**
   * Sets the overrides of the cache {@code name} on {@code builder}; a cache without overrides
   * leaves the builder as it is.
   *
   * @param <R> the function's result type
   * @param name the cache (function) name
   * @param builder the builder of that function
   * @return {@code builder}, for chaining
   */
  public <R> CachedFunctionBuilder<R> apply(String name, CachedFunctionBuilder<R> builder) {
    TierCacheProperties.Cache cache = caches.get(name);
    if (cache == null) {
      return builder;
    }
    if (cache.l1MaxSize() != null) {
      builder.l1MaxSize(cache.l1MaxSize());
    }
    if (cache.ttl() != null) {
      builder.ttl(cache.ttl());
    }
    if (cache.jitter() != null) {
      builder.jitter(cache.jitter());
    }
    if (cache.backend() != null) {
      builder.backend(cache.backend());
    }
    TierCacheProperties.Lease lease = cache.lease();
    if (lease != null && lease.maxWait() != null) {
      if (lease.ttl() != null) {
        builder.lease(lease.maxWait(), lease.ttl());
      } else {
        builder.lease(lease.maxWait());
      }
    }
    return builder;
  }

  @Override
  public String toString() {
    return "TierCacheCacheOverrides" + caches.keySet();
  }
}
