package io.tiercache.spring.boot.internal;

import io.tiercache.TierCache;
import io.tiercache.spring.boot.TierCacheHealthIndicator;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.health.registry.HealthContributorRegistry;

/**
 * Registers a {@link TierCacheHealthIndicator} named {@code tiercache-<alias>} per backend of the
 * {@code TierCache} (its backends are known only once it is built, so not as beans).
 */
public final class HealthRegistrar implements SmartInitializingSingleton, DisposableBean {
  private final TierCache tierCache;
  private final ObjectProvider<HealthContributorRegistry> registry;
  private final List<String> registered = new ArrayList<>();

  /**
   * A registrar for the backends of {@code tierCache}.
   *
   * @param tierCache the application's {@code TierCache}
   * @param registry Boot's health registry, if the application has one
   */
  public HealthRegistrar(TierCache tierCache, ObjectProvider<HealthContributorRegistry> registry) {
    this.tierCache = tierCache;
    this.registry = registry;
  }

  @Override
  public void afterSingletonsInstantiated() {
    HealthContributorRegistry health = registry.getIfAvailable();
    if (health == null) {
      return;
    }
    for (String alias : tierCache.backends().keySet()) {
      String name = "tiercache-" + alias;
      health.registerContributor(name, new TierCacheHealthIndicator(tierCache, alias));
      registered.add(name);
    }
  }

  @Override
  public void destroy() {
    HealthContributorRegistry health = registry.getIfAvailable();
    if (health != null) {
      registered.forEach(health::unregisterContributor);
    }
    registered.clear();
  }
}
