package io.tiercache.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.CacheInfo;
import io.tiercache.KeyValueCache;
import io.tiercache.TierCache;
import io.tiercache.redis.RedisBackend;
import io.tiercache.testkit.RedisServerLauncher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;

/**
 * Issue 15's Spring tests on one real redis-server: two {@link AnnotationConfigApplicationContext}s,
 * each with its own {@link TierCache} and Redis connection, stand in for two processes. Each test
 * uses a namespace of its own, so no test sees another's keys. Waits for the other process are
 * bounded (10 s) and fail loudly.
 */
class TwoProcessesOnRedisTest {
  private static final Duration BOUND = Duration.ofSeconds(10);
  private static final AtomicInteger NAMESPACES = new AtomicInteger();
  private static RedisServerLauncher redis;

  private final List<AnnotationConfigApplicationContext> contexts = new ArrayList<>();
  private final ExecutorService pool = Executors.newCachedThreadPool();
  private final String namespace = "spring" + NAMESPACES.incrementAndGet();

  @BeforeAll
  static void startRedis() {
    redis = new RedisServerLauncher().start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @AfterEach
  void closeContexts() {
    pool.shutdownNow();
    contexts.forEach(AnnotationConfigApplicationContext::close);
  }

  /** A book, cached by the {@code books} cache whose value type it is. */
  public record Book(String isbn, String title) {}

  /** What the cached service of one process did: its computations, and the latches of {@code slow}. */
  static final class Work {
    final AtomicInteger computations = new AtomicInteger();
    final CountDownLatch computing = new CountDownLatch(1);
    volatile CountDownLatch release = new CountDownLatch(0);
  }

  /** The cached service: every method counts its computations in this process. */
  public static class Catalog {
    private final Work work;

    public Catalog(Work work) {
      this.work = work;
    }

    @Cacheable("books")
    public Book book(String isbn) {
      return new Book(isbn, "title-" + isbn + "-" + work.computations.incrementAndGet());
    }

    @Cacheable("prices")
    public Integer price(String sku, int quantity) {
      work.computations.incrementAndGet();
      return quantity * 10;
    }

    @CachePut(cacheNames = "books", key = "#book.isbn")
    public Book save(Book book) {
      return book;
    }

    @CacheEvict("books")
    public void evict(String isbn) {}

    @CacheEvict(cacheNames = "books", allEntries = true)
    public void evictAll() {}

    @Cacheable(cacheNames = "slow", sync = true)
    public String slow(String key) {
      int n = work.computations.incrementAndGet();
      work.computing.countDown();
      await(work.release);
      return key + "-" + n;
    }

    @Cacheable("maybe")
    public String maybe(String key) {
      work.computations.incrementAndGet();
      return null;
    }

    @Cacheable(cacheNames = "maybeSync", sync = true)
    public String maybeSync(String key) {
      work.computations.incrementAndGet();
      return null;
    }

    @Cacheable("async")
    public CompletableFuture<String> async(String key) {
      int n = work.computations.incrementAndGet();
      return CompletableFuture.supplyAsync(() -> key + "-async-" + n);
    }

    @Cacheable(cacheNames = "asyncSync", sync = true)
    public CompletableFuture<String> asyncSync(String key) {
      int n = work.computations.incrementAndGet();
      return CompletableFuture.supplyAsync(() -> key + "-async-" + n);
    }
  }

  /** One process: a Redis backend, a {@code TierCache}, the manager and the cached service. */
  @Configuration(proxyBeanMethods = false)
  @EnableCaching
  static class Process {
    @Bean
    RedisBackend redisBackend(Environment env) {
      return RedisBackend.builder().uri(env.getRequiredProperty("redis.uri"))
          .invalidationHeartbeat(Duration.ofSeconds(1)).build();
    }

    @Bean
    TierCache tierCache(RedisBackend backend, Environment env) {
      return TierCache.builder().namespace(env.getRequiredProperty("namespace")).backend("default", backend).build();
    }

    @Bean
    TierCacheManager cacheManager(TierCache tierCache, Environment env) {
      TierCacheOptions defaults = TierCacheOptions.defaults()
          .allowNullValues(env.getRequiredProperty("allowNullValues", Boolean.class));
      return TierCacheManager.builder(tierCache)
          .defaults(defaults)
          .cache("books", defaults.valueType(Book.class))
          .cache("prices", defaults.valueType(Integer.class))
          .build();
    }

    @Bean
    Work work() {
      return new Work();
    }

    @Bean
    Catalog catalog(Work work) {
      return new Catalog(work);
    }
  }

  private AnnotationConfigApplicationContext process(boolean allowNullValues) throws InterruptedException {
    AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
    context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("test", Map.of(
        "redis.uri", redis.uri(), "namespace", namespace, "allowNullValues", allowNullValues)));
    context.register(Process.class);
    context.refresh();
    contexts.add(context);
    // what L1 takes while the channel does not deliver yet lives at most its bound: start from a
    // delivering channel, so that no entry of a test expires on that account (heartbeat 1 s, bound 2 s)
    TierCache tierCache = context.getBean(TierCache.class);
    awaitUntil(() -> tierCache.coherence().delivering(), "the invalidation channel of a process delivers");
    return context;
  }

