package io.tiercache.bench;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tiercache.CacheInfo;
import io.tiercache.CachedFunction2;
import io.tiercache.L1Policy;
import io.tiercache.TierCache;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What an L1 hit costs under each {@link L1Policy}, in the same run: a two-argument function with
 * the default exact LRU and one with {@code l1Policy(W_TINY_LFU)} (Caffeine's store behind the
 * engine), next to a plain Caffeine cache with the same bound and a {@link ConcurrentHashMap}
 * (the floor), keyed by a record of the two arguments. 256 pairs, every call a hit (checked after
 * the trial); both functions live in one process, so the engine's call into its L1 store sees both
 * stores, as in an application that uses both policies.
 *
 * <pre>
 * java -jar tiercache-bench/target/benchmarks.jar L1PolicyHitBenchmark -f 1 -wi 3 -w 1 -i 5 -r 1 -prof gc
 * </pre>
 */
@Scenario("An L1 hit with the default exact LRU and with `l1Policy(W_TINY_LFU)`, against Caffeine "
    + "and `ConcurrentHashMap`, 256 keys, on 1 and 2 threads.")
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class L1PolicyHitBenchmark {
  static final int KEYS = 256;
  static final int MAX_SIZE = 1024;

  Long[] as;
  Long[] bs;
  CachedFunction2<Long, Long, Long> lru;
  CachedFunction2<Long, Long, Long> tinyLfu;
  Cache<ArgumentPairs.RecordKey, Long> caffeine;
  ConcurrentHashMap<ArgumentPairs.RecordKey, Long> concurrentHashMap;

  @Setup(Level.Trial)
  public void setUp() {
    TierCache l1Only = TierCache.builder().build();
    lru = l1Only.function("addLru", Long.class).l1MaxSize(MAX_SIZE).of((Long a, Long b) -> a + b);
    tinyLfu = l1Only.function("addTinyLfu", Long.class).l1MaxSize(MAX_SIZE).l1Policy(L1Policy.W_TINY_LFU)
        .of((Long a, Long b) -> a + b);
    caffeine = Caffeine.newBuilder().maximumSize(MAX_SIZE).build();
    concurrentHashMap = new ConcurrentHashMap<>();
    as = new Long[KEYS];
    bs = new Long[KEYS];
    for (int k = 0; k < KEYS; k++) {
      long a = 1_000_003L * (k + 1);
      long b = 7_919L * (k + 1);
      lru.apply(a, b);
      tinyLfu.apply(a, b);
      caffeine.put(new ArgumentPairs.RecordKey(a, b), a + b);
      concurrentHashMap.put(new ArgumentPairs.RecordKey(a, b), a + b);
      as[k] = Long.valueOf(a); // other boxes than the stored ones: equal, not identical
      bs[k] = Long.valueOf(b);
    }
    caffeine.cleanUp();
  }

  /** Fails the trial if a measured call of either function was not an L1 hit. */
  @TearDown(Level.Trial)
  public void checkAllHit() {
    for (CachedFunction2<Long, Long, Long> f : java.util.List.of(lru, tinyLfu)) {
      CacheInfo info = f.cacheInfo();
      if (info.l1Misses() != KEYS) {
        throw new IllegalStateException(f.name() + " missed while measured: " + info);
      }
    }
  }

  private static int next(ArgumentPairs.Cursor c) {
    return c.next(KEYS - 1);
  }

  @Benchmark
  public Long tiercacheLru(ArgumentPairs.Cursor c) {
    int i = next(c);
    return lru.apply(as[i], bs[i]);
  }

  @Benchmark
  public Long tiercacheTinyLfu(ArgumentPairs.Cursor c) {
    int i = next(c);
    return tinyLfu.apply(as[i], bs[i]);
  }

  @Benchmark
  public Long caffeine(ArgumentPairs.Cursor c) {
    int i = next(c);
    return caffeine.getIfPresent(new ArgumentPairs.RecordKey(as[i], bs[i]));
  }

  @Benchmark
  @Floor
  public Long concurrentHashMap(ArgumentPairs.Cursor c) {
    int i = next(c);
    return concurrentHashMap.get(new ArgumentPairs.RecordKey(as[i], bs[i]));
  }

  @Benchmark
  @Threads(2)
  public Long tiercacheLru_2threads(ArgumentPairs.Cursor c) {
    int i = next(c);
    return lru.apply(as[i], bs[i]);
  }

  @Benchmark
  @Threads(2)
  public Long tiercacheTinyLfu_2threads(ArgumentPairs.Cursor c) {
    int i = next(c);
    return tinyLfu.apply(as[i], bs[i]);
  }

  @Benchmark
  @Threads(2)
  public Long caffeine_2threads(ArgumentPairs.Cursor c) {
    int i = next(c);
    return caffeine.getIfPresent(new ArgumentPairs.RecordKey(as[i], bs[i]));
  }

  @Benchmark
  @Threads(2)
  @Floor
  public Long concurrentHashMap_2threads(ArgumentPairs.Cursor c) {
    int i = next(c);
    return concurrentHashMap.get(new ArgumentPairs.RecordKey(as[i], bs[i]));
  }
}
