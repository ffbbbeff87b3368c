package io.tiercache.bench;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tiercache.CacheInfo;
import io.tiercache.CachedFunction2;
import io.tiercache.TierCache;
import io.tiercache.backend.InMemoryBackend;
import io.tiercache.bench.ArgumentPairs.Cursor;
import io.tiercache.bench.ArgumentPairs.RecordKey;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of an L1 hit of a two-argument cached function, next to its floors in the same run: a
 * {@link ConcurrentHashMap} and a bounded Caffeine cache keyed by a record of the two arguments.
 *
 * <p>Every call hits: each store is filled in {@link #setUp()} with every key pair, and
 * {@link #checkAllHit()} fails the trial if any tiercache call missed. The arguments are boxed
 * {@link Long}s made once, before measuring, and are <em>different instances</em> from the ones the
 * stores were filled with (equal, not identical), as with arguments that arrive from a request; so
 * boxing is not measured, but {@code equals} is. Each call builds its key, as a caller would.
 *
 * <p>{@code keys} is how many distinct pairs are cycled through: 256 (a working set, so no single
 * hot entry) or 1 (one hot key). {@code *_2threads} run the same calls on two threads against one
 * shared store.
 *
 * <p>Variants of tiercache: {@code tiercache} (no backends, L1 only, untyped keys: 3 and 3L are one
 * key), {@code tiercacheTyped} ({@code typed(true)}), {@code tiercacheWithL2} (an
 * {@link InMemoryBackend} as the default backend, to show a configured L2 costs a hit nothing).
 * Every fork builds and calls all of them and the floors before measuring, so code they share
 * ({@code Handle2.apply}, {@code ConcurrentHashMap.get}) is profiled for all, as in an application
 * with several caches; {@link L1HitBreakdownBenchmark} also has the single-function case.
 *
 * <pre>
 * java -jar tiercache-bench/target/benchmarks.jar L1HitBenchmark -f 2 -wi 3 -w 1s -i 5 -r 1s
 * java -jar tiercache-bench/target/benchmarks.jar L1HitBenchmark -f 1 -wi 3 -w 1s -i 5 -r 1s -prof gc
 * </pre>
 */
@Scenario("tiercache's L1 hit in its variants (typed keys, with an L2 configured) against "
    + "`ConcurrentHashMap` and Caffeine, over 256 keys or 1 hot key, on 1 and 2 threads.")
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class L1HitBenchmark {
  /** The most distinct pairs; {@code keys} must be a power of two no larger. */
  static final int MAX_KEYS = 256;

  /** The L1 / Caffeine bound: above the working set, so nothing is ever evicted. */
  static final int MAX_SIZE = 1024;

  @Param({"256", "1"})
  public int keys;

  /** First and second arguments of each call, as passed in calls (not the filled instances). */
  Long[] as;
  Long[] bs;
  int mask;

  CachedFunction2<Long, Long, Long> tiercache;
  CachedFunction2<Long, Long, Long> tiercacheTyped;
  CachedFunction2<Long, Long, Long> tiercacheWithL2;
  ConcurrentHashMap<RecordKey, Long> concurrentHashMap;
  Cache<RecordKey, Long> caffeine;

  @Setup(Level.Trial)
  public void setUp() {
    if (keys < 1 || keys > MAX_KEYS || Integer.bitCount(keys) != 1) {
      throw new IllegalArgumentException("keys must be a power of two in [1, " + MAX_KEYS + "]");
    }
    mask = MAX_KEYS - 1;
    // `keys` distinct random pairs (outside the Long cache, so every box is its own instance),
    // cycled through MAX_KEYS call slots.
    ArgumentPairs pairs = ArgumentPairs.cycled(keys, MAX_KEYS, 42);
    as = pairs.callA();
    bs = pairs.callB();

    TierCache l1Only = TierCache.builder().build();
    tiercache = l1Only.function("add", Long.class).l1MaxSize(MAX_SIZE)
        .of((Long a, Long b) -> a + b);
    tiercacheTyped = l1Only.function("addTyped", Long.class).l1MaxSize(MAX_SIZE).typed(true)
        .of((Long a, Long b) -> a + b);
    TierCache withL2 = TierCache.builder().backend(TierCache.DEFAULT, InMemoryBackend.create()).build();
    tiercacheWithL2 = withL2.function("add", Long.class).l1MaxSize(MAX_SIZE)
        .of((Long a, Long b) -> a + b);
    concurrentHashMap = new ConcurrentHashMap<>();
    caffeine = Caffeine.newBuilder().maximumSize(MAX_SIZE).build();

    // fill with other boxes of the same values than the calls pass
    for (int k = 0; k < keys; k++) {
      Long a = pairs.fillA()[k];
      Long b = pairs.fillB()[k];
      tiercache.apply(a, b);
      tiercacheTyped.apply(a, b);
      tiercacheWithL2.apply(a, b);
      concurrentHashMap.put(new RecordKey(a, b), a + b);
      caffeine.put(new RecordKey(a, b), a + b);
    }
    caffeine.cleanUp();
    for (CachedFunction2<Long, Long, Long> f : functions()) {
      CacheInfo info = f.cacheInfo();
      if (info.l1Misses() != keys || info.l1CurrSize() != keys) {
        throw new IllegalStateException("prewarm of " + f.name() + " failed: " + info);
      }
    }
    for (int i = 0; i < MAX_KEYS; i++) {
      long expected = as[i] + bs[i];
      if (tiercache.apply(as[i], bs[i]) != expected
          || tiercacheTyped.apply(as[i], bs[i]) != expected
          || tiercacheWithL2.apply(as[i], bs[i]) != expected
          || concurrentHashMap.get(new RecordKey(as[i], bs[i])) != expected
          || caffeine.getIfPresent(new RecordKey(as[i], bs[i])) != expected) {
        throw new IllegalStateException("a store does not answer pair " + i);
      }
    }
  }

  /** Fails the trial if any measured tiercache call was not an L1 hit. */
  @TearDown(Level.Trial)
  public void checkAllHit() {
    for (CachedFunction2<Long, Long, Long> f : functions()) {
      CacheInfo info = f.cacheInfo();
      if (info.l1Misses() != keys || info.l2Hits() != 0) {
        throw new IllegalStateException(f.name() + " missed while measured: " + info);
      }
    }
  }

  private CachedFunction2<Long, Long, Long>[] functions() {
    @SuppressWarnings("unchecked")
    CachedFunction2<Long, Long, Long>[] all = new CachedFunction2[] {tiercache, tiercacheTyped, tiercacheWithL2};
    return all;
  }

  private int next(Cursor c) {
    return c.next(mask);
  }

  // ---- one thread ----

  @Benchmark
  public Long tiercache(Cursor c) {
    int i = next(c);
    return tiercache.apply(as[i], bs[i]);
  }

  @Benchmark
  public Long tiercacheTyped(Cursor c) {
    int i = next(c);
    return tiercacheTyped.apply(as[i], bs[i]);
  }

  @Benchmark
  public Long tiercacheWithL2(Cursor c) {
    int i = next(c);
    return tiercacheWithL2.apply(as[i], bs[i]);
  }

  @Benchmark
  @Floor
  public Long concurrentHashMap(Cursor c) {
    int i = next(c);
    return concurrentHashMap.get(new RecordKey(as[i], bs[i]));
  }

  @Benchmark
  public Long caffeine(Cursor c) {
    int i = next(c);
    return caffeine.getIfPresent(new RecordKey(as[i], bs[i]));
  }

  // ---- two threads, one shared store ----

  @Benchmark
  @Threads(2)
  public Long tiercache_2threads(Cursor c) {
    int i = next(c);
    return tiercache.apply(as[i], bs[i]);
  }

  @Benchmark
  @Threads(2)
  @Floor
  public Long concurrentHashMap_2threads(Cursor c) {
    int i = next(c);
    return concurrentHashMap.get(new RecordKey(as[i], bs[i]));
  }

  @Benchmark
  @Threads(2)
  public Long caffeine_2threads(Cursor c) {
    int i = next(c);
    return caffeine.getIfPresent(new RecordKey(as[i], bs[i]));
  }
}