  private static Catalog catalog(AnnotationConfigApplicationContext process) {
    return process.getBean(Catalog.class);
  }

  private static Work work(AnnotationConfigApplicationContext process) {
    return process.getBean(Work.class);
  }

  private static KeyValueCache<?, ?> cache(AnnotationConfigApplicationContext process, String name) {
    return (KeyValueCache<?, ?>) process.getBean(TierCacheManager.class).getCache(name).getNativeCache();
  }

  /**
   * Waits until {@code to} received every invalidation {@code from} published. Without
   * {@code sync = true}, Spring stores a computed value with {@code put}, which tiercache publishes as
   * an update: a process that read the value from L2 before that message came drops its L1 copy
   * when it comes, so the tests let it come first.
   */
  private static void delivered(AnnotationConfigApplicationContext from, AnnotationConfigApplicationContext to)
      throws InterruptedException {
    long published = from.getBean(TierCache.class).coherence().published();
    awaitUntil(() -> to.getBean(TierCache.class).coherence().received() >= published,
        "the other process received the " + published + " invalidations published");
  }

  private static void assertComputations(AnnotationConfigApplicationContext a, int inA,
      AnnotationConfigApplicationContext b, int inB) {
    assertThat(work(a).computations).as("computations in A").hasValue(inA);
    assertThat(work(b).computations).as("computations in B").hasValue(inB);
  }

