package io.tiercache.bench;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tiercache.AsyncCachedFunction2;
import io.tiercache.CacheInfo;
import io.tiercache.TierCache;
import io.tiercache.bench.ArgumentPairs.Cursor;
import io.tiercache.bench.ArgumentPairs.RecordKey;
import java.util.concurrent.CompletableFuture;
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
 * The cost of an L1 hit of an async two-argument cached function, next to Caffeine's
 * {@link AsyncCache#get(Object, java.util.function.Function)} in the same run: both return the
 * stored, completed {@link CompletableFuture}.
 *
 * <p>As in {@link L1HitBenchmark}: every call hits (filled in {@link #setUp()}, checked by
 * {@link #checkAllHit()}), the arguments are boxed {@link Long}s equal to but not identical with
 * the ones the stores were filled with, {@code keys} distinct pairs are cycled through (256, or one
 * hot key), and {@code *_2threads} run the same calls on two threads against one shared store.
 * Caffeine's key is a record of the two arguments, built per call as a caller would.
 *
 * <pre>
 * java -jar tiercache-bench/target/benchmarks.jar AsyncHitBenchmark -f 1 -wi 3 -w 1 -i 5 -r 1
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AsyncHitBenchmark {
  static final int MAX_KEYS = 256;
  static final int MAX_SIZE = 1024;

  @Param({"256", "1"})
  public int keys;

  Long[] as;
  Long[] bs;
  int mask;

  AsyncCachedFunction2<Long, Long, Long> tiercache;
  AsyncCache<RecordKey, Long> caffeine;

  @Setup(Level.Trial)
  public void setUp() {
    if (keys < 1 || keys > MAX_KEYS || Integer.bitCount(keys) != 1) {
      throw new IllegalArgumentException("keys must be a power of two in [1, " + MAX_KEYS + "]");
    }
    mask = MAX_KEYS - 1;
    ArgumentPairs pairs = ArgumentPairs.cycled(keys, MAX_KEYS, 42);
    as = pairs.callA();
    bs = pairs.callB();

    TierCache l1Only = TierCache.builder().build();
    tiercache = l1Only.function("add", Long.class).l1MaxSize(MAX_SIZE)
        .ofAsync((Long a, Long b) -> CompletableFuture.completedFuture(a + b));
    caffeine = Caffeine.newBuilder().maximumSize(MAX_SIZE).buildAsync();
    for (int k = 0; k < keys; k++) {
      Long a = pairs.fillA()[k];
      Long b = pairs.fillB()[k];
      tiercache.apply(a, b).join();
      caffeine.get(new RecordKey(a, b), key -> key.a() + key.b()).join();
    }
    caffeine.synchronous().cleanUp();
    CacheInfo info = tiercache.cacheInfo();
    if (info.l1Misses() != keys || info.l1CurrSize() != keys) {
      throw new IllegalStateException("prewarm of tiercache failed: " + info);
    }
    for (int i = 0; i < MAX_KEYS; i++) {
      long expected = as[i] + bs[i];
      if (tiercache.apply(as[i], bs[i]).join() != expected
          || caffeine.get(new RecordKey(as[i], bs[i]), key -> key.a() + key.b()).join() != expected) {
        throw new IllegalStateException("a store does not answer pair " + i);
      }
    }
  }

  /** Fails the trial if any measured tiercache call was not an L1 hit. */
  @TearDown(Level.Trial)
  public void checkAllHit() {
    CacheInfo info = tiercache.cacheInfo();
    if (info.l1Misses() != keys) {
      throw new IllegalStateException("tiercache missed while measured: " + info);
    }
  }

  private int next(Cursor c) {
    return c.next(mask);
  }

  @Benchmark
  public CompletableFuture<Long> tiercache(Cursor c) {
    int i = next(c);
    return tiercache.apply(as[i], bs[i]);
  }

  @Benchmark
  public CompletableFuture<Long> caffeine(Cursor c) {
    int i = next(c);
    return caffeine.get(new RecordKey(as[i], bs[i]), key -> key.a() + key.b());
  }

  @Benchmark
  @Threads(2)
  public CompletableFuture<Long> tiercache_2threads(Cursor c) {
    int i = next(c);
    return tiercache.apply(as[i], bs[i]);
  }

  @Benchmark
  @Threads(2)
  public CompletableFuture<Long> caffeine_2threads(Cursor c) {
    int i = next(c);
    return caffeine.get(new RecordKey(as[i], bs[i]), key -> key.a() + key.b());
  }
}
