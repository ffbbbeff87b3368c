package io.tiercache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.backend.InMemoryBackend;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * CPython's {@code functools.lru_cache} tests and lru2cache's, ported: the same call sequences and
 * the same expected statistics. Functions here have no L2 unless a test gives them one, so every L1
 * miss is also an L2 miss, as in lru2cache with an empty shared cache.
 */
class LruCompatibilityTest {
  private final TierCache l1Only = TierCache.builder().build();

  private static CacheInfo info(long l1Hits, long l1Misses, long l2Hits, long l2Misses, long max, long size) {
    return new CacheInfo(l1Hits, l1Misses, l2Hits, l2Misses, max, size);
  }

  @Test
  void randomCallsMatchAReferenceLruExactly() {
    CachedFunction2<Integer, Integer, Integer> f = l1Only.function("f", Integer.class)
        .l1MaxSize(20).of((Integer x, Integer y) -> 3 * x + y);
    assertThat(f.cacheInfo()).isEqualTo(info(0, 0, 0, 0, 20, 0));

    Map<List<Integer>, Boolean> reference = new LinkedHashMap<>(16, 0.75f, true);
    long expectedHits = 0;
    Random random = new Random(42);
    for (int i = 0; i < 1000; i++) {
      int x = random.nextInt(5);
      int y = random.nextInt(5);
      assertThat(f.apply(x, y)).isEqualTo(3 * x + y);
      if (reference.get(List.of(x, y)) != null) {
        expectedHits++;
      } else {
        reference.put(List.of(x, y), true);
        if (reference.size() > 20) {
          reference.remove(reference.keySet().iterator().next());
        }
      }
    }
    long misses = 1000 - expectedHits;
    assertThat(expectedHits).isGreaterThan(misses);
    assertThat(f.cacheInfo()).isEqualTo(info(expectedHits, misses, 0, misses, 20, 20));

    f.cacheClear();
    assertThat(f.cacheInfo()).isEqualTo(info(0, 0, 0, 0, 20, 0));
    f.apply(1, 2);
    assertThat(f.cacheInfo()).isEqualTo(info(0, 1, 0, 1, 20, 1));

    assertThat(f.uncached().apply(1, 2)).isEqualTo(5); // bypasses the cache
    assertThat(f.cacheInfo()).isEqualTo(info(0, 1, 0, 1, 20, 1));
  }

  @Test
  void sizeZeroNeverCaches() {
    AtomicInteger calls = new AtomicInteger();
    CachedFunction0<Integer> f = l1Only.function("f", Integer.class).l1MaxSize(0)
        .of(() -> {
          calls.incrementAndGet();
          return 20;
        });
    assertThat(f.cacheInfo().l1MaxSize()).isZero();
    for (int i = 0; i < 5; i++) {
      assertThat(f.get()).isEqualTo(20);
    }
    assertThat(calls).hasValue(5);
    assertThat(f.cacheInfo()).isEqualTo(info(0, 5, 0, 5, 0, 0));
  }

  @Test
  void sizeOneKeepsTheOnlyValue() {
    AtomicInteger calls = new AtomicInteger();
    CachedFunction0<Integer> f = l1Only.function("f", Integer.class).l1MaxSize(1)
        .of(() -> {
          calls.incrementAndGet();
          return 20;
        });
    for (int i = 0; i < 5; i++) {
      assertThat(f.get()).isEqualTo(20);
    }
    assertThat(calls).hasValue(1);
    assertThat(f.cacheInfo()).isEqualTo(info(4, 1, 0, 1, 1, 1));
  }

  @Test
  void sizeTwoFollowsLeastRecentlyUsedOrder() {
    AtomicInteger calls = new AtomicInteger();
    CachedFunction1<Integer, Integer> f = l1Only.function("f", Integer.class).l1MaxSize(2)
        .of((Integer x) -> {
          calls.incrementAndGet();
          return x * 10;
        });
    for (int x : new int[] {7, 9, 7, 9, 7, 9, 8, 8, 8, 9, 9, 9, 8, 8, 8, 7}) {
      assertThat(f.apply(x)).isEqualTo(x * 10);
    }
    assertThat(calls).hasValue(4);
    assertThat(f.cacheInfo()).isEqualTo(info(12, 4, 0, 4, 2, 2));
  }

