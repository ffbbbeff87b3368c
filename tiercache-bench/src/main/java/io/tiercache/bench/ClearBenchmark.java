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
 * async-lru's "cache clear": one operation fills {@value #FILL} entries through the cache's call
 * path and clears the cache (tiercache {@code cacheClear()}, Caffeine {@code invalidateAll()},
 * Spring {@code Cache.clear()}). A clear of an empty cache would measure nothing, and per-call
 * setup is too coarse for JMH at this scale, so fill and clear are measured together; the floor
 * is the same on a {@link ConcurrentHashMap}. JetCache's {@code Cache} has no clear and is absent.
 */
@Scenario("Fill 64 entries through the call path, then clear the cache (async-lru's *cache "
    + "clear*). Floor: the same on a `ConcurrentHashMap`.")
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ClearBenchmark {
  static final int FILL = 64;

  ScenarioCaches caches;
  ConcurrentHashMap<Long, Long> concurrentHashMap;
  Long[] keys;

  @Setup(Level.Trial)
  public void setUp() {
    caches = ScenarioCaches.create();
    concurrentHashMap = new ConcurrentHashMap<>();
    keys = ScenarioCaches.keys(1_000, FILL);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    caches.close();
  }

  @Benchmark
  @Floor
  public long floorConcurrentHashMap() {
    long sum = 0;
    for (Long key : keys) {
      sum += concurrentHashMap.computeIfAbsent(key, Work::compute);
    }
    concurrentHashMap.clear();
    return sum;
  }

  @Benchmark
  public long tiercache() {
    long sum = 0;
    for (Long key : keys) {
      sum += caches.tiercache().apply(key);
    }
    caches.tiercache().cacheClear();
    return sum;
  }

  @Benchmark
  public long caffeine() {
    long sum = 0;
    for (Long key : keys) {
      sum += caches.caffeine().get(key, Work::compute);
    }
    caches.caffeine().invalidateAll();
    return sum;
  }

  @Benchmark
  public long springCacheable() {
    long sum = 0;
    for (Long key : keys) {
      sum += caches.spring().service().compute(key);
    }
    caches.spring().caffeineCache("compute").clear();
    return sum;
  }
}