  /** Waits until the L1 of {@code cache} in {@code process} holds {@code size} entries. */
  private static void awaitL1Size(AnnotationConfigApplicationContext process, String cache, int size)
      throws InterruptedException {
    awaitUntil(() -> cache(process, cache).cacheInfo().l1CurrSize() == size,
        "the L1 of '" + cache + "' holds " + size + " entries");
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("latch not released within " + BOUND);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static void awaitUntil(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + BOUND.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + BOUND + ": " + what);
      }
      Thread.sleep(5);
    }
  }

  @Test
  void aCacheableValueComputedInOneProcessIsAnL2HitInTheOther() throws Exception {
    AnnotationConfigApplicationContext a = process(true);
    AnnotationConfigApplicationContext b = process(true);

    Book book = catalog(a).book("1");
    assertThat(book).isEqualTo(new Book("1", "title-1-1"));
    delivered(a, b);
    assertThat(catalog(b).book("1")).isEqualTo(book); // decoded as a Book from Redis
    assertThat(catalog(b).book("1")).isEqualTo(book);
    assertThat(catalog(a).price("sku", 3)).isEqualTo(30); // a SimpleKey of two parameters
    delivered(a, b);
    assertThat(catalog(b).price("sku", 3)).isEqualTo(30);

    assertComputations(a, 2, b, 0);
    assertThat(cache(b, "books").cacheInfo()).isEqualTo(new CacheInfo(1, 1, 1, 0, 128, 1));
    assertThat(cache(b, "prices").cacheInfo()).isEqualTo(new CacheInfo(0, 1, 1, 0, 128, 1));
    assertThat(cache(a, "books").cacheInfo()).isEqualTo(new CacheInfo(0, 1, 0, 1, 128, 1));
  }

  @Test
  void anEvictionByKeyAndOfAllEntriesReachesTheOtherProcessL1() throws Exception {
    AnnotationConfigApplicationContext a = process(true);
    AnnotationConfigApplicationContext b = process(true);
    catalog(a).book("1");
    catalog(a).book("2");
    delivered(a, b);
    catalog(b).book("1");
    catalog(b).book("2");
    assertThat(cache(b, "books").cacheInfo().l1CurrSize()).isEqualTo(2);

    catalog(a).evict("1");
    awaitL1Size(b, "books", 1);
    assertThat(catalog(b).book("1")).isEqualTo(new Book("1", "title-1-1")); // B computes it again
    assertThat(catalog(b).book("2")).isEqualTo(new Book("2", "title-2-2")); // still in B's L1

    catalog(a).evictAll();
    awaitL1Size(b, "books", 0);
    assertThat(catalog(b).book("2")).isEqualTo(new Book("2", "title-2-2"));
    assertThat(catalog(a).book("1")).isEqualTo(new Book("1", "title-1-3"));
    assertComputations(a, 3, b, 2);
  }

  @Test
  void aCachePutReachesTheOtherProcessL1() throws Exception {
    AnnotationConfigApplicationContext a = process(true);
    AnnotationConfigApplicationContext b = process(true);
    catalog(a).book("1");
    delivered(a, b);
    assertThat(catalog(b).book("1")).isEqualTo(new Book("1", "title-1-1"));

    Book edited = new Book("1", "edited");
    catalog(a).save(edited);
    awaitL1Size(b, "books", 0);

    assertThat(catalog(b).book("1")).isEqualTo(edited);
    assertThat(catalog(a).book("1")).isEqualTo(edited);
    assertComputations(a, 1, b, 0);
  }

  @Test
  void syncTrueComputesOnceForConcurrentCallers() throws Exception {
    AnnotationConfigApplicationContext a = process(true);
    AnnotationConfigApplicationContext b = process(true);
    Catalog catalog = catalog(a);
    Work work = work(a);
    work.release = new CountDownLatch(1);
    List<Future<String>> callers = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      callers.add(pool.submit(() -> catalog.slow("k")));
    }
    await(work.computing);
    awaitUntil(() -> cache(a, "slow").cacheInfo().l1Hits() == 4, "four callers joined the computation");
    work.release.countDown();

    for (Future<String> caller : callers) {
      assertThat(caller.get(10, TimeUnit.SECONDS)).isEqualTo("k-1");
    }
    assertThat(work.computations).hasValue(1);
    assertThat(catalog(b).slow("k")).isEqualTo("k-1");
    assertThat(work(b).computations).hasValue(0);
  }

  @Test
  void withNullValuesAllowedANullResultIsCachedAcrossProcesses() throws Exception {
    AnnotationConfigApplicationContext a = process(true);
    AnnotationConfigApplicationContext b = process(true);
    assertThat(catalog(a).maybe("k")).isNull();
    assertThat(catalog(a).maybe("k")).isNull();
    assertThat(catalog(a).maybeSync("k")).isNull();
    delivered(a, b);
    assertThat(catalog(b).maybe("k")).isNull();
    assertThat(catalog(b).maybeSync("k")).isNull();

    assertComputations(a, 2, b, 0);
    assertThat(cache(b, "maybe").cacheInfo()).isEqualTo(new CacheInfo(0, 1, 1, 0, 128, 1));
  }

  @Test
  void withoutNullValuesANullResultFailsWithSpringsMessage() throws Exception {
    AnnotationConfigApplicationContext a = process(false);
    assertThatThrownBy(() -> catalog(a).maybe("k"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cache 'maybe' is configured to not allow null values but null was provided");
    assertThatThrownBy(() -> catalog(a).maybeSync("k"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cache 'maybeSync' is configured to not allow null values but null was provided");
    assertThat(cache(a, "maybe").cacheInfo().l1CurrSize()).isZero();
    assertThat(work(a).computations).hasValue(2);
  }

  @Test
  void completableFutureResultsGoThroughRetrieve() throws Exception {
    AnnotationConfigApplicationContext a = process(true);
    AnnotationConfigApplicationContext b = process(true);
    assertThat(catalog(a).async("k").get(10, TimeUnit.SECONDS)).isEqualTo("k-async-1");
    awaitL1Size(a, "async", 1);
    assertThat(catalog(a).async("k").get(10, TimeUnit.SECONDS)).isEqualTo("k-async-1");
    delivered(a, b);
    assertThat(catalog(b).async("k").get(10, TimeUnit.SECONDS)).isEqualTo("k-async-1");

    assertThat(catalog(a).asyncSync("k").get(10, TimeUnit.SECONDS)).isEqualTo("k-async-2");
    assertThat(catalog(b).asyncSync("k").get(10, TimeUnit.SECONDS)).isEqualTo("k-async-2");

    assertComputations(a, 2, b, 0);
    assertThat(cache(b, "async").cacheInfo()).isEqualTo(new CacheInfo(0, 1, 1, 0, 128, 1));
  }
}
