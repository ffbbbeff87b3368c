package io.tiercache.async;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.AsyncCachedFunction0;
import io.tiercache.AsyncCachedFunction1;
import io.tiercache.AsyncCachedFunction2;
import io.tiercache.CacheInfo;
import io.tiercache.ManualTimeSource;
import io.tiercache.TierCache;
import io.tiercache.UnencodableArgumentException;
import io.tiercache.internal.engine.AsyncInternals;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * async-lru's behaviours, ported: one computation per key for concurrent callers, exact LRU order
 * and statistics, maxsize 0, TTL and jitter on a controlled clock, invalidation, clearing, closing,
 * cancellation and exceptions. Functions here have no L2, so every L1 miss is also an L2 miss.
 */
class AsyncCachedFunctionTest {
  private final ManualTimeSource clock = new ManualTimeSource();
  private final TierCache cache = TierCache.builder().timeSource(clock).build();
  private final ExecutorService pool = Executors.newFixedThreadPool(8);

  @AfterEach
  void stopPool() throws InterruptedException {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  private static CacheInfo info(long l1Hits, long l1Misses, long l2Hits, long l2Misses, long max, long size) {
    return new CacheInfo(l1Hits, l1Misses, l2Hits, l2Misses, max, size);
  }

  private static <T> T done(CompletableFuture<T> future) throws Exception {
    return future.get(10, TimeUnit.SECONDS);
  }

  /** A function whose computations complete when the test says, one gate per computation. */
  private static final class Gated {
    final AtomicInteger calls = new AtomicInteger();
    final List<CompletableFuture<Object>> gates = new ArrayList<>();

    synchronized CompletableFuture<Object> start() {
      calls.incrementAndGet();
      CompletableFuture<Object> gate = new CompletableFuture<>();
      gates.add(gate);
      return gate;
    }

    synchronized CompletableFuture<Object> gate(int i) {
      return gates.get(i);
    }
  }

  @Test
  void aHundredConcurrentCallsMakeOneComputationAndGetTheSameObject() throws Exception {
    Gated fn = new Gated();
    AsyncCachedFunction1<Integer, Object> f = cache.function("f", Object.class).ofAsync((Integer x) -> fn.start());
    List<CompletableFuture<Object>> calls = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      calls.add(f.apply(1));
    }
    assertThat(fn.calls).hasValue(1);
    assertThat(calls).allMatch(c -> !c.isDone());
    Object result = new Object();
    fn.gate(0).complete(result);
    for (CompletableFuture<Object> call : calls) {
      assertThat(done(call)).isSameAs(result);
    }
    assertThat(f.cacheInfo()).isEqualTo(info(99, 1, 0, 1, 128, 1));
    assertThat(done(f.apply(1))).isSameAs(result);
    assertThat(f.cacheInfo()).isEqualTo(info(100, 1, 0, 1, 128, 1));
    assertThat(AsyncInternals.inFlight(f)).isZero();
  }

