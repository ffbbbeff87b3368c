package io.tiercache.bench;

import io.tiercache.CacheInfo;
import io.tiercache.CachedFunction2;
import io.tiercache.KeyValueCache;
import io.tiercache.TierCache;
import io.tiercache.backend.Backend;
import io.tiercache.backend.InMemoryBackend;
import io.tiercache.bench.peer.CacheableApp;
import io.tiercache.bench.peer.CacheableApp.FindService;
import io.tiercache.redis.RedisBackend;
import io.tiercache.testkit.RedisServerLauncher;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Spring's {@code @Cacheable} through {@code TierCacheManager} against Spring's own managers, in
 * the same run: one application per manager ({@link CacheableApp}), the same proxied service with
 * five cached methods {@code find0..find4(long id, String category)} (the primitive {@code id} is
 * boxed at the call, the key is Spring's {@code SimpleKey}), the calls spread over the five
 * methods, {@value #KEYS} keys (each key always goes to the same method). The trial starts its own
 * redis-server (the OS package's binary, on a free loopback port) and stops it at the end.
 *
 * <ul>
 *   <li>{@code tiercacheFunctionL1Hit}: no Spring: the same five caches as tiercache functions,
 *       {@code f.apply(id, category)}, an L1 hit. What the Spring proxy adds is the difference to
 *       {@code tiercacheManagerL1Hit}.
 *   <li>{@code tiercacheManagerL1Hit}: {@code TierCacheManager} on a {@code TierCache} with the
 *       embedded L2 ({@code InMemoryBackend}), an L1 hit.
 *   <li>{@code tiercacheManagerRedisL1Hit}: the same on a Redis L2, an L1 hit.
 *   <li>{@code caffeineManagerL1Hit}: Spring's {@code CaffeineCacheManager}: the peer of the L1 hits.
 *   <li>{@code redisManagerHit}: Spring Data Redis's {@code RedisCacheManager} (Lettuce), which has
 *       no L1: its hit is a Redis {@code GET} and a JDK deserialization. The peer of the L2 hits.
 *   <li>{@code tiercacheManagerRedisL2Hit}: {@code TierCacheManager} on a second {@code TierCache}
 *       over the same Redis with L1 off ({@code l1MaxSize(0)}): every call is one {@code GET} of
 *       the entry the first one stored, and decoding it.
 *   <li>{@code tiercacheManagerRedisL2HitFillingL1}: the same with an L1 of one entry per cache: the
 *       keys cycle, so every call misses L1, reads L2 and fills L1 (evicting the entry before): the
 *       two-layer read of a key this process has not seen lately.
 * </ul>
 *
 * <p>The set-up computes every key once in each application that computes (the L2-hit ones find
 * every key in L2 and compute none); the trial fails if any application computed again, or a
 * tiercache L2 read missed.
 *
 * <pre>
 * java -jar tiercache-bench/target/benchmarks.jar SpringCacheableBenchmark -f 1 -wi 3 -w 1 -i 5 -r 1 -prof gc
 * </pre>
 */
@Scenario("`@Cacheable` through a Spring proxy, 5 cached methods `find(long id, String category)`: "
    + "`TierCacheManager` (embedded and Redis L2) against `CaffeineCacheManager` (L1 hit) and "
    + "Spring Data Redis's `RedisCacheManager` (its hit is a Redis GET; the peer of tiercache's L2 "
    + "hit), on a local redis-server; the direct tiercache function call shows the proxy's cost.")
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SpringCacheableBenchmark {
  static final int KEYS = 256;
  static final int METHODS = CacheableApp.CACHES.size();

  long[] ids;
  String[] categories;
  int next;

  RedisServerLauncher redis;
  RedisBackend backend;
  final List<TierCache> tierCaches = new ArrayList<>();
  final LongAdder functionComputations = new LongAdder();
  final List<CachedFunction2<Long, String, String>> functions = new ArrayList<>();
  CacheableApp tiercacheEmbedded;
  CacheableApp tiercacheRedis;
  CacheableApp caffeine;
  CacheableApp redisManager;
  CacheableApp tiercacheRedisL1Off;
  CacheableApp tiercacheRedisL1One;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    ids = UserCallShape.ids(KEYS, 42);
    categories = new String[KEYS];
    for (int i = 0; i < KEYS; i++) {
      categories[i] = UserCallShape.category(i);
    }
    redis = new RedisServerLauncher().start();
    // Generous timeouts and a slow heartbeat: on a loaded shared machine a late reply or heartbeat
    // would turn L2 hits into computations and flush L1s, and the rows would measure something else.
    backend = RedisBackend.builder().uri(redis.uri()).commandTimeout(Duration.ofSeconds(5))
        .invalidationHeartbeat(Duration.ofSeconds(5)).build();
    if (!backend.awaitUp(Duration.ofSeconds(10))) {
      throw new IllegalStateException("backend not up: " + backend.health());
    }

    TierCache embedded = tierCache(InMemoryBackend.create());
    for (String name : CacheableApp.CACHES) {
      functions.add(embedded.function("direct-" + name, String.class)
          .l1MaxSize(CacheableApp.MAX_SIZE).ttl(CacheableApp.TTL)
          .of((Long id, String category) -> {
            functionComputations.increment();
            return UserCallShape.find(id, category);
          }));
    }
    tiercacheEmbedded = CacheableApp.tierCache(embedded, CacheableApp.MAX_SIZE);
    tiercacheRedis = CacheableApp.tierCache(tierCache(backend), CacheableApp.MAX_SIZE);
    caffeine = CacheableApp.caffeine();
    URI uri = URI.create(redis.uri());
    redisManager = CacheableApp.redis(uri.getHost(), uri.getPort());

    // Every key once where it is computed: tiercacheRedis's puts fill the shared L2 (a put waits
    // for L2), which the L2-hit applications, built after, only read.
    for (int i = 0; i < KEYS; i++) {
      functions.get(i % METHODS).apply(ids[i], categories[i]);
      for (CacheableApp app : List.of(tiercacheEmbedded, tiercacheRedis, caffeine, redisManager)) {
        find(app.service(), i);
      }
    }
    tiercacheRedisL1Off = CacheableApp.tierCache(tierCache(backend), 0);
    tiercacheRedisL1One = CacheableApp.tierCache(tierCache(backend), 1);
    check();
  }

  private TierCache tierCache(Backend l2) {
    TierCache cache = TierCache.builder().namespace("bench").backend(TierCache.DEFAULT, l2)
        .l2Timeout(Duration.ofSeconds(5)).build();
    tierCaches.add(cache);
    return cache;
  }

  /** Fails unless each application computed each key once, and the L2 readers never. */
  void check() {
    long direct = functionComputations.sum();
    if (direct != KEYS) {
      throw new IllegalStateException("tiercache functions computed " + direct + " times, not " + KEYS);
    }
    for (CacheableApp app : List.of(tiercacheEmbedded, tiercacheRedis, caffeine, redisManager)) {
      if (app.service().computations() != KEYS) {
        throw new IllegalStateException(app.manager() + " computed " + app.service().computations()
            + " times, not " + KEYS);
      }
    }
    for (CacheableApp app : List.of(tiercacheRedisL1Off, tiercacheRedisL1One)) {
      for (String name : CacheableApp.CACHES) {
        CacheInfo info = info(app, name);
        if (app.service().computations() != 0 || info.l2Misses() != 0 || info.l1Hits() != 0) {
          throw new IllegalStateException(app.manager() + ": not every call was an L2 hit: " + name
              + " " + info + ", " + app.service().computations() + " computations");
        }
      }
    }
  }

  /** The statistics of the tiercache cache {@code name} of {@code app}. */
  static CacheInfo info(CacheableApp app, String name) {
    return ((KeyValueCache<?, ?>) app.manager().getCache(name).getNativeCache()).cacheInfo();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    try {
      // A loaded machine can delay Redis pub/sub past its bound; then L1s are flushed and some
      // "L1 hits" were L2 reads: said here, with the numbers, rather than failing the trial.
      for (CacheableApp app : List.of(tiercacheEmbedded, tiercacheRedis)) {
        for (String name : CacheableApp.CACHES) {
          CacheInfo info = info(app, name);
          if (info.l2Hits() != 0) {
            System.err.println("note: " + app.manager() + " " + name + ": " + info.l2Hits()
                + " of " + (info.l1Hits() + info.l1Misses()) + " calls read L2 (L1 flushed)");
          }
        }
      }
      check();
    } finally {
      for (CacheableApp app : List.of(tiercacheEmbedded, tiercacheRedis, caffeine, redisManager,
          tiercacheRedisL1Off, tiercacheRedisL1One)) {
        app.close();
      }
      tierCaches.forEach(TierCache::close);
      backend.close();
      redis.close();
    }
  }

  /** The call of the {@code i}-th key: its method ({@code i % 5}), its id and its category. */
  String find(FindService service, int i) {
    long id = ids[i];
    String category = categories[i];
    return switch (i % METHODS) {
      case 0 -> service.find0(id, category);
      case 1 -> service.find1(id, category);
      case 2 -> service.find2(id, category);
      case 3 -> service.find3(id, category);
      default -> service.find4(id, category);
    };
  }

  private int nextIndex() {
    int i = next;
    next = (i + 1) & (KEYS - 1);
    return i;
  }

  @Benchmark
  public String tiercacheFunctionL1Hit() {
    int i = nextIndex();
    return functions.get(i % METHODS).apply(ids[i], categories[i]);
  }

  @Benchmark
  public String tiercacheManagerL1Hit() {
    return find(tiercacheEmbedded.service(), nextIndex());
  }

  @Benchmark
  public String tiercacheManagerRedisL1Hit() {
    return find(tiercacheRedis.service(), nextIndex());
  }

  @Benchmark
  public String caffeineManagerL1Hit() {
    return find(caffeine.service(), nextIndex());
  }

  @Benchmark
  public String redisManagerHit() {
    return find(redisManager.service(), nextIndex());
  }

  @Benchmark
  public String tiercacheManagerRedisL2Hit() {
    return find(tiercacheRedisL1Off.service(), nextIndex());
  }

  @Benchmark
  public String tiercacheManagerRedisL2HitFillingL1() {
    return find(tiercacheRedisL1One.service(), nextIndex());
  }
}
