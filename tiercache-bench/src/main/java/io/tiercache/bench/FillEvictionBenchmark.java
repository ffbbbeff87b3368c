package io.tiercache.bench;

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
 * async-lru's "cache fill/eviction": calls cycle through twice as many keys as the caches hold.
 * An exact LRU (tiercache, JetCache's {@code linkedhashmap}) misses every call and evicts on each;
 * Caffeine's admission policy keeps part of the cycle and hits it, so its rows mix hits and
 * misses. The floor is the computation without a cache.
 */
@Scenario("Calls cycle through twice as many keys as the caches hold (async-lru's "
    + "*fill/eviction*): an exact LRU misses every call; Caffeine's admission keeps part of "
    + "the cycle. Floor: the computation alone.")
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FillEvictionBenchmark {
  static final int KEYS = 2 * ScenarioCaches.MAX_SIZE;

  ScenarioCaches caches;
  Long[] keys;
  int i;

  @Setup(Level.Trial)
  public void setUp() {
    caches = ScenarioCaches.create();
    keys = ScenarioCaches.keys(1_000, KEYS);
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
  public Long floorUncached() {
    return Work.compute(nextKey());
  }

  @Benchmark
  public Long tiercache() {
    return caches.tiercache().apply(nextKey());
  }

  @Benchmark
  public Long caffeineGetWithLoader() {
    return caches.caffeine().get(nextKey(), Work::compute);
  }

  @Benchmark
  public Long jetcacheComputeIfAbsent() {
    return caches.jetcache().computeIfAbsent(nextKey(), Work::compute);
  }

  @Benchmark
  public Long springCacheable() {
    return caches.spring().service().compute(nextKey());
  }
}
