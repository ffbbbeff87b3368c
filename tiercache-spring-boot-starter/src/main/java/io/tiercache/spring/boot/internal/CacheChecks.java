package io.tiercache.spring.boot.internal;

import io.tiercache.spring.boot.TierCacheConfigurationException;
import io.tiercache.spring.boot.TierCacheProperties;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Checks {@code tiercache.caches.<name>.*} at startup, before any cache is built: what
 * {@code CachedFunctionBuilder} would refuse only when the first cache of that name is built.
 */
public final class CacheChecks {
  private CacheChecks() {}

  /**
   * Fails on the first wrong override.
   *
   * @param caches the overrides by cache name
   * @param aliases the aliases of the {@code TierCache}'s backends
   * @throws TierCacheConfigurationException naming the wrong property
   */
  public static void check(Map<String, TierCacheProperties.Cache> caches, Set<String> aliases) {
    for (Map.Entry<String, TierCacheProperties.Cache> e : new TreeMap<>(caches).entrySet()) {
      String prefix = "tiercache.caches." + e.getKey();
      TierCacheProperties.Cache cache = e.getValue();
      if (cache.l1MaxSize() != null && cache.l1MaxSize() < 0) {
        throw new TierCacheConfigurationException(prefix + ".l1-max-size",
            "must be >= 0 (0 = no L1), got " + cache.l1MaxSize());
      }
      Checks.positive(prefix + ".ttl", cache.ttl());
      if (cache.jitter() != null) {
        if (cache.jitter().isNegative()) {
          throw new TierCacheConfigurationException(prefix + ".jitter",
              "must not be negative, got " + cache.jitter());
        }
        if (cache.ttl() == null) {
          throw new TierCacheConfigurationException(prefix + ".jitter", "needs " + prefix + ".ttl");
        }
      }
      if (cache.backend() != null && !aliases.contains(cache.backend())) {
        throw new TierCacheConfigurationException(prefix + ".backend", "no backend named '"
            + cache.backend() + "'; configured: " + aliases);
      }
      lease(prefix + ".lease", cache.lease());
    }
  }

  private static void lease(String prefix, TierCacheProperties.Lease lease) {
    if (lease == null) {
      return;
    }
    if (lease.maxWait() == null) {
      throw new TierCacheConfigurationException(prefix + ".max-wait",
          "set how long a process waits for the leader's result");
    }
    atLeastOneMilli(prefix + ".max-wait", lease.maxWait());
    if (lease.ttl() != null) {
      atLeastOneMilli(prefix + ".ttl", lease.ttl());
      if (lease.ttl().compareTo(lease.maxWait()) < 0) {
        throw new TierCacheConfigurationException(prefix + ".ttl", "must be at least "
            + prefix + ".max-wait (" + lease.maxWait() + "), got " + lease.ttl());
      }
    }
  }

  private static void atLeastOneMilli(String property, Duration value) {
    if (value.compareTo(Duration.ofMillis(1)) < 0) {
      throw new TierCacheConfigurationException(property, "must be at least 1 ms, got " + value);
    }
  }
}
