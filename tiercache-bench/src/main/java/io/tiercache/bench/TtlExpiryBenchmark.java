package io.tiercache.bench;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.tiercache.CacheInfo;
import io.tiercache.CachedFunction1;
import io.tiercache.ManualTimeSource;
import io.tiercache.TierCache;
import java.time.Duration;
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
 * async-lru's "TTL expiry": every call finds its entry expired, recomputes and stores it anew.
 * Entries live {@link #TTL}; a manual clock (tiercache's {@link ManualTimeSource}, which is also
 * Caffeine's ticker) moves past it before each call, so no sleep is measured. The floor is the
 * clock step plus the computation. JetCache and Spring read the system clock, which a benchmark
 * cannot move, and are absent.
 */
@Scenario("Every call finds its entry expired (a manual clock moves past the TTL) and recomputes "
    + "it (async-lru's *TTL expiry*). Floor: the clock step and the computation.")
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TtlExpiryBenchmark {
  static final Duration TTL = Duration.ofSeconds(1);
  static final Duration STEP = TTL.plusMillis(1);
  static final int KEYS = 256;

  ManualTimeSource time;
  CachedFunction1<Long, Long> tiercache;
  com.github.benmanes.caffeine.cache.Cache<Long, Long> caffeine;
  Long[] keys;
  int i;

  @Setup(Level.Trial)
  public void setUp() {
    time = new ManualTimeSource();
    tiercache = TierCache.builder().timeSource(time).build()
        .function("compute", Long.class).l1MaxSize(ScenarioCaches.MAX_SIZE).ttl(TTL)
        .of(Work::compute);
    caffeine = Caffeine.newBuilder().maximumSize(ScenarioCaches.MAX_SIZE)
        .expireAfterWrite(TTL).ticker(time::nanoTime).build();
    keys = ScenarioCaches.keys(1_000, KEYS);
    for (Long key : keys) {
      tiercache.apply(key);
      caffeine.get(key, Work::compute);
    }
  }

  /** Fails the trial if a measured tiercache call found a live entry. */
  @TearDown(Level.Trial)
  public void checkAllExpired() {
    CacheInfo info = tiercache.cacheInfo();
    if (info.l1Hits() != 0) {
      throw new IllegalStateException("a call hit a live entry: " + info);
    }
  }

  private Long nextKey() {
    time.advance(STEP);
    return keys[i++ & (KEYS - 1)];
  }

  @Benchmark
  @Floor
  public Long floorUncached() {
    return Work.compute(nextKey());
  }

  @Benchmark
  public Long tiercache() {
    return tiercache.apply(nextKey());
  }

  @Benchmark
  public Long caffeineGetWithLoader() {
    return caffeine.get(nextKey(), Work::compute);
  }
}
