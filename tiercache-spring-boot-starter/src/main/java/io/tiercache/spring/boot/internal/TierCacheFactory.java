package io.tiercache.spring.boot.internal;

import io.tiercache.TierCache;
import io.tiercache.TimeSource;
import io.tiercache.spring.boot.TierCacheBuilderCustomizer;
import io.tiercache.spring.boot.TierCacheProperties;
import java.util.List;

/** Builds the starter's {@code TierCache} from the properties, the backends and the customizers. */
public final class TierCacheFactory {
  private TierCacheFactory() {}

  /**
   * The {@code TierCache} of these properties, with its per-cache overrides checked.
   *
   * @param properties the bound properties
   * @param backends the configured backends
   * @param time the application's clock, or null for the system clock
   * @param customizers the application's customizers, in order
   * @return the built {@code TierCache}
   * @throws io.tiercache.spring.boot.TierCacheConfigurationException naming a wrong property
   */
  public static TierCache build(TierCacheProperties properties, ConfiguredBackends backends,
      TimeSource time, List<TierCacheBuilderCustomizer> customizers) {
    TierCache.Builder builder = TierCache.builder();
    Checks.at("tiercache.namespace", () -> builder.namespace(properties.namespace()));
    builder.coherence(properties.coherence().enabled());
    if (Checks.positive("tiercache.l2-timeout", properties.l2Timeout()) != null) {
      builder.l2Timeout(properties.l2Timeout());
    }
    if (time != null) {
      builder.timeSource(time);
    }
    backends.backends().forEach(builder::backend);
    customizers.forEach(c -> c.customize(builder));
    TierCache cache = builder.build();
    try {
      CacheChecks.check(properties.caches(), cache.backends().keySet());
    } catch (RuntimeException e) {
      cache.close();
      throw e;
    }
    return cache;
  }
}
