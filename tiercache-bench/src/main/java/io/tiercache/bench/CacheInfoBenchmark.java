package io.tiercache.bench;

import io.tiercache.CacheInfo;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * async-lru's "cache info retrieval": reading a cache's statistics and size, on caches filled
 * with {@value #KEYS} entries. tiercache {@code cacheInfo()} (hits, misses, bound and live size in
 * one record) against Caffeine's {@code stats()} plus {@code estimatedSize()}. There is no floor.
 */
@Scenario("Read the statistics and size of a cache of 256 entries (async-lru's *cache info*). No "
    + "floor.")
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CacheInfoBenchmark {
  static final int KEYS = 256;

  ScenarioCaches caches;

  @Setup(Level.Trial)
  public void setUp() {
    caches = ScenarioCaches.create();
    for (Long key : ScenarioCaches.keys(1_000, KEYS)) {
      caches.tiercache().apply(key);
      caches.caffeine().get(key, Work::compute);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    caches.close();
  }

  @Benchmark
  public CacheInfo tiercache() {
    return caches.tiercache().cacheInfo();
  }

  @Benchmark
  public void caffeineStatsAndSize(Blackhole bh) {
    bh.consume(caches.caffeine().stats());
    bh.consume(caches.caffeine().estimatedSize());
  }
}
