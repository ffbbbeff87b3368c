package io.tiercache.bench;

import io.tiercache.CachedFunction2;
import io.tiercache.TierCache;
import io.tiercache.TimeSource;
import io.tiercache.bench.ArgumentPairs.Cursor;
import io.tiercache.bench.ArgumentPairs.RecordKey;
import io.tiercache.internal.key.ArgsKey;
import io.tiercache.internal.local.LruStore;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Where the time of a tiercache L1 hit goes: the steps of {@code CachedFunction2.apply} on a hit,
 * added one at a time on top of the {@link ConcurrentHashMap} floor, each using core's public
 * pieces ({@link ArgsKey}, {@link LruStore}) directly. Same 256 pairs and call pattern as
 * {@link L1HitBenchmark} (equal, not identical, boxes).
 *
 * <ol>
 *   <li>{@code a_chmRecordKey}: the floor, {@code map.get(new RecordKey(a, b))}.
 *   <li>{@code b_chmArgsKeyTyped}: the same map keyed by a typed {@link ArgsKey}.
 *   <li>{@code c_chmArgsKeyUntyped}: untyped {@link ArgsKey} (number-aware hash and equals).
 *   <li>{@code d_lruUnbounded}: {@link LruStore#get} of an unbounded store (map get, expiry check,
 *       no recency stamp).
 *   <li>{@code e_lruBounded}: {@link LruStore#get} of a bounded store: adds the recency stamp
 *       (writes of the store's shared clock and the node's stamp on every hit that changes the
 *       most recent entry).
 *   <li>{@code f_lruBoundedPlusCounter}: plus a {@link LongAdder#increment()}, as
 *       {@code CacheCounters.l1Hit()} does.
 *   <li>{@code g_tiercache}: the real {@code CachedFunction2.apply}.
 *   <li>{@code h_tiercacheInlineSmallCode}: the same on a JVM that inlines bigger compiled methods.
 *   <li>{@code i_tiercacheAmongOtherFunctions}: the same after other kinds of cached function
 *       (typed, with an L2) ran through the same code.
 * </ol>
 *
 * <p>The {@code *_2threads} forms show what is shared between threads.
 *
 * <pre>
 * java -jar tiercache-bench/target/benchmarks.jar L1HitBreakdownBenchmark -f 2 -wi 3 -w 1s -i 5 -r 1s
 * </pre>
 */
@Scenario("Diagnostic: the steps of a tiercache L1 hit added one at a time on top of the "
    + "`ConcurrentHashMap` floor.")
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class L1HitBreakdownBenchmark {
  static final int KEYS = 256;

  Long[] as;
  Long[] bs;

  ConcurrentHashMap<RecordKey, Long> chmRecord;
  ConcurrentHashMap<ArgsKey, Long> chmTyped;
  ConcurrentHashMap<ArgsKey, Long> chmUntyped;
  LruStore<ArgsKey, Object> lruUnbounded;
  LruStore<ArgsKey, Object> lruBounded;
  LongAdder hits;
  CachedFunction2<Long, Long, Long> tiercache;

  @Setup(Level.Trial)
  public void setUp() {
    ArgumentPairs pairs = ArgumentPairs.random(KEYS, 42);
    as = pairs.callA(); // other boxes of the same values than the stores are filled with
    bs = pairs.callB();
    chmRecord = new ConcurrentHashMap<>();
    chmTyped = new ConcurrentHashMap<>();
    chmUntyped = new ConcurrentHashMap<>();
    lruUnbounded = new LruStore<>(LruStore.UNBOUNDED, TimeSource.system());
    lruBounded = new LruStore<>(L1HitBenchmark.MAX_SIZE, TimeSource.system());
    hits = new LongAdder();
    tiercache = TierCache.builder().build().function("add", Long.class)
        .l1MaxSize(L1HitBenchmark.MAX_SIZE).of((Long a, Long b) -> a + b);
    for (int k = 0; k < KEYS; k++) {
      Long a = pairs.fillA()[k];
      Long b = pairs.fillB()[k];
      Long sum = a + b;
      chmRecord.put(new RecordKey(a, b), sum);
      chmTyped.put(ArgsKey.of(a, b, true), sum);
      chmUntyped.put(ArgsKey.of(a, b, false), sum);
      lruUnbounded.put(ArgsKey.of(a, b, false), sum, LruStore.NEVER);
      lruBounded.put(ArgsKey.of(a, b, false), sum, LruStore.NEVER);
      tiercache.apply(a, b);
    }
    for (int k = 0; k < KEYS; k++) {
      if (chmRecord.get(new RecordKey(as[k], bs[k])) == null
          || chmTyped.get(ArgsKey.of(as[k], bs[k], true)) == null
          || chmUntyped.get(ArgsKey.of(as[k], bs[k], false)) == null
          || lruUnbounded.get(ArgsKey.of(as[k], bs[k], false)) == null
          || lruBounded.get(ArgsKey.of(as[k], bs[k], false)) == null) {
        throw new IllegalStateException("a store does not answer pair " + k);
      }
    }
  }

  private static int next(Cursor c) {
    return c.next(KEYS - 1);
  }

  @Benchmark
  @Floor
  public Long a_chmRecordKey(Cursor c) {
    int i = next(c);
    return chmRecord.get(new RecordKey(as[i], bs[i]));
  }

  @Benchmark
  public Long b_chmArgsKeyTyped(Cursor c) {
    int i = next(c);
    return chmTyped.get(ArgsKey.of(as[i], bs[i], true));
  }

  @Benchmark
  public Long c_chmArgsKeyUntyped(Cursor c) {
    int i = next(c);
    return chmUntyped.get(ArgsKey.of(as[i], bs[i], false));
  }

  @Benchmark
  public Object d_lruUnbounded(Cursor c) {
    int i = next(c);
    return lruUnbounded.get(ArgsKey.of(as[i], bs[i], false)).value();
  }

  @Benchmark
  public Object e_lruBounded(Cursor c) {
    int i = next(c);
    return lruBounded.get(ArgsKey.of(as[i], bs[i], false)).value();
  }

  @Benchmark
  public Object f_lruBoundedPlusCounter(Cursor c) {
    int i = next(c);
    LruStore.Node<ArgsKey, Object> node = lruBounded.get(ArgsKey.of(as[i], bs[i], false));
    hits.increment();
    return node.value();
  }

  @Benchmark
  public Long g_tiercache(Cursor c) {
    int i = next(c);
    return tiercache.apply(as[i], bs[i]);
  }

  /**
   * {@code g_tiercache} with {@code -XX:InlineSmallCode=10000}: on a default JVM C2 refuses to
   * inline {@code Handle2.apply} into its caller ("already compiled into a big method"), so the
   * whole hit is an out-of-line call and its key cannot be scalar-replaced; this shows what that
   * costs.
   */
  @Benchmark
  @Fork(value = 2, jvmArgsAppend = "-XX:InlineSmallCode=10000")
  public Long h_tiercacheInlineSmallCode(Cursor c) {
    return g_tiercache(c);
  }

  /**
   * Other cached functions of two arguments, typed and with an L2, called before measuring, so
   * that {@code Handle2.apply} and the key code are profiled (and compiled) for several kinds of
   * function, as in an application with many cached functions.
   */
  @State(Scope.Benchmark)
  public static class OtherFunctions {
    @Setup(Level.Trial)
    public void setUp() {
      CachedFunction2<Long, Long, Long> typed = TierCache.builder().build()
          .function("addTyped", Long.class).l1MaxSize(L1HitBenchmark.MAX_SIZE).typed(true)
          .of((Long a, Long b) -> a + b);
      CachedFunction2<Long, Long, Long> withL2 = TierCache.builder()
          .backend(TierCache.DEFAULT, io.tiercache.backend.InMemoryBackend.create()).build()
          .function("add", Long.class).l1MaxSize(L1HitBenchmark.MAX_SIZE)
          .of((Long a, Long b) -> a + b);
      long sum = 0;
      for (int i = 0; i < 20_000; i++) {
        Long a = Long.valueOf(1_000 + (i & 255));
        Long b = Long.valueOf(2_000 + (i & 255));
        sum += typed.apply(a, b) + withL2.apply(a, b);
      }
      if (sum == 42) {
        throw new AssertionError();
      }
    }
  }

  /** {@code g_tiercache} after {@link OtherFunctions} ran: the hit with a shared, mixed profile. */
  @Benchmark
  public Long i_tiercacheAmongOtherFunctions(Cursor c, OtherFunctions others) {
    return g_tiercache(c);
  }

  @Benchmark
  @Threads(2)
  @Floor
  public Long a_chmRecordKey_2threads(Cursor c) {
    return a_chmRecordKey(c);
  }

  @Benchmark
  @Threads(2)
  public Object d_lruUnbounded_2threads(Cursor c) {
    return d_lruUnbounded(c);
  }

  @Benchmark
  @Threads(2)
  public Object e_lruBounded_2threads(Cursor c) {
    return e_lruBounded(c);
  }

  @Benchmark
  @Threads(2)
  public Object f_lruBoundedPlusCounter_2threads(Cursor c) {
    return f_lruBoundedPlusCounter(c);
  }

  @Benchmark
  @Threads(2)
  public Long g_tiercache_2threads(Cursor c) {
    return g_tiercache(c);
  }
}
