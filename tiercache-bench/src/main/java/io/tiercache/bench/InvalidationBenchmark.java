package io.tiercache.bench;

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
import org.openjdk.jmh.annotations.Warmup;

/**
 * async-lru's "cache invalidation": one operation removes a present entry and calls again, which
 * recomputes and stores it (so the next operation on that key again finds an entry to remove).
 * tiercache {@code invalidate(a)} (L1 only here: no backend), Caffeine {@code invalidate},
 * JetCache {@code remove}, Spring {@code @CacheEvict}; the floor is a {@link ConcurrentHashMap}.
 */
@Scenario("Remove a present entry, then call again (async-lru's *cache invalidation*). Floor: "
    + "`ConcurrentHashMap.remove` + `computeIfAbsent`.")
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class InvalidationBenchmark {
  static final int KEYS = 256;

  ScenarioCaches caches;
  ConcurrentHashMap<Long, Long> concurrentHashMap;
  Long[] keys;
  int i;

  @Setup(Level.Trial)
  public void setUp() {
    caches = ScenarioCaches.create();
    concurrentHashMap = new ConcurrentHashMap<>();
    keys = ScenarioCaches.keys(1_000, KEYS);
    for (Long key : keys) {
      concurrentHashMap.computeIfAbsent(key, Work::compute);
      caches.tiercache().apply(key);
      caches.caffeine().get(key, Work::compute);
      caches.jetcache().computeIfAbsent(key, Work::compute);
      caches.spring().service().compute(key);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    caches.close();
  }

  private Long nextKey() {
    return keys[i++ & (KEYS - 1)];
  }

  @Benchmark
  @Floor
  public Long floorConcurrentHashMap() {
    Long key = nextKey();
    concurrentHashMap.remove(key);
    return concurrentHashMap.computeIfAbsent(key, Work::compute);
  }

  @Benchmark
  public Long tiercache() {
    Long key = nextKey();
    caches.tiercache().invalidate(key);
    return caches.tiercache().apply(key);
  }

  @Benchmark
  public Long caffeine() {
    Long key = nextKey();
    caches.caffeine().invalidate(key);
    return caches.caffeine().get(key, Work::compute);
  }

  @Benchmark
  public Long jetcache() {
    Long key = nextKey();
    caches.jetcache().remove(key);
    return caches.jetcache().computeIfAbsent(key, Work::compute);
  }

  @Benchmark
  public Long springCacheable() {
    Long key = nextKey();
    caches.spring().service().evictCompute(key);
    return caches.spring().service().compute(key);
  }
}
