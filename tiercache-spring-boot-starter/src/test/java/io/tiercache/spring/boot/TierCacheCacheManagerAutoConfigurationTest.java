package io.tiercache.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.KeyValueCache;
import io.tiercache.TierCache;
import io.tiercache.backend.InMemoryBackend;
import io.tiercache.spring.TierCacheManager;
import io.tiercache.spring.TierCacheOptions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The starter's {@code CacheManager}: a {@link TierCacheManager} named {@code cacheManager} that
 * Boot's own cache auto-configuration does not replace, {@code tiercache.caches.<name>.*} on the
 * Spring cache of that name (the same options {@link TierCacheCacheOverrides} gives functions),
 * {@code spring.cache.cache-names}, and the application's own {@code CacheManager} winning.
 */
class TierCacheCacheManagerAutoConfigurationTest {
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withUserConfiguration(Caching.class)
      .withConfiguration(AutoConfigurations.of(TierCacheAutoConfiguration.class,
          TierCacheCacheManagerAutoConfiguration.class, CacheAutoConfiguration.class));

  @Configuration(proxyBeanMethods = false)
  @EnableCaching
  static class Caching {}

  @Test
  void theCacheManagerIsATierCacheManagerOnTheTierCacheAndBootsOwnStepsAside() {
    runner.run(context -> {
      assertThat(context.getBeanNamesForType(CacheManager.class)).containsExactly("cacheManager");
      TierCacheManager manager = context.getBean(TierCacheManager.class);
      assertThat(manager.tierCache()).isSameAs(context.getBean(TierCache.class));
      assertThat(manager.getCacheNames()).isEmpty();
      Cache books = manager.getCache("books");
      assertThat(books.get("b1", () -> "Dune")).isEqualTo("Dune");
      assertThat(books.get("b1", () -> "other")).isEqualTo("Dune");
      assertThat(manager.getCacheNames()).containsExactly("books");
      assertThat(nativeOf(books).cacheInfo().l1MaxSize()).isEqualTo(128);
    });
  }

  @Test
  void tiercacheCachesPropertiesShapeTheSpringCacheOfThatNameAlsoWhenACustomizerNamesIt() {
    RecordingBackend recording = new RecordingBackend(InMemoryBackend.create());
    runner.withBean(TierCacheBuilderCustomizer.class, () -> b -> b.backend("rec", recording))
        .withBean(TierCacheManagerCustomizer.class, () -> b -> b.cache("users",
            TierCacheOptions.defaults().valueType(String.class).allowNullValues(false)))
        .withPropertyValues("tiercache.caches.users.l1-max-size=7",
            "tiercache.caches.users.ttl=30s",
            "tiercache.caches.users.backend=rec",
            "tiercache.caches.users.lease.max-wait=250ms",
            "tiercache.caches.users.lease.ttl=4s").run(context -> {
          TierCacheManager manager = context.getBean(TierCacheManager.class);
          assertThat(manager.getCacheNames()).as("built at startup").containsExactly("users");
          Cache users = manager.getCache("users");
          assertThat(users.get("ann", () -> "user ann")).isEqualTo("user ann");
          assertThat(nativeOf(users).cacheInfo().l1MaxSize()).isEqualTo(7);
          assertThat(recording.leaseTtls).containsExactly(Duration.ofSeconds(4));
          // the value with the cache's TTL, and the version stamp of the cache's prefix (no expiry)
          assertThat(recording.setTtls)
              .containsExactlyInAnyOrder(Duration.ofSeconds(30), Duration.ZERO);
          assertThat(nativeOf(manager.getCache("others")).cacheInfo().l1MaxSize()).isEqualTo(128);
        });
  }

  @Test
  void springCacheNamesAreBuiltAtStartupAndNoOtherNameGetsACache() {
    runner.withPropertyValues("spring.cache.cache-names=a,b").run(context -> {
      TierCacheManager manager = context.getBean(TierCacheManager.class);
      assertThat(manager.getCacheNames()).containsExactly("a", "b");
      assertThat(manager.getCache("c")).isNull();
      assertThat(manager.getCacheNames()).containsExactly("a", "b");
    });
  }

  @Test
  void anApplicationsOwnCacheManagerWins() {
    runner.withBean("appCaches", CacheManager.class, ConcurrentMapCacheManager::new).run(context -> {
      assertThat(context.getBeanNamesForType(CacheManager.class)).containsExactly("appCaches");
      assertThat(context.getBeanNamesForType(TierCacheManager.class)).isEmpty();
      assertThat(context.getBean(TierCache.class).functions()).isEmpty();
    });
  }

  private static KeyValueCache<?, ?> nativeOf(Cache cache) {
    return (KeyValueCache<?, ?>) cache.getNativeCache();
  }
}