  @Test
  void evictionIsExactLeastRecentlyUsed() {
    CachedFunction1<Integer, Integer> f = l1Only.function("f", Integer.class).l1MaxSize(2)
        .of((Integer x) -> x);
    f.apply(1);
    f.apply(2);
    f.apply(3);
    f.apply(1); // 1 was evicted by 3
    assertThat(f.cacheInfo()).isEqualTo(info(0, 4, 0, 4, 2, 2));

    CachedFunction1<Integer, Integer> g = l1Only.function("g", Integer.class).l1MaxSize(2)
        .of((Integer x) -> x);
    g.apply(1);
    g.apply(2);
    g.apply(1); // hit: 1 becomes the most recent
    g.apply(3); // evicts 2
    g.apply(1); // hit
    g.apply(2); // miss
    assertThat(g.cacheInfo()).isEqualTo(info(2, 4, 0, 4, 2, 2));
  }

  @Test
  void unboundedFibonacciCallsItselfThroughTheCache() {
    CachedFunction1<Integer, Integer>[] fib = newFibHolder();
    fib[0] = l1Only.function("fib", Integer.class).l1Unbounded()
        .of((Integer n) -> n < 2 ? n : fib[0].apply(n - 1) + fib[0].apply(n - 2));
    List<Integer> values = IntStream.range(0, 16).mapToObj(fib[0]::apply).toList();
    assertThat(values).containsExactly(0, 1, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610);
    assertThat(fib[0].cacheInfo()).isEqualTo(info(28, 16, 0, 16, CacheInfo.UNBOUNDED, 16));
    assertThat(fib[0].cacheInfo().isL1Unbounded()).isTrue();
    fib[0].cacheClear();
    assertThat(fib[0].cacheInfo()).isEqualTo(info(0, 0, 0, 0, CacheInfo.UNBOUNDED, 0));
  }

  @Test
  void boundedFibonacciWithASharedL2() {
    TierCache withL2 = TierCache.builder().backend("default", InMemoryBackend.create()).build();
    CachedFunction1<Integer, Long>[] fib = newFibHolder();
    fib[0] = withL2.function("fib", Long.class).l1MaxSize(10)
        .of((Integer n) -> n < 2 ? (long) n : fib[0].apply(n - 1) + fib[0].apply(n - 2));
    assertThat(fib[0].apply(80)).isEqualTo(23_416_728_348_467_685L);
    // each n from 0 to 80 computed once; fib(n-2) is still in L1 right after fib(n-1) for n >= 3
    assertThat(fib[0].cacheInfo()).isEqualTo(info(78, 81, 0, 81, 10, 10));
  }

  @SuppressWarnings("unchecked")
  private static <T> T[] newFibHolder() {
    return (T[]) new CachedFunction1<?, ?>[1];
  }

  @Test
  void exceptionsAreNotCached() {
    for (boolean bounded : new boolean[] {true, false}) {
      AtomicInteger calls = new AtomicInteger();
      CachedFunctionBuilder<String> builder = l1Only.function("abc" + bounded, String.class);
      if (bounded) {
        builder.l1MaxSize(128);
      } else {
        builder.l1Unbounded();
      }
      CachedFunction1<Integer, String> f = builder.of((Integer i) -> {
        calls.incrementAndGet();
        return String.valueOf("abc".charAt(i));
      });
      assertThat(f.apply(0)).isEqualTo("a");
      assertThatThrownBy(() -> f.apply(15)).isInstanceOf(StringIndexOutOfBoundsException.class);
      assertThatThrownBy(() -> f.apply(15)).isInstanceOf(StringIndexOutOfBoundsException.class);
      assertThat(calls).hasValue(3);
      assertThat(f.cacheInfo().l1CurrSize()).isEqualTo(1);
    }
  }

  @Test
  void typedKeepsNumberTypesApart() {
    CachedFunction1<Number, Number> square = l1Only.function("square", Number.class).typed(true)
        .of((Number x) -> x instanceof Integer i ? (Number) (i * i) : (Number) (x.doubleValue() * x.doubleValue()));
    assertThat(square.apply(3)).isEqualTo(9);
    assertThat(square.apply(3.0)).isEqualTo(9.0);
    assertThat(square.apply(3)).isEqualTo(9);
    assertThat(square.apply(3.0)).isEqualTo(9.0);
    assertThat(square.cacheInfo()).isEqualTo(info(2, 2, 0, 2, 128, 2));
  }

  @Test
  void untypedSharesEntriesBetweenEqualNumbers() {
    AtomicInteger calls = new AtomicInteger();
    CachedFunction1<Number, Number> square = l1Only.function("square", Number.class)
        .of((Number x) -> {
          calls.incrementAndGet();
          return x instanceof Integer i ? (Number) (i * i) : (Number) (x.doubleValue() * x.doubleValue());
        });
    assertThat(square.apply(3)).isEqualTo(9);
    assertThat(square.apply(3.0)).isEqualTo(9); // the entry of 3, as Python's untyped lru_cache
    assertThat(square.apply(3L)).isEqualTo(9);
    assertThat(square.apply(new java.math.BigDecimal("3.00"))).isEqualTo(9);
    assertThat(square.apply(0.5)).isEqualTo(0.25);
    assertThat(square.apply(0.5f)).isEqualTo(0.25);
    assertThat(calls).hasValue(2);
    assertThat(square.cacheInfo()).isEqualTo(info(4, 2, 0, 2, 128, 2));
  }

