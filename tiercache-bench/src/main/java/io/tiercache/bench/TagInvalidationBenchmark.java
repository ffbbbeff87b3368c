package io.tiercache.bench;

import io.tiercache.CachedFunction1;
import io.tiercache.TierCache;
import io.tiercache.TimeSource;
import io.tiercache.internal.local.LruStore;
import java.util.List;
import java.util.Set;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Local tag invalidation in one L1 of {@value #ENTRIES} entries (issue 13): a tag no entry carries,
 * and a tag carried by {@code tagged} of them (1,000 and 10,000: the time should grow with them,
 * not with the store).
 *
 * <ul>
 *   <li>{@code tiercacheAbsentTag}: {@code TierCache.invalidateTags} of a tag no entry carries, on
 *       an L1-only tagged function holding {@value #ENTRIES} entries.
 *   <li>{@code tiercacheTagged}: the same for the tag {@code tagged} entries carry;
 *       one shot per invocation, the entries are put back (unmeasured) before each.
 *   <li>{@code storeScanAbsentTag} / {@code storeIndexAbsentTag}: the same absent tag on an
 *       {@link LruStore} of {@value #ENTRIES} tagged values, by a scan of every entry (what
 *       {@code invalidateTags} did before the index by tag) and by {@link LruStore#removeTagged}:
 *       old and new way in the same run.
 * </ul>
 */
@Fork(value = 1, jvmArgs = {"-Xms3g", "-Xmx3g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class TagInvalidationBenchmark {
  static final int ENTRIES = 1_000_000;
  static final int TAGGED = 10_000;

  /** One L1-only function whose entries 0..tagged-1 carry the tag "hot" and the others "cold". */
  @State(Scope.Benchmark)
  public static class Filled {
    @Param({"1000", "10000"})
    int tagged;
    TierCache cache;
    CachedFunction1<Long, Long> function;

    @Setup(Level.Trial)
    public void fill() {
      cache = TierCache.builder().build();
      function = cache.function("tagged", Long.class).l1Unbounded()
          .tags(args -> List.of((Long) args[0] < tagged ? "hot" : "cold"))
          .of((Long id) -> id * 31);
      for (long i = 0; i < ENTRIES; i++) {
        function.apply(i);
      }
      if (function.cacheInfo().l1CurrSize() != ENTRIES) {
        throw new IllegalStateException("filled " + function.cacheInfo().l1CurrSize());
      }
    }

    @TearDown(Level.Trial)
    public void close() {
      cache.close();
    }
  }

  /** Puts the tagged entries back before each one-shot invalidation of them. */
  @State(Scope.Benchmark)
  public static class Refilled {
    @Setup(Level.Invocation)
    public void refill(Filled filled) {
      for (long i = 0; i < filled.tagged; i++) {
        filled.function.apply(i);
      }
      if (filled.function.cacheInfo().l1CurrSize() != ENTRIES) {
        throw new IllegalStateException("refilled " + filled.function.cacheInfo().l1CurrSize());
      }
    }
  }

  /** A bare store of tagged values, as an engine's L1 holds them. */
  @State(Scope.Benchmark)
  public static class Store {
    LruStore<Long, Object> store;

    @Setup(Level.Trial)
    public void fill() {
      store = new LruStore<>(LruStore.UNBOUNDED, TimeSource.system(), true);
      Set<String> hot = Set.of("hot");
      Set<String> cold = Set.of("cold");
      for (long i = 0; i < ENTRIES; i++) {
        store.putIf(i, new Value(i, i < TAGGED ? hot : cold), LruStore.NEVER, i + 1, false, () -> true);
      }
    }
  }

  /** A stored value with its tag keys. */
  record Value(long value, Set<String> tagKeys) implements LruStore.Tagged {}

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public boolean tiercacheAbsentTag(Filled filled) {
    return filled.cache.invalidateTags("nobody");
  }

  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Warmup(iterations = 5)
  @Measurement(iterations = 20)
  public boolean tiercacheTagged(Filled filled, Refilled refilled) {
    return filled.cache.invalidateTags("hot");
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public int storeScanAbsentTag(Store store) {
    Set<String> keys = Set.of("nobody");
    return store.store.removeIf(value -> hasAny(((Value) value).tagKeys(), keys));
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public int storeIndexAbsentTag(Store store) {
    return store.store.removeTagged(List.of("nobody"));
  }

  private static boolean hasAny(Set<String> tagKeys, Set<String> keys) {
    for (String key : keys) {
      if (tagKeys.contains(key)) {
        return true;
      }
    }
    return false;
  }
}
