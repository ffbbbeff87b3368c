package io.tiercache.bench.peer;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.tiercache.TierCache;
import io.tiercache.bench.UserCallShape;
import io.tiercache.spring.TierCacheManager;
import io.tiercache.spring.TierCacheOptions;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.caffeine.CaffeineCacheManager;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.cache.RedisCacheConfiguration;
import org.springframework.data.redis.cache.RedisCacheManager;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * One Spring application with {@code @Cacheable} as a user writes it: a {@code @Configuration}
 * with {@code @EnableCaching}, one {@link CacheManager} bean and one service bean,
 * {@link FindService}, whose five cached methods {@code find0..find4(long id, String category)}
 * each have their own cache. Each manager gets its own application (its own context), as an
 * application has one manager; the service class, the proxy and the key are the same in all.
 *
 * <p>Same options in every manager: at most {@value #MAX_SIZE} entries per cache where the manager
 * bounds its caches (tiercache's L1, Caffeine), a lifetime of {@link #TTL} (all of them). Caffeine
 * records stats, because tiercache always counts its hits. {@code RedisCacheManager} keeps its
 * defaults otherwise (JDK serialization of values, {@code SimpleKey.toString()} keys).
 *
 * <p>Close it to close the context, its manager and the connection factory it made.
 */
public final class CacheableApp implements AutoCloseable {
  /** The bound of each cache, in the managers that bound them. */
  public static final int MAX_SIZE = 1024;
  /** The lifetime of every entry, in every manager. */
  public static final Duration TTL = Duration.ofMinutes(10);
  /** The service's cache names, one per cached method. */
  public static final List<String> CACHES = List.of("find0", "find1", "find2", "find3", "find4");

  private final AnnotationConfigApplicationContext context;
  private final FindService service;
  private AutoCloseable closeAlso;

  private CacheableApp(CacheManager manager) {
    context = new AnnotationConfigApplicationContext();
    context.registerBean(CacheManager.class, () -> manager);
    context.register(Config.class);
    context.refresh();
    service = context.getBean(FindService.class);
  }

  /**
   * The options of every tiercache cache: values are strings, L1 bounded to {@value #MAX_SIZE}
   * (or {@code l1MaxSize}), lifetime {@link #TTL}.
   */
  public static TierCacheOptions tierCacheOptions(long l1MaxSize) {
    return TierCacheOptions.defaults().valueType(String.class).l1MaxSize(l1MaxSize).ttl(TTL);
  }

  /** An application on {@link TierCacheManager} over {@code tierCache}, L1 of {@code l1MaxSize}. */
  public static CacheableApp tierCache(TierCache tierCache, long l1MaxSize) {
    TierCacheOptions options = tierCacheOptions(l1MaxSize);
    TierCacheManager.Builder builder = TierCacheManager.builder(tierCache).defaults(options)
        .dynamic(false);
    CACHES.forEach(builder::cache);
    return new CacheableApp(builder.build());
  }

  /** An application on Spring's {@link CaffeineCacheManager}, same bound and lifetime. */
  public static CacheableApp caffeine() {
    CaffeineCacheManager manager = new CaffeineCacheManager();
    manager.setCaffeine(Caffeine.newBuilder().maximumSize(MAX_SIZE).expireAfterWrite(TTL).recordStats());
    manager.setCacheNames(CACHES);
    return new CacheableApp(manager);
  }

  /**
   * An application on Spring Data Redis's {@link RedisCacheManager} (Lettuce) to the redis-server
   * at {@code host:port}, same lifetime, no bound (Redis has none per cache).
   */
  public static CacheableApp redis(String host, int port) {
    LettuceConnectionFactory factory =
        new LettuceConnectionFactory(new RedisStandaloneConfiguration(host, port));
    factory.afterPropertiesSet();
    factory.start();
    RedisCacheManager manager = RedisCacheManager.builder(factory)
        .cacheDefaults(RedisCacheConfiguration.defaultCacheConfig().entryTtl(TTL))
        .initialCacheNames(new LinkedHashSet<>(CACHES))
        .disableCreateOnMissingCache()
        .build();
    CacheableApp app = new CacheableApp(manager);
    app.closeAlso = factory::destroy;
    return app;
  }

  /** The proxied service. */
  public FindService service() {
    return service;
  }

  /** The application's manager. */
  public CacheManager manager() {
    return context.getBean(CacheManager.class);
  }

  @Override
  public void close() throws Exception {
    context.close();
    if (closeAlso != null) {
      closeAlso.close();
    }
  }

  /**
   * The cached service: five methods as a user writes them, default key ({@code SimpleKey} of the
   * two parameters), each with its own cache. Counts the computations it makes.
   */
  public static class FindService {
    private final LongAdder computations = new LongAdder();

    private String compute(long id, String category) {
      computations.increment();
      return UserCallShape.find(id, category);
    }

    /** How many times a method body ran. */
    public long computations() {
      return computations.sum();
    }

    /** Cached in {@code find0}. */
    @Cacheable("find0")
    public String find0(long id, String category) {
      return compute(id, category);
    }

    /** Cached in {@code find1}. */
    @Cacheable("find1")
    public String find1(long id, String category) {
      return compute(id, category);
    }

    /** Cached in {@code find2}. */
    @Cacheable("find2")
    public String find2(long id, String category) {
      return compute(id, category);
    }

    /** Cached in {@code find3}. */
    @Cacheable("find3")
    public String find3(long id, String category) {
      return compute(id, category);
    }

    /** Cached in {@code find4}. */
    @Cacheable("find4")
    public String find4(long id, String category) {
      return compute(id, category);
    }
  }

  /** Caching on; the manager bean is registered by {@link CacheableApp}. */
  @Configuration
  @EnableCaching
  public static class Config {
    /** The proxied service. */
    @Bean
    public FindService findService() {
      return new FindService();
    }
  }
}
