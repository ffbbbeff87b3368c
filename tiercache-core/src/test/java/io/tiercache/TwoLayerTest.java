package io.tiercache;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.backend.InMemoryBackend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Two {@link TierCache} instances sharing one embedded L2 stand in for two processes of one
 * application.
 */
class TwoLayerTest {
  private final ManualTimeSource time = new ManualTimeSource();
  private final InMemoryBackend shared = InMemoryBackend.builder().timeSource(time).build();
  private final TierCache processA = newProcess();
  private final TierCache processB = newProcess();
  private final AtomicInteger computations = new AtomicInteger();

  private TierCache newProcess() {
    return TierCache.builder().namespace("shop").backend("default", shared).timeSource(time).build();
  }

  private CachedFunction2<String, Integer, String> quote(TierCache cache) {
    return cache.function("quote", String.class).of((String sku, Integer qty) -> {
      computations.incrementAndGet();
      return sku + "x" + qty + "@v" + computations.get();
    });
  }

  @Test
  void aValueComputedInOneProcessIsAnL2HitInTheOther() {
    CachedFunction2<String, Integer, String> a = quote(processA);
    CachedFunction2<String, Integer, String> b = quote(processB);

    assertThat(a.apply("A-1", 3)).isEqualTo("A-1x3@v1");
    assertThat(a.cacheInfo()).isEqualTo(new CacheInfo(0, 1, 0, 1, 128, 1));

    assertThat(b.apply("A-1", 3)).isEqualTo("A-1x3@v1");
    assertThat(b.cacheInfo()).isEqualTo(new CacheInfo(0, 1, 1, 0, 128, 1));
    assertThat(b.apply("A-1", 3)).isEqualTo("A-1x3@v1");
    assertThat(b.cacheInfo()).isEqualTo(new CacheInfo(1, 1, 1, 0, 128, 1));
    assertThat(computations).hasValue(1);
  }

  @Test
  void invalidateRemovesBothLayersAndReportsWhetherAnEntryExisted() {
    CachedFunction2<String, Integer, String> a = quote(processA);
    CachedFunction2<String, Integer, String> b = quote(processB);
    a.apply("A-1", 3);

    assertThat(b.invalidate("A-1", 3)).isTrue(); // only in L2, from b's point of view
    assertThat(b.invalidate("A-1", 3)).isFalse();
    assertThat(shared.estimatedSize()).isZero();
    assertThat(a.contains("A-1", 3)).isFalse(); // b's invalidation reached a's L1 (coherence)
    assertThat(a.invalidate("A-1", 3)).isFalse();

    assertThat(b.apply("A-1", 3)).isEqualTo("A-1x3@v2");
    assertThat(computations).hasValue(2);
  }

  @Test
  void containsLooksInBothLayersWithoutCountingOrReordering() {
    CachedFunction2<String, Integer, String> a = quote(processA);
    CachedFunction2<String, Integer, String> b = quote(processB);
    assertThat(a.contains("A-1", 3)).isFalse();
    a.apply("A-1", 3);
    assertThat(a.contains("A-1", 3)).isTrue();
    assertThat(b.contains("A-1", 3)).isTrue(); // from L2
    assertThat(b.contains("A-1", 4)).isFalse();
    assertThat(a.cacheInfo()).isEqualTo(new CacheInfo(0, 1, 0, 1, 128, 1));
    assertThat(b.cacheInfo()).isEqualTo(new CacheInfo(0, 0, 0, 0, 128, 0));
  }

  @Test
  void containsDoesNotMakeAnEntryMoreRecent() {
    CachedFunction1<Integer, Integer> f = processA.function("f", Integer.class).l1Only().l1MaxSize(2)
        .of((Integer x) -> x);
    f.apply(1);
    f.apply(2);
    assertThat(f.contains(1)).isTrue();
    f.apply(3); // evicts 1: contains did not refresh it
    assertThat(f.contains(1)).isFalse();
    assertThat(f.contains(2)).isTrue();
    assertThat(f.cacheInfo()).isEqualTo(new CacheInfo(0, 3, 0, 3, 2, 2));
  }

  @Test
  void refreshRecomputesAndRewritesBothLayers() {
    CachedFunction2<String, Integer, String> a = quote(processA);
    CachedFunction2<String, Integer, String> b = quote(processB);
    a.apply("A-1", 3);
    assertThat(a.refresh("A-1", 3)).isEqualTo("A-1x3@v2");
    assertThat(a.apply("A-1", 3)).isEqualTo("A-1x3@v2");
    assertThat(b.apply("A-1", 3)).isEqualTo("A-1x3@v2");
    assertThat(computations).hasValue(2);
    assertThat(a.cacheInfo()).isEqualTo(new CacheInfo(1, 1, 0, 1, 128, 1));
  }