  @Test
  void aHundredCallsFromManyThreadsMakeOneComputation() throws Exception {
    Gated fn = new Gated();
    AsyncCachedFunction1<Integer, Object> f = cache.function("f", Object.class).ofAsync((Integer x) -> fn.start());
    CountDownLatch start = new CountDownLatch(1);
    List<Future<CompletableFuture<Object>>> submitted = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      submitted.add(pool.submit(() -> {
        start.await();
        return f.apply(7);
      }));
    }
    start.countDown();
    List<CompletableFuture<Object>> calls = new ArrayList<>();
    for (Future<CompletableFuture<Object>> s : submitted) {
      calls.add(s.get(10, TimeUnit.SECONDS));
    }
    assertThat(fn.calls).hasValue(1);
    Object result = new Object();
    fn.gate(0).complete(result);
    Map<Object, Boolean> distinct = new IdentityHashMap<>();
    for (CompletableFuture<Object> call : calls) {
      distinct.put(done(call), true);
    }
    assertThat(distinct).containsOnlyKeys(result);
    assertThat(f.cacheInfo()).isEqualTo(info(99, 1, 0, 1, 128, 1));
  }

  @Test
  void asyncLrusGetPepExampleGivesItsCacheInfo() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    AsyncCachedFunction1<Integer, String> getPep = cache.function("getPep", String.class).l1MaxSize(32)
        .ofAsync((Integer num) -> CompletableFuture.supplyAsync(() -> {
          calls.incrementAndGet();
          return num == 9991 ? "Not Found" : "pep-" + num;
        }, pool));
    for (int n : new int[] {8, 290, 308, 320, 8, 218, 320, 279, 289, 320, 9991}) {
      assertThat(done(getPep.apply(n))).isEqualTo(n == 9991 ? "Not Found" : "pep-" + n);
    }
    // CacheInfo(hits=3, misses=8, maxsize=32, currsize=8)
    assertThat(getPep.cacheInfo()).isEqualTo(info(3, 8, 0, 8, 32, 8));
    assertThat(calls).hasValue(8);
    getPep.close();
    assertThat(getPep.cacheInfo().l1CurrSize()).isZero();
  }

  @Test
  void evictionIsExactLeastRecentlyUsed() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    AsyncCachedFunction1<Integer, Integer> f = cache.function("f", Integer.class).l1MaxSize(2)
        .ofAsync((Integer x) -> {
          calls.incrementAndGet();
          return CompletableFuture.completedFuture(x * 10);
        });
    for (int x : new int[] {1, 2, 3}) {
      assertThat(done(f.apply(x))).isEqualTo(x * 10);
    }
    assertThat(done(f.apply(1))).isEqualTo(10); // 1 was evicted by 3: a miss
    assertThat(f.cacheInfo()).isEqualTo(info(0, 4, 0, 4, 2, 2));
    // a hit makes its entry the most recent: 1 and 3 held; hit 3, then 4 evicts 1
    assertThat(done(f.apply(3))).isEqualTo(30);
    assertThat(done(f.apply(4))).isEqualTo(40);
    assertThat(f.contains(1)).isFalse();
    assertThat(f.contains(3)).isTrue();
    assertThat(f.contains(4)).isTrue();
    assertThat(f.cacheInfo()).isEqualTo(info(1, 5, 0, 5, 2, 2));
    assertThat(calls).hasValue(5);
  }

  @Test
  void containsNeitherCountsNorReorders() throws Exception {
    AsyncCachedFunction1<Integer, Integer> f = cache.function("f", Integer.class).l1MaxSize(2)
        .ofAsync((Integer x) -> CompletableFuture.completedFuture(x));
    done(f.apply(1));
    done(f.apply(2));
    CacheInfo before = f.cacheInfo();
    assertThat(f.contains(1)).isTrue(); // does not make 1 the most recent
    assertThat(f.contains(5)).isFalse();
    assertThat(f.cacheInfo()).isEqualTo(before);
    done(f.apply(3)); // evicts 1, the least recently used
    assertThat(f.contains(1)).isFalse();
    assertThat(f.contains(2)).isTrue();
  }

  @Test
  void maxSizeZeroCachesNothingButStillSharesComputationsInFlight() throws Exception {
    Gated fn = new Gated();
    AsyncCachedFunction0<Object> f = cache.function("f", Object.class).l1MaxSize(0).ofAsync(fn::start);
    for (int i = 0; i < 5; i++) {
      CompletableFuture<Object> call = f.get();
      fn.gate(i).complete(i);
      assertThat(done(call)).isEqualTo(i);
    }
    assertThat(fn.calls).hasValue(5);
    assertThat(f.cacheInfo()).isEqualTo(info(0, 5, 0, 5, 0, 0));

    CompletableFuture<Object> a = f.get();
    CompletableFuture<Object> b = f.get();
    assertThat(f.contains()).isFalse(); // in flight is not contained
    fn.gate(5).complete("shared");
    assertThat(done(a)).isEqualTo("shared");
    assertThat(done(b)).isEqualTo("shared");
    assertThat(fn.calls).hasValue(6);
    assertThat(f.contains()).isFalse();
    assertThat(f.cacheInfo()).isEqualTo(info(1, 6, 0, 6, 0, 0));
  }

  @Test
  void ttlCountsFromCompletionAndExpiredEntriesLeaveWithoutACall() throws Exception {
    Gated fn = new Gated();
    AsyncCachedFunction1<Integer, Object> f = cache.function("f", Object.class).ttl(Duration.ofSeconds(10))
        .ofAsync((Integer x) -> fn.start());
    CompletableFuture<Object> call = f.apply(1);
    clock.advance(Duration.ofSeconds(30)); // a slow computation: its lifetime has not begun
    assertThat(f.contains(1)).isFalse(); // in flight is not contained
    fn.gate(0).complete("v");
    assertThat(done(call)).isEqualTo("v");
    assertThat(clock.pendingTasks()).isEqualTo(1); // one purge, at the deadline

    clock.advance(Duration.ofSeconds(10).minusNanos(1));
    assertThat(done(f.apply(1))).isEqualTo("v");
    assertThat(AsyncInternals.l1Held(f)).isEqualTo(1);
    clock.advance(Duration.ofNanos(1));
    assertThat(AsyncInternals.l1Held(f)).isZero(); // purged by the timer, no call needed
    assertThat(clock.pendingTasks()).isZero();
    assertThat(f.contains(1)).isFalse();
    assertThat(f.cacheInfo()).isEqualTo(info(1, 1, 0, 1, 128, 0));

    CompletableFuture<Object> again = f.apply(1);
    fn.gate(1).complete("w");
    assertThat(done(again)).isEqualTo("w");
    assertThat(fn.calls).hasValue(2);
    assertThat(f.cacheInfo()).isEqualTo(info(1, 2, 0, 2, 128, 1));
  }

  @Test
  void oneTimerTaskServesManyEntriesWithDifferentDeadlines() throws Exception {
    AsyncCachedFunction1<Integer, Integer> f = cache.function("f", Integer.class).l1Unbounded()
        .ttl(Duration.ofSeconds(10)).ofAsync((Integer x) -> CompletableFuture.completedFuture(x));
    for (int i = 0; i < 100; i++) {
      done(f.apply(i));
      clock.advance(Duration.ofMillis(100)); // deadlines 10.0 s, 10.1 s, ... 19.9 s
    }
    // now 10.0 s after the first: it has just gone; one task waits for the next deadline
    assertThat(AsyncInternals.l1Held(f)).isEqualTo(99);
    assertThat(clock.pendingTasks()).isEqualTo(1);
    clock.advance(Duration.ofMillis(100));
    assertThat(AsyncInternals.l1Held(f)).isEqualTo(98);
    clock.advance(Duration.ofMillis(4900)); // 15.0 s: deadlines up to 15.0 s have passed
    assertThat(AsyncInternals.l1Held(f)).isEqualTo(49);
    clock.advance(Duration.ofSeconds(5));
    assertThat(AsyncInternals.l1Held(f)).isZero();
    assertThat(clock.pendingTasks()).isZero();
  }

  @Test
  void jitterSpreadsDeadlinesOverTtlToTtlPlusJitter() throws Exception {
    AsyncCachedFunction1<Integer, Integer> f = cache.function("f", Integer.class).l1Unbounded()
        .ttl(Duration.ofSeconds(3600)).jitter(Duration.ofSeconds(1800))
        .ofAsync((Integer x) -> CompletableFuture.completedFuture(x));
    for (int i = 0; i < 200; i++) {
      done(f.apply(i));
    }
    clock.advance(Duration.ofSeconds(3600).minusNanos(1));
    assertThat(AsyncInternals.l1Held(f)).isEqualTo(200); // none before the ttl
    clock.advance(Duration.ofSeconds(900));
    int left = AsyncInternals.l1Held(f);
    // each entry draws its own extra in [0, 1800 s]: about half are gone at 3600 + 900 s
    // (all 200 on one side would have probability 2 * 2^-200)
    assertThat(left).isBetween(1, 199);
    clock.advance(Duration.ofSeconds(900).plusNanos(1));
    assertThat(AsyncInternals.l1Held(f)).isZero(); // none after ttl + jitter
    assertThat(f.cacheInfo()).isEqualTo(info(0, 200, 0, 200, CacheInfo.UNBOUNDED, 0));
  }

  @Test
  void jitterIsValidatedAsForSynchronousFunctions() {
    assertThatThrownBy(() -> cache.function("f", Integer.class).jitter(Duration.ofSeconds(5))
        .ofAsync((Integer x) -> CompletableFuture.completedFuture(x)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cached function 'f': jitter PT5S needs a ttl: set ttl(...) as well");
    assertThatThrownBy(() -> cache.function("g", Integer.class).ttl(Duration.ofSeconds(1))
        .jitter(Duration.ofSeconds(-1)).ofAsync((Integer x) -> CompletableFuture.completedFuture(x)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cached function 'g': jitter must not be negative, got PT-1S");
    // the same messages as the synchronous builder gives
    assertThatThrownBy(() -> cache.function("h", Integer.class).jitter(Duration.ofSeconds(5))
        .of((Integer x) -> x))
        .hasMessage("cached function 'h': jitter PT5S needs a ttl: set ttl(...) as well");
    // a refused build leaves the name free
    assertThat(cache.function("f", Integer.class).ofAsync((Integer x) -> CompletableFuture.completedFuture(x)))
        .isNotNull();
  }

  @Test
  void invalidateTellsWhetherAnEntryFinishedOrInFlightWasThere() throws Exception {
    Gated fn = new Gated();
    AsyncCachedFunction1<Integer, Object> f = cache.function("f", Object.class).ofAsync((Integer x) -> fn.start());
    assertThat(f.invalidate(1)).isFalse();

    CompletableFuture<Object> first = f.apply(1);
    assertThat(f.invalidate(1)).isTrue(); // in flight
    assertThat(f.contains(1)).isFalse();
    CompletableFuture<Object> second = f.apply(1); // starts afresh
    assertThat(fn.calls).hasValue(2);
    fn.gate(0).complete("old");
    assertThat(done(first)).isEqualTo("old"); // its caller still gets it ...
    assertThat(f.contains(1)).isFalse(); // (the second computation is in flight: not contained)
    fn.gate(1).complete("new");
    assertThat(done(second)).isEqualTo("new");
    assertThat(done(f.apply(1))).isEqualTo("new"); // ... but it was never stored

    assertThat(f.invalidate(1)).isTrue(); // finished
    assertThat(f.invalidate(1)).isFalse();
    assertThat(f.cacheInfo()).isEqualTo(info(1, 2, 0, 2, 128, 0));
  }

  @Test
  void cacheClearEmptiesWithoutCancellingCallersAlreadyWaiting() throws Exception {
    Gated fn = new Gated();
    AsyncCachedFunction1<Integer, Object> f = cache.function("f", Object.class).ofAsync((Integer x) -> fn.start());
    CompletableFuture<Object> stored = f.apply(1);
    fn.gate(0).complete("one");
    done(stored);
    CompletableFuture<Object> waiting = f.apply(2);
    CompletableFuture<Object> joined = f.apply(2);

    f.cacheClear();
    assertThat(f.cacheInfo()).isEqualTo(info(0, 0, 0, 0, 128, 0));
    assertThat(f.contains(1)).isFalse();
    assertThat(f.contains(2)).isFalse();
    assertThat(waiting.isCancelled()).isFalse();
    assertThat(fn.gate(1).isCancelled()).isFalse();
    fn.gate(1).complete("two");
    assertThat(done(waiting)).isEqualTo("two");
    assertThat(done(joined)).isEqualTo("two");
    assertThat(f.cacheInfo()).isEqualTo(info(0, 0, 0, 0, 128, 0)); // not stored after the clear
    assertThat(AsyncInternals.inFlight(f)).isZero();
  }

  @Test
  void closeCancelsWhatIsInFlightAndEmptiesTheCache() throws Exception {
    Gated fn = new Gated();
    AsyncCachedFunction1<Integer, Object> f = cache.function("f", Object.class).ttl(Duration.ofSeconds(10))
        .ofAsync((Integer x) -> fn.start());
    CompletableFuture<Object> stored = f.apply(1);
    fn.gate(0).complete("one");
    done(stored);
    CompletableFuture<Object> a = f.apply(2);
    CompletableFuture<Object> b = f.apply(2);
    assertThat(clock.pendingTasks()).isEqualTo(1);

    f.close();
    assertThat(f.isClosed()).isTrue();
    assertThat(a.isCancelled()).isTrue();
    assertThat(b.isCancelled()).isTrue();
    assertThat(fn.gate(1).isCancelled()).isTrue(); // the computation itself
    assertThat(f.cacheInfo().l1CurrSize()).isZero();
    assertThat(AsyncInternals.inFlight(f)).isZero();
    assertThat(clock.pendingTasks()).isZero(); // the expiry timer stopped too

    assertThatThrownBy(() -> f.apply(1)).isInstanceOf(IllegalStateException.class)
        .hasMessage("async cached function 'f' is closed; build a new one");
    assertThat(f.close(true)).isDone(); // a second close does nothing
    f.close();
    assertThat(fn.calls).hasValue(2);
  }

  @Test
  void closeWithWaitLetsWorkInFlightFinishFirst() throws Exception {
    Gated fn = new Gated();
    AsyncCachedFunction1<Integer, Object> f = cache.function("f", Object.class).ofAsync((Integer x) -> fn.start());
    CompletableFuture<Object> a = f.apply(1);
    CompletableFuture<Object> b = f.apply(1);

    CompletableFuture<Void> closed = f.close(true);
    assertThat(closed).isNotDone();
    assertThat(f.isClosed()).isTrue();
    assertThatThrownBy(() -> f.apply(2)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'f' is closed");
    fn.gate(0).complete("finished");
    assertThat(done(a)).isEqualTo("finished");
    assertThat(done(b)).isEqualTo("finished");
    done(closed);
    assertThat(f.cacheInfo()).isEqualTo(info(1, 1, 0, 1, 128, 0));
    assertThat(f.close(false)).isSameAs(closed);
  }

  @Test
  void oneCallerCancellingLeavesTheSharedComputationToTheOthers() throws Exception {
    Gated fn = new Gated();
    AsyncCachedFunction1<Integer, Object> f = cache.function("f", Object.class).ofAsync((Integer x) -> fn.start());
    CompletableFuture<Object> a = f.apply(1);
    CompletableFuture<Object> b = f.apply(1);
    CompletableFuture<Object> c = f.apply(1);
    assertThat(a.cancel(true)).isTrue();
    assertThat(b.cancel(true)).isTrue();
    assertThat(fn.gate(0).isCancelled()).isFalse();
    fn.gate(0).complete("v");
    assertThat(done(c)).isEqualTo("v");
    assertThat(a.isCancelled()).isTrue();
    assertThat(done(f.apply(1))).isEqualTo("v");
    assertThat(fn.calls).hasValue(1);
  }

  @Test
  void whenEveryCallerCancelsTheComputationIsCancelled() throws Exception {
    Gated fn = new Gated();
    AsyncCachedFunction1<Integer, Object> f = cache.function("f", Object.class).ofAsync((Integer x) -> fn.start());
    CompletableFuture<Object> a = f.apply(1);
    CompletableFuture<Object> b = f.apply(1);
    a.cancel(true);
    assertThat(fn.gate(0).isCancelled()).isFalse();
    b.completeExceptionally(new java.util.concurrent.TimeoutException()); // as orTimeout does
    assertThat(fn.gate(0).isCancelled()).isTrue();
    assertThat(AsyncInternals.inFlight(f)).isZero();
    assertThat(f.contains(1)).isFalse();

    CompletableFuture<Object> next = f.apply(1); // starts afresh
    assertThat(fn.calls).hasValue(2);
    fn.gate(1).complete("fresh");
    assertThat(done(next)).isEqualTo("fresh");
    assertThat(f.cacheInfo()).isEqualTo(info(1, 2, 0, 2, 128, 1));
  }

  @Test
  void aFailureReachesEveryCallerThatSharedItAndIsNeverCached() throws Exception {
    Gated fn = new Gated();
    AsyncCachedFunction1<Integer, Object> f = cache.function("f", Object.class).ofAsync((Integer x) -> fn.start());
    CompletableFuture<Object> a = f.apply(1);
    CompletableFuture<Object> b = f.apply(1);
    IllegalStateException boom = new IllegalStateException("boom");
    fn.gate(0).completeExceptionally(boom);
    assertThatThrownBy(() -> done(a)).isInstanceOf(ExecutionException.class).cause().isSameAs(boom);
    assertThatThrownBy(() -> done(b)).isInstanceOf(ExecutionException.class).cause().isSameAs(boom);
    assertThat(f.contains(1)).isFalse();

    CompletableFuture<Object> again = f.apply(1); // computes again
    assertThat(fn.calls).hasValue(2);
    fn.gate(1).complete("ok");
    assertThat(done(again)).isEqualTo("ok");
    assertThat(f.cacheInfo()).isEqualTo(info(1, 2, 0, 2, 128, 1));
  }

  @Test
  void aFunctionThatThrowsOrReturnsNullFailsTheFuture() throws Exception {
    RuntimeException thrown = new IllegalArgumentException("bad input");
    AsyncCachedFunction1<Integer, Integer> throwing = cache.function("throwing", Integer.class)
        .ofAsync((Integer x) -> {
          throw thrown;
        });
    assertThatThrownBy(() -> done(throwing.apply(1))).cause().isSameAs(thrown);
    AsyncCachedFunction1<Integer, Integer> returnsNull = cache.function("returnsNull", Integer.class)
        .ofAsync((Integer x) -> null);
    assertThatThrownBy(() -> done(returnsNull.apply(1))).cause().isInstanceOf(NullPointerException.class)
        .hasMessage("async cached function 'returnsNull' returned null instead of a CompletionStage");
    assertThat(AsyncInternals.inFlight(throwing)).isZero();
    assertThat(AsyncInternals.inFlight(returnsNull)).isZero();
  }

  @Test
  void aThousandFailingCallsLeaveNothingBehind() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    AsyncCachedFunction1<Integer, Integer> f = cache.function("f", Integer.class).ttl(Duration.ofMinutes(1))
        .ofAsync((Integer x) -> {
          calls.incrementAndGet();
          return x % 2 == 0
              ? CompletableFuture.failedFuture(new IllegalStateException("fail " + x))
              : CompletableFuture.supplyAsync(() -> {
                throw new IllegalStateException("fail " + x);
              }, pool);
        });
    for (int i = 0; i < 1000; i++) {
      CompletableFuture<Integer> call = f.apply(i % 10);
      assertThatThrownBy(() -> done(call)).cause().hasMessageStartingWith("fail ");
    }
    assertThat(calls).hasValue(1000);
    assertThat(AsyncInternals.inFlight(f)).isZero();
    assertThat(AsyncInternals.l1Held(f)).isZero();
    assertThat(clock.pendingTasks()).isZero();
    assertThat(f.cacheInfo()).isEqualTo(info(0, 1000, 0, 1000, 128, 0));
  }

  @Test
  void unencodableArgumentsFailBeforeAnythingIsComputed() {
    AtomicInteger calls = new AtomicInteger();
    AsyncCachedFunction1<Object, Integer> f = cache.function("f", Integer.class)
        .ofAsync((Object x) -> {
          calls.incrementAndGet();
          return CompletableFuture.completedFuture(1);
        });
    assertThatThrownBy(() -> done(f.apply(new Object()))).cause()
        .isInstanceOf(UnencodableArgumentException.class);
    assertThat(calls).hasValue(0);
    assertThat(AsyncInternals.inFlight(f)).isZero();
  }

  @Test
  void aCachedFunctionMayCallItselfWithOtherArguments() throws Exception {
    Map<Integer, Integer> computed = new HashMap<>();
    AsyncCachedFunction1<Integer, Long>[] fib = new AsyncCachedFunction1[1];
    fib[0] = cache.function("fib", Long.class).l1Unbounded().ofAsync((Integer n) -> {
      computed.merge(n, 1, Integer::sum);
      return n < 2 ? CompletableFuture.completedFuture((long) n)
          : fib[0].apply(n - 1).thenCombine(fib[0].apply(n - 2), Long::sum);
    });
    assertThat(done(fib[0].apply(80))).isEqualTo(23_416_728_348_467_685L);
    assertThat(computed).hasSize(81).allSatisfy((n, times) -> assertThat(times).isEqualTo(1));
    assertThat(fib[0].cacheInfo()).isEqualTo(info(78, 81, 0, 81, CacheInfo.UNBOUNDED, 81));
  }

  @Test
  void aFunctionThatCallsItselfWithItsOwnArgumentsAsItStartsDoesNotWaitForItself() throws Exception {
    AtomicInteger depth = new AtomicInteger();
    @SuppressWarnings("unchecked")
    AsyncCachedFunction1<Integer, Integer>[] f = new AsyncCachedFunction1[1];
    f[0] = cache.function("f", Integer.class).ofAsync((Integer x) -> depth.getAndIncrement() == 0
        ? f[0].apply(x).thenApply(v -> v + 1) // the same arguments: computed apart, not joined
        : CompletableFuture.completedFuture(1));
    assertThat(done(f[0].apply(5))).isEqualTo(2);
    assertThat(f[0].cacheInfo()).isEqualTo(info(0, 2, 0, 2, 128, 1));
    assertThat(done(f[0].apply(5))).isEqualTo(2);
    assertThat(AsyncInternals.inFlight(f[0])).isZero();
  }

  @Test
  void functionsOfTwoArgumentsKeyOnBoth() throws Exception {
    AsyncCachedFunction2<String, Integer, String> f = cache.function("f", String.class)
        .ofAsync((String a, Integer b) -> CompletableFuture.completedFuture(a + b));
    assertThat(done(f.apply("a", 1))).isEqualTo("a1");
    assertThat(done(f.apply("a", 2))).isEqualTo("a2");
    assertThat(done(f.apply("a", 1))).isEqualTo("a1");
    assertThat(f.cacheInfo()).isEqualTo(info(1, 2, 0, 2, 128, 2));
    assertThat(f.uncached().apply("b", 3).toCompletableFuture().join()).isEqualTo("b3");
    assertThat(f.cacheInfo()).isEqualTo(info(1, 2, 0, 2, 128, 2));
  }
}
