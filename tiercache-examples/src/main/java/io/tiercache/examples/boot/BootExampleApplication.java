package io.tiercache.examples.boot;

import io.tiercache.KeyValueCache;
import java.io.PrintStream;
import org.springframework.boot.CommandLineRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;

/**
 * A Spring Boot application on tiercache: the starter, {@code @EnableCaching}, and a service with
 * {@code @Cacheable} and {@code @CacheEvict} ({@link Catalog}) that knows nothing of tiercache.
 * {@code application.properties} configures the embedded L2, so it runs with no server; set
 * {@code tiercache.backends.default.redis.uri} instead (and add {@code tiercache-redis}) and every
 * instance shares L2 and drops its L1 entries when another one evicts them.
 *
 * <p>Run it with {@code mvn -q -pl tiercache-examples -am package -Pdemo
 * -Ddemo.main=io.tiercache.examples.boot.BootExampleApplication -DskipTests}.
 */
@SpringBootApplication
@EnableCaching
public class BootExampleApplication {

  /**
   * Starts the application, which prints what its calls did, then stops.
   *
   * @param args Spring Boot arguments ({@code --tiercache.*=...})
   */
  public static void main(String[] args) {
    SpringApplication.run(BootExampleApplication.class, args).close();
  }

  /** Prints the walk-through on standard output at startup. */
  @Bean
  CommandLineRunner walkThrough(Catalog catalog, CacheManager caches) {
    return args -> run(catalog, caches, System.out);
  }

  /**
   * Calls the cached service and prints what happened: how many lookups ran, and the statistics of
   * the tiercache cache behind {@code @Cacheable("titles")}.
   *
   * @param catalog the cached service
   * @param caches the application's cache manager (the starter's {@code TierCacheManager})
   * @param out where to print
   */
  static void run(Catalog catalog, CacheManager caches, PrintStream out) {
    catalog.title("978-0441172719");
    catalog.title("978-0441172719");
    out.println("title twice -> " + catalog.lookups() + " lookups so far");
    catalog.retitle("978-0441172719");
    out.println("after @CacheEvict, title -> " + catalog.title("978-0441172719") + ", "
        + catalog.lookups() + " lookups so far");
    KeyValueCache<?, ?> titles = (KeyValueCache<?, ?>) caches.getCache("titles").getNativeCache();
    out.println("cache manager: " + caches.getClass().getSimpleName());
    out.println("titles statistics: " + titles.cacheInfo());
  }
}
