package io.tiercache.spring.boot;

import io.tiercache.TierCache;
import io.tiercache.spring.TierCacheManager;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.cache.CacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Spring's {@link CacheManager} on the starter's {@code TierCache}: a {@link TierCacheManager} bean
 * named {@code cacheManager}, unless the application defines a {@code CacheManager} of its own.
 * It runs before Boot's cache auto-configuration, so Boot's own cache manager does not replace it,
 * and {@code /actuator/caches} lists its caches.
 *
 * <p>A cache is created at its first use ({@code @Cacheable("books")}) with the default options,
 * and {@code tiercache.caches.<name>.*} in their place where set ({@link TierCacheCacheOverrides#options}
 * applies them to every cache the manager builds, including those a customizer names with
 * options of its own). The caches of {@code spring.cache.cache-names} are built at startup and, as
 * with Boot's own cache managers, no other name gets a cache (Spring reports an unknown one). Then
 * every {@link TierCacheManagerCustomizer} adjusts the builder.
 */
@AutoConfiguration(after = TierCacheAutoConfiguration.class, before = CacheAutoConfiguration.class)
@ConditionalOnClass({TierCacheManager.class, CacheManager.class})
@ConditionalOnBean(TierCache.class)
public class TierCacheCacheManagerAutoConfiguration {

  /** Boot creates it. */
  public TierCacheCacheManagerAutoConfiguration() {}

  /**
   * The cache manager.
   *
   * @param tierCache the {@code TierCache} the caches are built in
   * @param overrides the {@code tiercache.caches.<name>.*} options
   * @param environment for {@code spring.cache.cache-names}
   * @param customizers the application's customizers
   * @return the manager, its configured caches built
   */
  @Bean
  @ConditionalOnMissingBean(CacheManager.class)
  public TierCacheManager cacheManager(TierCache tierCache, TierCacheCacheOverrides overrides,
      Environment environment, ObjectProvider<TierCacheManagerCustomizer> customizers) {
    TierCacheManager.Builder builder = TierCacheManager.builder(tierCache);
    List<String> springNames = Binder.get(environment)
        .bind("spring.cache.cache-names", Bindable.listOf(String.class)).orElse(List.of());
    if (!springNames.isEmpty()) {
      builder.dynamic(false);
    }
    springNames.forEach(builder::cache);
    builder.overrides(overrides::options);
    customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
    return builder.build();
  }
}