  @Test
  void uncachedCallsTheFunctionAndChangesNoStatistics() {
    CachedFunction2<String, Integer, String> a = quote(processA);
    assertThat(a.uncached().apply("A-1", 3)).isEqualTo("A-1x3@v1");
    assertThat(a.uncached().apply("A-1", 3)).isEqualTo("A-1x3@v2");
    assertThat(a.cacheInfo()).isEqualTo(new CacheInfo(0, 0, 0, 0, 128, 0));
    assertThat(shared.estimatedSize()).isZero();
  }

  @Test
  void nullResultsAreNotStoredUnlessAskedFor() {
    CachedFunction1<String, String> a = processA.function("lookup", String.class).of((String k) -> {
      computations.incrementAndGet();
      return null;
    });
    assertThat(a.apply("missing")).isNull();
    assertThat(a.apply("missing")).isNull();
    assertThat(computations).hasValue(2);
    assertThat(shared.estimatedSize()).isZero();
    assertThat(a.cacheInfo()).isEqualTo(new CacheInfo(0, 2, 0, 2, 128, 0));
  }

  @Test
  void nullResultsAreSharedThroughL2WhenCached() {
    CachedFunction1<String, String> a = processA.function("lookup", String.class).cacheNulls(true)
        .of((String k) -> {
          computations.incrementAndGet();
          return null;
        });
    CachedFunction1<String, String> b = processB.function("lookup", String.class).cacheNulls(true)
        .of((String k) -> {
          computations.incrementAndGet();
          return "computed in b";
        });
    assertThat(a.apply("missing")).isNull();
    assertThat(a.apply("missing")).isNull();
    assertThat(b.apply("missing")).isNull();
    assertThat(computations).hasValue(1);
    assertThat(a.cacheInfo()).isEqualTo(new CacheInfo(1, 1, 0, 1, 128, 1));
    assertThat(b.cacheInfo()).isEqualTo(new CacheInfo(0, 1, 1, 0, 128, 1));
  }

  @Test
  void entriesExpireInBothLayersAndLeaveTheL1Count() {
    CachedFunction1<Integer, String> a = processA.function("f", String.class).ttl(Duration.ofSeconds(10))
        .of((Integer x) -> "v" + computations.incrementAndGet());
    CachedFunction1<Integer, String> b = processB.function("f", String.class).ttl(Duration.ofSeconds(10))
        .of((Integer x) -> "v" + computations.incrementAndGet());
    assertThat(a.apply(1)).isEqualTo("v1");
    time.advance(Duration.ofSeconds(4));
    assertThat(b.apply(1)).isEqualTo("v1"); // from L2, with 6 s left
    time.advance(Duration.ofSeconds(5));
    assertThat(a.apply(1)).isEqualTo("v1");
    assertThat(b.apply(1)).isEqualTo("v1");
    assertThat(a.cacheInfo().l1CurrSize()).isEqualTo(1);
    time.advance(Duration.ofSeconds(1));
    assertThat(a.cacheInfo().l1CurrSize()).isZero(); // no call needed
    assertThat(b.cacheInfo().l1CurrSize()).isZero(); // b's copy keeps a's deadline, not a new one
    assertThat(b.contains(1)).isFalse();
    assertThat(b.apply(1)).isEqualTo("v2");
    assertThat(a.apply(1)).isEqualTo("v2");
    assertThat(a.cacheInfo()).isEqualTo(new CacheInfo(1, 2, 1, 1, 128, 1));
  }

