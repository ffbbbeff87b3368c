package io.tiercache.spring.boot;

import io.tiercache.TierCache;
import io.tiercache.TimeSource;
import io.tiercache.spring.boot.internal.ConfiguredBackends;
import io.tiercache.spring.boot.internal.SslBundleLookup;
import io.tiercache.spring.boot.internal.TierCacheFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;

/**
 * Builds a {@link TierCache} bean from the {@code tiercache.*} properties
 * ({@link TierCacheProperties}): the backends of {@code tiercache.backends} (an embedded one under
 * {@code default} when none is configured), the namespace, coherence and L2 timeout, then every
 * {@link TierCacheBuilderCustomizer}. A {@link TimeSource} bean, if any, is the clock of the
 * {@code TierCache} and of embedded backends. The {@code TierCache} is closed when the context
 * closes, then the backends. A wrong property fails startup naming it
 * ({@link TierCacheConfigurationException}).
 */
@AutoConfiguration
@ConditionalOnClass(TierCache.class)
@EnableConfigurationProperties(TierCacheProperties.class)
public class TierCacheAutoConfiguration {

  /** Boot creates it. */
  public TierCacheAutoConfiguration() {}

  /**
   * The backends of {@code tiercache.backends}, closed with the context after the
   * {@code TierCache}.
   *
   * @param properties the bound properties
   * @param time the application's clock, if any
   * @param sslBundles Boot's SSL bundles, for {@code redis.ssl.bundle}
   * @return the built backends
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public ConfiguredBackends tierCacheBackends(TierCacheProperties properties,
      ObjectProvider<TimeSource> time, ObjectProvider<SslBundles> sslBundles) {
    SslBundleLookup lookup = name -> {
      SslBundles bundles = sslBundles.getIfAvailable();
      if (bundles == null) {
        throw new IllegalArgumentException("no SSL bundles are configured (spring.ssl.bundle.*)");
      }
      try {
        SslBundle bundle = bundles.getBundle(name);
        return new SslBundleLookup.Managers(bundle.getManagers().getTrustManagerFactory(),
            bundle.getManagers().getKeyManagerFactory());
      } catch (NoSuchSslBundleException e) {
        throw new IllegalArgumentException(e.getMessage(), e);
      }
    };
    return ConfiguredBackends.build(properties, time.getIfAvailable(), lookup);
  }

  /**
   * The application's {@code TierCache}; {@code close()} runs when the context closes.
   *
   * @param properties the bound properties
   * @param backends the configured backends
   * @param time the application's clock, if any
   * @param customizers the application's customizers
   * @return the {@code TierCache}
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public TierCache tierCache(TierCacheProperties properties, ConfiguredBackends backends,
      ObjectProvider<TimeSource> time, ObjectProvider<TierCacheBuilderCustomizer> customizers) {
    return TierCacheFactory.build(properties, backends, time.getIfAvailable(),
        customizers.orderedStream().toList());
  }

  /**
   * The {@code tiercache.caches.<name>.*} overrides, for whatever builds caches by name.
   *
   * @param properties the bound properties
   * @param tierCache the {@code TierCache}, built (and the overrides checked against its backends)
   *     first
   * @return the overrides
   */
  @Bean
  @ConditionalOnMissingBean
  public TierCacheCacheOverrides tierCacheCacheOverrides(TierCacheProperties properties,
      TierCache tierCache) {
    return new TierCacheCacheOverrides(properties.caches());
  }

  // INTEGRATION SEAM (branch i15spring): the Spring CacheManager goes here, e.g.
  //   @Bean @ConditionalOnClass(name = "io.tiercache.spring.TierCacheManager")
  //   @ConditionalOnMissingBean(org.springframework.cache.CacheManager.class)
  //   TierCacheManager cacheManager(TierCache tierCache, TierCacheCacheOverrides overrides)
  // building each cache through overrides.apply(name, tierCache.function(name, type)).
  // INTEGRATION SEAM (branch i15metrics): the meter binder goes in TierCacheActuatorAutoConfiguration
  // (it needs Micrometer on the class path), see there.
}
