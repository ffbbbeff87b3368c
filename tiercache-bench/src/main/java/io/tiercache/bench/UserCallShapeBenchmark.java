package io.tiercache.bench;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Cache;
import io.tiercache.AsyncCachedFunction2;
import io.tiercache.CacheInfo;
import io.tiercache.CachedFunction2;
import io.tiercache.TierCache;
import io.tiercache.bench.UserCallShape.FindKey;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
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
 * Issue 13's L1 hit in the user's call shape ({@link UserCallShape}): {@code f.apply(id, category)}
 * with a primitive {@code long id} boxed at the call, over {@value #KEYS} keys, against Caffeine
 * with the same options ({@code getIfPresent} of a record key built per call; for the async form
 * {@code AsyncCache.get(key, loader)}, as a memoizing user writes it, and {@code getIfPresent})
 * and the floor, a {@link ConcurrentHashMap} with the same record key.
 *
 * <p>{@code functions} is how many distinct cached functions are live and called in turn: 1, or
 * {@value UserCallShape#MAX_FUNCTIONS} (each its own name and body class), so that the code the
 * functions share runs with a mixed profile, as in an application with many cached functions.
 * Each store kind gets as many instances (Caffeine caches, maps), called in the same turn.
 *
 * <p>Every call hits: every store is filled in {@link #setUp()} and {@link #checkAllHit()} fails
 * the trial if a tiercache call missed. {@code *_2threads} run the same calls on two threads against
 * the same stores. Run with {@code -prof gc}: B/op is the "allocation per hit" (a boxed
 * {@code Long} outside the cache is 16 bytes with compressed oops, the record key 24).
 *
 * <pre>
 * flock /tmp/jmh.lock java -jar tiercache-bench/target/benchmarks.jar UserCallShapeBenchmark \
 *     -f 1 -wi 3 -w 1 -i 5 -r 1 -prof gc
 * </pre>
 */
@Scenario("Issue 13's call shape: `find(long id, String category)` boxed at the call, 1,000 keys, "
    + "1 or 5 cached functions called in turn, sync and async, against Caffeine with the same "
    + "options and `ConcurrentHashMap` + record key, on 1 and 2 threads.")
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class UserCallShapeBenchmark {
  /** Distinct keys called in a cycle. */
  static final int KEYS = 1_000;

  /**
   * Every store's bound: above the working set, so nothing is evicted. With the default, 2,048,
   * the 1,000 keys fill less than half of it, and Caffeine (3.x) records no reads at all below half
   * its bound (its read buffer is off until then: no recency work on a hit); {@code -p bound=1024}
   * measures Caffeine with its read buffer on. tiercache records every hit at any fill.
   */
  @Param({"2048"})
  public int bound;

  @Param({"1", "5"})
  public int functions;

  long[] ids;
  String[] categories;

  CachedFunction2<Long, String, String>[] tiercache;
  AsyncCachedFunction2<Long, String, String>[] tiercacheAsync;
  Cache<FindKey, String>[] caffeine;
  Cache<FindKey, String>[] caffeineNoStats;
  AsyncCache<FindKey, String>[] caffeineAsync;
  ConcurrentHashMap<FindKey, String>[] floor;

  /** Which key and which function a thread calls next; each thread starts elsewhere. */
  @State(Scope.Thread)
  public static class Cursor {
    int key;
    int function;
    int functions;

    @Setup(Level.Trial)
    public void setUp(UserCallShapeBenchmark benchmark) {
      key = (int) (Thread.currentThread().getId() * 97 % KEYS);
      functions = benchmark.functions;
    }

    /** The next key's index. */
    int nextKey() {
      int k = key;
      key = k + 1 == KEYS ? 0 : k + 1;
      return k;
    }

    /** The next function's index. */
    int nextFunction() {
      int f = function;
      function = f + 1 == functions ? 0 : f + 1;
      return f;
    }
  }

  @Setup(Level.Trial)
  @SuppressWarnings("unchecked")
  public void setUp() {
    if (functions < 1 || functions > UserCallShape.MAX_FUNCTIONS) {
      throw new IllegalArgumentException("functions must be in [1, " + UserCallShape.MAX_FUNCTIONS + "]");
    }
    if (bound < KEYS) {
      throw new IllegalArgumentException("bound must hold the " + KEYS + " keys, got " + bound);
    }
    ids = UserCallShape.ids(KEYS, 42);
    categories = new String[KEYS];
    for (int i = 0; i < KEYS; i++) {
      categories[i] = UserCallShape.category(i);
    }
    TierCache l1Only = TierCache.builder().build();
    tiercache = new CachedFunction2[functions];
    tiercacheAsync = new AsyncCachedFunction2[functions];
    caffeine = new Cache[functions];
    caffeineNoStats = new Cache[functions];
    caffeineAsync = new AsyncCache[functions];
    floor = new ConcurrentHashMap[functions];
    for (int f = 0; f < functions; f++) {
      tiercache[f] = UserCallShape.tiercache(l1Only, f, bound);
      tiercacheAsync[f] = UserCallShape.tiercacheAsync(l1Only, f, bound);
      caffeine[f] = UserCallShape.caffeine(bound);
      caffeineNoStats[f] = UserCallShape.caffeineNoStats(bound);
      caffeineAsync[f] = UserCallShape.caffeineAsync(bound);
      floor[f] = new ConcurrentHashMap<>();
      for (int i = 0; i < KEYS; i++) {
        long id = ids[i];
        String category = categories[i];
        String expected = UserCallShape.find(id, category);
        FindKey key = new FindKey(id, category);
        floor[f].put(key, expected);
        caffeine[f].put(key, expected);
        caffeineNoStats[f].put(key, expected);
        String got = tiercache[f].apply(id, category);
        String gotAsync = tiercacheAsync[f].apply(id, category).join();
        String gotCaffeineAsync = caffeineAsync[f].get(key, UserCallShape::load).join();
        if (!expected.equals(got) || !expected.equals(gotAsync) || !expected.equals(gotCaffeineAsync)) {
          throw new IllegalStateException("a store answers pair " + i + " wrongly");
        }
      }
      caffeine[f].cleanUp();
      caffeineNoStats[f].cleanUp();
      caffeineAsync[f].synchronous().cleanUp();
      for (int i = 0; i < KEYS; i++) {
        FindKey key = new FindKey(ids[i], categories[i]);
        if (caffeine[f].getIfPresent(key) == null || caffeineNoStats[f].getIfPresent(key) == null
            || floor[f].get(key) == null
            || !Objects.equals(tiercache[f].apply(ids[i], categories[i]), floor[f].get(key))) {
          throw new IllegalStateException("a store does not answer pair " + i);
        }
      }
    }
    checkFilled(KEYS);
  }

  /** Fails the trial if any measured tiercache call was not an L1 hit. */
  @TearDown(Level.Trial)
  public void checkAllHit() {
    checkFilled(KEYS);
  }

  private void checkFilled(int misses) {
    for (int f = 0; f < functions; f++) {
      for (CacheInfo info : new CacheInfo[] {tiercache[f].cacheInfo(), tiercacheAsync[f].cacheInfo()}) {
        if (info.l1Misses() != misses || info.l1CurrSize() != KEYS) {
          throw new IllegalStateException("function " + f + " missed: " + info);
        }
      }
    }
  }

  // ---- sync, one thread ----

  @Benchmark
  public String tiercache(Cursor c) {
    int i = c.nextKey();
    return tiercache[c.nextFunction()].apply(ids[i], categories[i]);
  }

  @Benchmark
  public String caffeine(Cursor c) {
    int i = c.nextKey();
    return caffeine[c.nextFunction()].getIfPresent(new FindKey(ids[i], categories[i]));
  }

  /** Caffeine with the bound only: what stats recording costs Caffeine's hit. */
  @Benchmark
  public String caffeineNoStats(Cursor c) {
    int i = c.nextKey();
    return caffeineNoStats[c.nextFunction()].getIfPresent(new FindKey(ids[i], categories[i]));
  }

  @Benchmark
  @Floor
  public String concurrentHashMap(Cursor c) {
    int i = c.nextKey();
    return floor[c.nextFunction()].get(new FindKey(ids[i], categories[i]));
  }

  // ---- async, one thread ----

  @Benchmark
  public CompletableFuture<String> tiercacheAsync(Cursor c) {
    int i = c.nextKey();
    return tiercacheAsync[c.nextFunction()].apply(ids[i], categories[i]);
  }

  @Benchmark
  public CompletableFuture<String> caffeineAsync(Cursor c) {
    int i = c.nextKey();
    return caffeineAsync[c.nextFunction()].get(new FindKey(ids[i], categories[i]), UserCallShape::load);
  }

  /**
   * Caffeine's async lookup alone, {@code AsyncCache.getIfPresent}: {@code get(key, loader)} also
   * allocates its adapter of the loader on a hit (80 B/op on Caffeine 3), this does not.
   */
  @Benchmark
  public CompletableFuture<String> caffeineAsyncIfPresent(Cursor c) {
    int i = c.nextKey();
    return caffeineAsync[c.nextFunction()].getIfPresent(new FindKey(ids[i], categories[i]));
  }

  // ---- two threads, the same stores ----

  @Benchmark
  @Threads(2)
  public String tiercache_2threads(Cursor c) {
    return tiercache(c);
  }

  @Benchmark
  @Threads(2)
  public String caffeine_2threads(Cursor c) {
    return caffeine(c);
  }

  @Benchmark
  @Threads(2)
  public String caffeineNoStats_2threads(Cursor c) {
    return caffeineNoStats(c);
  }

  @Benchmark
  @Threads(2)
  @Floor
  public String concurrentHashMap_2threads(Cursor c) {
    return concurrentHashMap(c);
  }

  @Benchmark
  @Threads(2)
  public CompletableFuture<String> tiercacheAsync_2threads(Cursor c) {
    return tiercacheAsync(c);
  }

  @Benchmark
  @Threads(2)
  public CompletableFuture<String> caffeineAsync_2threads(Cursor c) {
    return caffeineAsync(c);
  }

  @Benchmark
  @Threads(2)
  public CompletableFuture<String> caffeineAsyncIfPresent_2threads(Cursor c) {
    return caffeineAsyncIfPresent(c);
  }
}
