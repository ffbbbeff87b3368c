package io.tiercache.spring.boot;

import io.micrometer.core.instrument.MeterRegistry;
import io.tiercache.TierCache;
import io.tiercache.micrometer.TierCacheMetrics;
import io.tiercache.spring.TierCacheManager;
import io.tiercache.spring.boot.internal.ManagerMeters;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * With Micrometer and {@code tiercache-micrometer} on the class path and a {@link MeterRegistry}
 * bean: the meters of the starter's {@code TierCache} (docs/metrics.md), for every function it has
 * when Boot binds its meter binders and for every cache the starter's {@code TierCacheManager}
 * creates afterwards. The {@code cache.manager} tag is the {@code CacheManager}'s bean name as
 * Boot's cache metrics make it ({@code cacheManager}), or the namespace without a
 * {@code TierCacheManager}.
 *
 * <p>There is deliberately no {@code CacheMeterBinderProvider} for tiercache caches: Boot's
 * {@code CacheMetricsRegistrar} binds the caches a manager has at startup, which this binder binds
 * too, and Micrometer warns about every meter registered twice. Boot skips caches it has no
 * provider for, so each meter is registered once, by the starter.
 */
@AutoConfiguration(after = {TierCacheAutoConfiguration.class,
    TierCacheCacheManagerAutoConfiguration.class},
    afterName = {"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"},
    beforeName = "org.springframework.boot.cache.autoconfigure.metrics.CacheMetricsAutoConfiguration")
@ConditionalOnClass({MeterRegistry.class, TierCacheMetrics.class})
@ConditionalOnBean({TierCache.class, MeterRegistry.class})
public class TierCacheMetricsAutoConfiguration {

  /** Boot creates it. */
  public TierCacheMetricsAutoConfiguration() {}

  /**
   * The meter binder of the {@code TierCache}; Boot binds it to the registry.
   *
   * @param tierCache the {@code TierCache}
   * @param beans to find the name of the {@code TierCacheManager} bean on it
   * @return the binder
   */
  @Bean
  @ConditionalOnMissingBean
  public ManagerMeters tierCacheMeters(TierCache tierCache, ListableBeanFactory beans) {
    String[] managers = beans.getBeanNamesForType(TierCacheManager.class, false, false);
    String tag = managers.length == 1 ? ManagerMeters.tagOf(managers[0]) : tierCache.namespace();
    return new ManagerMeters(tierCache, tag);
  }

  /**
   * Binds each cache the starter's {@code TierCacheManager} creates after startup.
   *
   * @param meters the binder
   * @return the customizer adding the listener
   */
  @Bean
  public TierCacheManagerCustomizer tierCacheMeterListener(ManagerMeters meters) {
    return builder -> builder.onCreate(meters::created);
  }
}