  @Test
  void jitterSpreadsExpiriesOverTheJitterWindow() {
    CachedFunction1<Integer, Integer> f = processA.function("f", Integer.class).l1Unbounded()
        .ttl(Duration.ofSeconds(10)).jitter(Duration.ofSeconds(10)).of((Integer x) -> x);
    for (int i = 0; i < 200; i++) {
      f.apply(i);
    }
    time.advance(Duration.ofSeconds(10).minusNanos(1));
    assertThat(f.cacheInfo().l1CurrSize()).isEqualTo(200);
    time.advance(Duration.ofSeconds(5));
    long alive = f.cacheInfo().l1CurrSize();
    // each entry lives 10 s plus a uniform extra of up to 10 s: about half are gone at 15 s
    assertThat(alive).isBetween(40L, 160L);
    time.advance(Duration.ofSeconds(5).plusNanos(1));
    assertThat(f.cacheInfo().l1CurrSize()).isZero();
    List<Integer> stillInL2 = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      if (f.contains(i)) {
        stillInL2.add(i);
      }
    }
    assertThat(stillInL2).isEmpty();
  }

  @Test
  void untypedNumbersShareL2EntriesAcrossProcesses() {
    CachedFunction1<Number, String> a = processA.function("n", String.class)
        .of((Number x) -> "from " + x);
    CachedFunction1<Number, String> b = processB.function("n", String.class)
        .of((Number x) -> "from " + x);
    assertThat(a.apply(3)).isEqualTo("from 3");
    assertThat(b.apply(3.0)).isEqualTo("from 3");
    assertThat(b.apply(new java.math.BigInteger("3"))).isEqualTo("from 3");
    assertThat(b.cacheInfo()).isEqualTo(new CacheInfo(1, 1, 1, 0, 128, 1));
  }

  @Test
  void typedNumbersDoNotShareL2Entries() {
    CachedFunction1<Number, String> a = processA.function("n", String.class).typed(true)
        .of((Number x) -> "from " + x);
    CachedFunction1<Number, String> b = processB.function("n", String.class).typed(true)
        .of((Number x) -> "from " + x);
    assertThat(a.apply(3)).isEqualTo("from 3");
    assertThat(b.apply(3L)).isEqualTo("from 3");
    assertThat(b.apply(3.0)).isEqualTo("from 3.0");
    assertThat(b.apply(3)).isEqualTo("from 3");
    assertThat(b.cacheInfo()).isEqualTo(new CacheInfo(0, 3, 1, 2, 128, 3));
  }

  @Test
  void mutatingAReturnedObjectDoesNotChangeWhatOtherProcessesRead() {
    CachedFunction1<String, List<String>> a = processA.function("list", new ValueType<List<String>>() {})
        .of((String k) -> new ArrayList<>(List.of(k, k)));
    CachedFunction1<String, List<String>> b = processB.function("list", new ValueType<List<String>>() {})
        .of((String k) -> List.of("recomputed"));
    a.apply("x").add("mutated in a");
    assertThat(b.apply("x")).containsExactly("x", "x");
  }

  @Test
  void functionsWithoutL2AndWithANamedBackend() {
    InMemoryBackend other = InMemoryBackend.create();
    TierCache cache = TierCache.builder().backend("default", shared).backend("l2cache", other)
        .backend("sessions", InMemoryBackend.create()).build();
    cache.function("viaL2cache", Integer.class).of((Integer x) -> x).apply(1);
    assertThat(other.estimatedSize()).isEqualTo(1);
    assertThat(shared.estimatedSize()).isZero();
    cache.function("viaSessions", Integer.class).backend("sessions").of((Integer x) -> x).apply(1);
    cache.function("local", Integer.class).l1Only().of((Integer x) -> x).apply(1);
    assertThat(other.estimatedSize()).isEqualTo(1);
    assertThat(cache.backends().get("sessions")).isNotNull();
    assertThat(((InMemoryBackend) cache.backends().get("sessions")).estimatedSize()).isEqualTo(1);

    TierCache onlyDefault = TierCache.builder().backend("default", shared).build();
    onlyDefault.function("viaDefault", Integer.class).of((Integer x) -> x).apply(1);
    assertThat(shared.estimatedSize()).isEqualTo(1);
  }

  @Test
  void functionsOfEveryArity() {
    CachedFunction0<String> zero = processA.function("zero", String.class).of(() -> "z");
    CachedFunction3<Integer, Integer, Integer, Integer> three = processA.function("three", Integer.class)
        .of((Integer x, Integer y, Integer z) -> x * 100 + y * 10 + z);
    CachedFunctionN<Integer> four = processA.function("four", Integer.class)
        .ofArgs(4, args -> (Integer) args[0] + (Integer) args[1] + (Integer) args[2] + (Integer) args[3]);
    assertThat(zero.get()).isEqualTo("z");
    assertThat(zero.get()).isEqualTo("z");
    assertThat(three.apply(1, 2, 3)).isEqualTo(123);
    assertThat(three.apply(1, 2, 3)).isEqualTo(123);
    assertThat(four.call(1, 2, 3, 4)).isEqualTo(10);
    assertThat(four.call(1, 2, 3, 4)).isEqualTo(10);
    assertThat(four.contains(1, 2, 3, 4)).isTrue();
    assertThat(four.invalidate(1, 2, 3, 4)).isTrue();
    assertThat(zero.invalidate()).isTrue();
    assertThat(three.refresh(1, 2, 3)).isEqualTo(123);
    assertThat(zero.cacheInfo()).isEqualTo(new CacheInfo(1, 1, 0, 1, 128, 0));
    assertThat(three.cacheInfo()).isEqualTo(new CacheInfo(1, 1, 0, 1, 128, 1));
    assertThat(four.cacheInfo()).isEqualTo(new CacheInfo(1, 1, 0, 1, 128, 0));
  }
}
