package io.tiercache.bench.peer;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.tiercache.bench.Work;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.caffeine.CaffeineCacheManager;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * Spring's {@code @Cacheable}, as an application uses it: a proxied bean in an
 * {@link AnnotationConfigApplicationContext}, with a {@link ConcurrentMapCacheManager} (Spring's
 * default) and a {@link CaffeineCacheManager} (bounded), each with the default key
 * ({@code SimpleKey} of the arguments) and with a SpEL key. Close it to close the context.
 */
public final class SpringPeer implements AutoCloseable {
  /** The bound of the Caffeine-managed caches, as the tiercache functions they are compared to. */
  public static final int CAFFEINE_MAX_SIZE = 1024;

  private final AnnotationConfigApplicationContext context;
  private final Service service;

  private SpringPeer() {
    context = new AnnotationConfigApplicationContext(Config.class);
    service = context.getBean(Service.class);
  }

  /** Starts a context. */
  public static SpringPeer start() {
    return new SpringPeer();
  }

  /** The proxied service. */
  public Service service() {
    return service;
  }

  /** A cache of the Caffeine manager, by name (to clear it as an application would). */
  public Cache caffeineCache(String name) {
    return context.getBean("caffeineCacheManager", CacheManager.class).getCache(name);
  }

  /** A cache of the ConcurrentMap manager, by name. */
  public Cache concurrentMapCache(String name) {
    return context.getBean("concurrentMapCacheManager", CacheManager.class).getCache(name);
  }

  @Override
  public void close() {
    context.close();
  }

  /** The cached service: the same functions as tiercache's, under Spring's annotations. */
  public static class Service {
    /** ConcurrentMap manager, default key. */
    @Cacheable(cacheNames = "mapDefault", cacheManager = "concurrentMapCacheManager")
    public Long addMapDefaultKey(Long a, Long b) {
      return Work.add(a, b);
    }

    /** ConcurrentMap manager, SpEL key. */
    @Cacheable(cacheNames = "mapSpel", key = "#a + ':' + #b",
        cacheManager = "concurrentMapCacheManager")
    public Long addMapSpelKey(Long a, Long b) {
      return Work.add(a, b);
    }

    /** Caffeine manager, default key. */
    @Cacheable(cacheNames = "caffeineDefault", cacheManager = "caffeineCacheManager")
    public Long addCaffeineDefaultKey(Long a, Long b) {
      return Work.add(a, b);
    }

    /** Caffeine manager, SpEL key. */
    @Cacheable(cacheNames = "caffeineSpel", key = "#a + ':' + #b",
        cacheManager = "caffeineCacheManager")
    public Long addCaffeineSpelKey(Long a, Long b) {
      return Work.add(a, b);
    }

    /** One argument, Caffeine manager (bounded): the scenario benchmarks' function. */
    @Cacheable(cacheNames = "compute", cacheManager = "caffeineCacheManager")
    public Long compute(Long n) {
      return Work.compute(n);
    }

    /** Removes {@link #compute}'s entry for {@code n}. */
    @CacheEvict(cacheNames = "compute", cacheManager = "caffeineCacheManager")
    public void evictCompute(Long n) {}
  }

  /** Caching on, both managers; the ConcurrentMap one is the default. */
  @Configuration
  @EnableCaching
  public static class Config {
    /** Spring's default manager. */
    @Bean
    @Primary
    public CacheManager concurrentMapCacheManager() {
      return new ConcurrentMapCacheManager();
    }

    /** The bounded manager. */
    @Bean
    public CacheManager caffeineCacheManager() {
      CaffeineCacheManager manager = new CaffeineCacheManager();
      manager.setCaffeine(Caffeine.newBuilder().maximumSize(CAFFEINE_MAX_SIZE));
      return manager;
    }

    /** The proxied service. */
    @Bean
    public Service service() {
      return new Service();
    }
  }
}
