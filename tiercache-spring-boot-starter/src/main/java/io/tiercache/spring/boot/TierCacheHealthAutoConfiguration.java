package io.tiercache.spring.boot;

import io.tiercache.TierCache;
import io.tiercache.spring.boot.internal.HealthRegistrar;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.context.annotation.Bean;

/**
 * With Spring Boot's health support on the class path: a {@link TierCacheHealthIndicator} per
 * backend, named {@code tiercache-<alias>} (e.g. {@code /actuator/health/tiercache-default}).
 */
@AutoConfiguration(after = TierCacheAutoConfiguration.class)
@ConditionalOnClass({TierCache.class, HealthContributorRegistry.class})
@ConditionalOnBean(TierCache.class)
public class TierCacheHealthAutoConfiguration {

  /** Boot creates it. */
  public TierCacheHealthAutoConfiguration() {}

  /**
   * Registers the indicators once Boot's health registry exists.
   *
   * @param tierCache the application's {@code TierCache}
   * @param registry Boot's health registry
   * @return the registrar
   */
  @Bean
  public HealthRegistrar tierCacheHealthRegistrar(TierCache tierCache,
      ObjectProvider<HealthContributorRegistry> registry) {
    return new HealthRegistrar(tierCache, registry);
  }
}
