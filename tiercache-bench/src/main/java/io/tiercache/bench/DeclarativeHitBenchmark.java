package io.tiercache.bench;

import io.tiercache.CachedFunction2;
import io.tiercache.TierCache;
import io.tiercache.annotation.Cached;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A hit of a proxied {@code @Cached} method, next to the plain cached-function hit and Spring's
 * {@code @Cacheable} through its proxy (ConcurrentMap cache manager, a SpEL key), in the same run.
 * Every call hits; 256 argument pairs are cycled, made before measuring.
 *
 * <pre>
 * java -jar tiercache-bench/target/benchmarks.jar DeclarativeHitBenchmark -f 2 -wi 3 -w 1s -i 5 -r 1s
 * </pre>
 */
@Scenario("A hit of a `@Cached` proxy method and of the plain cached function against Spring's "
    + "`@Cacheable` (ConcurrentMap manager, SpEL key).")
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class DeclarativeHitBenchmark {
  private static final int KEYS = 256;

  /** The service, declared for tiercache. */
  public interface Calculator {
    /** A cached sum, keyed by a template. */
    @Cached(key = "add:{a}:{b}", l1MaxSize = 1024)
    Long add(Long a, Long b);
  }

  /** The same service, declared for Spring. */
  public static class SpringCalculator {
    /** A cached sum, keyed by a SpEL expression. */
    @Cacheable(cacheNames = "add", key = "#a + ':' + #b")
    public Long add(Long a, Long b) {
      return a + b;
    }
  }

  /** Spring's configuration: caching on, an in-memory cache manager. */
  @Configuration
  @EnableCaching
  public static class SpringConfig {
    /** The cache manager. */
    @Bean
    public CacheManager cacheManager() {
      return new ConcurrentMapCacheManager("add");
    }

    /** The proxied service. */
    @Bean
    public SpringCalculator calculator() {
      return new SpringCalculator();
    }
  }

  Long[] as = new Long[KEYS];
  Long[] bs = new Long[KEYS];
  int i;
  CachedFunction2<Long, Long, Long> function;
  Calculator proxy;
  SpringCalculator spring;
  AnnotationConfigApplicationContext context;

  @Setup
  public void setUp() {
    TierCache cache = TierCache.builder().build();
    function = cache.function("add", Long.class).l1MaxSize(1024).of((Long a, Long b) -> a + b);
    proxy = cache.proxy(Calculator.class, (a, b) -> a + b);
    context = new AnnotationConfigApplicationContext(SpringConfig.class);
    spring = context.getBean(SpringCalculator.class);
    for (int k = 0; k < KEYS; k++) {
      // equal but not identical to the instances the caches were filled with
      function.apply((long) k, 1000L + k);
      proxy.add((long) k, 1000L + k);
      spring.add((long) k, 1000L + k);
      as[k] = Long.valueOf(k + 0L);
      bs[k] = Long.valueOf(1000L + k);
    }
  }

  @TearDown
  public void tearDown() {
    context.close();
  }

  private int next() {
    return i = (i + 1) & (KEYS - 1);
  }

  @Benchmark
  public Long tiercacheFunction() {
    int k = next();
    return function.apply(as[k], bs[k]);
  }

  @Benchmark
  public Long tiercacheProxy() {
    int k = next();
    return proxy.add(as[k], bs[k]);
  }

  @Benchmark
  public Long springCacheable() {
    int k = next();
    return spring.add(as[k], bs[k]);
  }
}
