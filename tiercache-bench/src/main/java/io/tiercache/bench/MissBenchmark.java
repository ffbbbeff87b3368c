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
 * async-lru's "cache miss": every call has arguments never seen before, so each one computes,
 * stores and (once the cache is full) evicts. The floor is the computation without a cache
 * (async-lru's "baseline"). Each call boxes a fresh {@code Long}, the same for every peer.
 */
@Scenario("Every call has new arguments: compute, store, evict (async-lru's *cache miss*). Floor:"
    + " the computation alone (async-lru's *baseline*).")
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MissBenchmark {
  ScenarioCaches caches;
  long next = 1_000;

  @Setup(Level.Trial)
  public void setUp() {
    caches = ScenarioCaches.create();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    caches.close();
  }

  @Benchmark
  @Floor
  public Long floorUncached() {
    return Work.compute(next++);
  }

  @Benchmark
  public Long tiercache() {
    return caches.tiercache().apply(next++);
  }

  @Benchmark
  public Long caffeineGetWithLoader() {
    return caches.caffeine().get(next++, Work::compute);
  }

  @Benchmark
  public Long jetcacheComputeIfAbsent() {
    return caches.jetcache().computeIfAbsent(next++, Work::compute);
  }

  @Benchmark
  public Long springCacheable() {
    return caches.spring().service().compute(next++);
  }
}
