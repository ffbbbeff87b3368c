package io.tiercache.spring.boot;

import io.tiercache.TierCache;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * With Spring Boot Actuator on the class path: the {@code tiercache} endpoint
 * ({@link TierCacheEndpoint}); expose it with {@code management.endpoints.web.exposure.include}.
 */
@AutoConfiguration(after = TierCacheAutoConfiguration.class)
@ConditionalOnClass({TierCache.class, Endpoint.class})
@ConditionalOnBean(TierCache.class)
public class TierCacheEndpointAutoConfiguration {

  /** Boot creates it. */
  public TierCacheEndpointAutoConfiguration() {}

  /**
   * The endpoint.
   *
   * @param tierCache the application's {@code TierCache}
   * @return the endpoint
   */
  @Bean
  @ConditionalOnMissingBean
  public TierCacheEndpoint tierCacheEndpoint(TierCache tierCache) {
    return new TierCacheEndpoint(tierCache);
  }

  // INTEGRATION SEAM (branch i15metrics): the Micrometer binder, in its own auto-configuration
  // class conditional on io.micrometer.core.instrument.binder.MeterBinder and on the
  // tiercache-micrometer binder class, listed in AutoConfiguration.imports:
  //   @Bean @ConditionalOnMissingBean MeterBinder tierCacheMeterBinder(TierCache tierCache)
  // (one binder over tierCache.functions(), so functions built after startup are bound too).
}