  /** A receiver whose identity is its value, like CPython's {@code class X(int)}. */
  static final class X {
    final int value;
    int calls;

    X(int value) {
      this.value = value;
    }

    int f(int x) {
      calls++;
      return x * 10 + value;
    }
  }

  @Test
  void instanceMethodsShareEntriesBetweenReceiversWithTheSameInstanceKey() {
    CachedFunction2<X, Integer, Integer> f = l1Only.function("X.f", Integer.class).l1MaxSize(2)
        .instanceKey(X.class, x -> x.value).of(X::f);
    X a = new X(5);
    X b = new X(5);
    X c = new X(7);
    assertThat(f.cacheInfo()).isEqualTo(info(0, 0, 0, 0, 2, 0));
    for (int x : new int[] {1, 2, 2, 3, 1, 1, 1, 2, 3, 3}) {
      assertThat(f.apply(a, x)).isEqualTo(x * 10 + 5);
    }
    assertThat(List.of(a.calls, b.calls, c.calls)).containsExactly(6, 0, 0);
    assertThat(f.cacheInfo()).isEqualTo(info(4, 6, 0, 6, 2, 2));
    for (int x : new int[] {1, 2, 1, 1, 1, 1, 3, 2, 2, 2}) {
      assertThat(f.apply(b, x)).isEqualTo(x * 10 + 5);
    }
    assertThat(List.of(a.calls, b.calls, c.calls)).containsExactly(6, 4, 0);
    assertThat(f.cacheInfo()).isEqualTo(info(10, 10, 0, 10, 2, 2));
    for (int x : new int[] {2, 1, 1, 1, 1, 2, 1, 3, 2, 1}) {
      assertThat(f.apply(c, x)).isEqualTo(x * 10 + 7);
    }
    assertThat(List.of(a.calls, b.calls, c.calls)).containsExactly(6, 4, 5);
    assertThat(f.cacheInfo()).isEqualTo(info(15, 15, 0, 15, 2, 2));

    // the receiver is passed explicitly, as in lru2cache; any receiver with the same key will do
    assertThat(f.invalidate(new X(7), 1)).isTrue();
    assertThat(f.contains(c, 1)).isFalse();
    assertThat(f.contains(c, 2)).isTrue();
    assertThat(f.invalidate(a, 1)).isFalse(); // (5, 1) was evicted by c's calls
  }

  @Test
  void instanceMethodsWithAnL2ServeL1EvictionsFromL2() {
    TierCache withL2 = TierCache.builder().backend("l2cache", InMemoryBackend.create()).build();
    CachedFunction2<X, Integer, Integer> f = withL2.function("X.f", Integer.class).l1MaxSize(2)
        .instanceKey(X.class, x -> x.value).of(X::f);
    X a = new X(5);
    for (int x : new int[] {1, 2, 2, 3, 1, 1, 1, 2, 3, 3}) {
      assertThat(f.apply(a, x)).isEqualTo(x * 10 + 5);
    }
    // L1 misses: 1, 2, 3 computed; then 1, 2, 3 again, evicted from L1 but still in L2
    assertThat(a.calls).isEqualTo(3);
    assertThat(f.cacheInfo()).isEqualTo(info(4, 6, 3, 3, 2, 2));
  }

  @Test
  void invalidateRemovesOneEntryAndSaysWhetherItWasThere() {
    AtomicInteger calls = new AtomicInteger();
    CachedFunction2<Integer, Integer, Integer> f = l1Only.function("f", Integer.class)
        .of((Integer x, Integer y) -> {
          calls.incrementAndGet();
          return 3 * x + y;
        });
    f.apply(1, 2);
    f.apply(2, 1);
    assertThat(f.invalidate(1, 2)).isTrue();
    assertThat(f.invalidate(1, 2)).isFalse();
    assertThat(f.cacheInfo()).isEqualTo(info(0, 2, 0, 2, 128, 1));
    f.apply(1, 2);
    f.apply(2, 1);
    assertThat(calls).hasValue(3);
    assertThat(f.cacheInfo()).isEqualTo(info(1, 3, 0, 3, 128, 2));
  }
}
