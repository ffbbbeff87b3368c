package io.tiercache.async;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.tiercache.AsyncCachedFunction1;
import io.tiercache.CacheInfo;
import io.tiercache.ManualTimeSource;
import io.tiercache.TierCache;
import io.tiercache.internal.engine.AsyncInternals;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, async flights and lifecycle: a joiner that cancels at once never leaves the leader
 * without a future (case 4); every caller of a failed flight sees the function's own throwable
 * (case 5); a function that retries through itself completes instead of waiting for itself
 * (case 14); closing refuses calls at once and frees the function's name (case 15).
 */
class AsyncFlightLifecycleTest {
  private final ManualTimeSource clock = new ManualTimeSource();
  private final TierCache cache = TierCache.builder().timeSource(clock).build();
  private final ExecutorService pool = Executors.newFixedThreadPool(4);

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

  /** What a caller's future failed with, as {@code handle} sees it (waits at most 10 s). */
  private static Throwable failureOf(CompletableFuture<?> future) throws Exception {
    return future.handle((value, failure) -> failure).get(10, TimeUnit.SECONDS);
  }

  /** A function whose computations complete when the test says, one gate per computation. */
  private static final class Gated {
    final AtomicInteger calls = new AtomicInteger();
    final List<CompletableFuture<String>> gates = new ArrayList<>();

    synchronized CompletableFuture<String> start() {
      calls.incrementAndGet();
      CompletableFuture<String> gate = new CompletableFuture<>();
      gates.add(gate);
      return gate;
    }

    synchronized CompletableFuture<String> gate(int i) {
      return gates.get(i);
    }
  }

  // ---- case 4 ----

  @Test
  void aJoinerCancellingAtOnceLeavesTheComputationToTheLeader() throws Exception {
    Gated fn = new Gated();
    AsyncCachedFunction1<Integer, String> f = cache.function("f", String.class).ofAsync((Integer x) -> fn.start());
    CompletableFuture<String> leader = f.apply(1);
    CompletableFuture<String> joiner = f.apply(1);
    assertThat(leader).isNotNull();
    assertThat(joiner.cancel(true)).isTrue();
    assertThat(fn.gate(0).isCancelled()).isFalse();
    assertThat(AsyncInternals.inFlight(f)).isEqualTo(1);
    fn.gate(0).complete("v");
    assertThat(done(leader)).isEqualTo("v");
    assertThat(fn.calls).hasValue(1);
    assertThat(f.cacheInfo()).isEqualTo(info(1, 1, 0, 1, 128, 1));
  }

  @Test
  void twoHundredThousandCallsWithCallersCancellingAtOnceNeverReturnNull() throws Exception {
    AtomicInteger started = new AtomicInteger();
    AsyncCachedFunction1<Integer, String> f = cache.function("f", String.class).l1MaxSize(0)
        .ofAsync((Integer k) -> {
          started.incrementAndGet();
          return new CompletableFuture<>(); // completes only by cancellation: every caller cancels
        });
    int threads = 4;
    int perThread = 50_000;
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> nulls = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      nulls.add(pool.submit(() -> {
        start.await();
        int none = 0;
        for (int i = 0; i < perThread; i++) {
          CompletableFuture<String> call = f.apply(i & 1);
          if (call == null) {
            none++;
          } else {
            call.cancel(true);
          }
        }
        return none;
      }));
    }
    start.countDown();
    int total = 0;
    for (Future<Integer> n : nulls) {
      total += n.get(60, TimeUnit.SECONDS);
    }
    System.out.printf("case 4 stress: %d calls, %d computations, %d null futures%n",
        threads * perThread, started.get(), total);
    assertThat(total).isZero();
    assertThat(AsyncInternals.inFlight(f)).isZero(); // every flight was abandoned and left
  }

  // ---- case 5 ----

  private void everyCallerSeesTheSameThrowable(String name, Throwable failure) throws Exception {
    Gated fn = new Gated();
    AsyncCachedFunction1<Integer, String> f = cache.function(name, String.class).ofAsync((Integer x) -> fn.start());
    CompletableFuture<String> leader = f.apply(1);
    CompletableFuture<String> joiner1 = f.apply(1);
    CompletableFuture<String> joiner2 = f.apply(1);
    fn.gate(0).completeExceptionally(failure);
    assertThat(failureOf(leader)).isSameAs(failure);
    assertThat(failureOf(joiner1)).isSameAs(failure);
    assertThat(failureOf(joiner2)).isSameAs(failure);
    Throwable joined = catchThrowable(leader::join);
    if (failure instanceof CompletionException) {
      assertThat(joined).isSameAs(failure);
      assertThat(catchThrowable(joiner1::join)).isSameAs(failure);
    } else {
      assertThat(joined).isInstanceOf(CompletionException.class).cause().isSameAs(failure);
    }
    assertThat(fn.calls).hasValue(1);
    assertThat(f.cacheInfo()).isEqualTo(info(2, 1, 0, 1, 128, 0));
    assertThat(AsyncInternals.inFlight(f)).isZero();
  }

  @Test
  void joinersAndLeaderFailWithThePlainExceptionItself() throws Exception {
    everyCallerSeesTheSameThrowable("plain", new IllegalStateException("boom"));
  }

  @Test
  void joinersAndLeaderFailWithTheCompletionExceptionItselfWhenItHasACause() throws Exception {
    everyCallerSeesTheSameThrowable("wrapped", new CompletionException(new IllegalStateException("inner")));
  }

  @Test
  void joinersAndLeaderFailWithTheCompletionExceptionItselfWhenItHasNoCause() throws Exception {
    everyCallerSeesTheSameThrowable("bare", new CompletionException("no cause", null));
  }

  @Test
  void aStageThatFailsOnAnotherThreadGivesEveryCallerTheSameThrowable() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    IllegalStateException boom = new IllegalStateException("async boom");
    AsyncCachedFunction1<Integer, String> f = cache.function("f", String.class)
        .ofAsync((Integer x) -> CompletableFuture.supplyAsync(() -> {
          try {
            if (!release.await(10, TimeUnit.SECONDS)) {
              throw new IllegalStateException("test latch never released");
            }
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
          throw boom;
        }, pool));
    CompletableFuture<String> leader = f.apply(1);
    CompletableFuture<String> joiner = f.apply(1);
    release.countDown();
    Throwable seen = failureOf(leader);
    assertThat(seen).isSameAs(failureOf(joiner));
    assertThat(seen).isInstanceOf(CompletionException.class).cause().isSameAs(boom); // as the stage itself
    assertThatThrownBy(() -> done(joiner)).cause().isSameAs(boom);
  }

  // ---- case 14 ----

  /** {@code k -> attempt(k).exceptionallyCompose(e -> self.apply(k))}, the first attempt failing later. */
  private AsyncCachedFunction1<Integer, String> retryingThroughItself(String name, AtomicInteger attempts,
      CompletableFuture<String> firstAttempt, boolean async) {
    @SuppressWarnings("unchecked")
    AsyncCachedFunction1<Integer, String>[] self = new AsyncCachedFunction1[1];
    self[0] = cache.function(name, String.class).ofAsync((Integer k) -> {
      CompletableFuture<String> attempt = attempts.incrementAndGet() == 1 ? firstAttempt
          : CompletableFuture.completedFuture("attempt " + attempts.get());
      return async ? attempt.exceptionallyComposeAsync(e -> self[0].apply(k), pool)
          : attempt.exceptionallyCompose(e -> self[0].apply(k));
    });
    return self[0];
  }

  @Test
  void aFunctionRetryingThroughItselfAfterItsFirstAttemptFailedOnAnotherThreadCompletes() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    CompletableFuture<String> firstAttempt = new CompletableFuture<>();
    AsyncCachedFunction1<Integer, String> f = retryingThroughItself("retry", attempts, firstAttempt, false);
    CompletableFuture<String> call = f.apply(1);
    CompletableFuture<String> joiner = f.apply(1); // an unrelated caller that joined meanwhile
    pool.submit(() -> firstAttempt.completeExceptionally(new IllegalStateException("first attempt failed")));

    assertThat(done(call)).isEqualTo("attempt 2");
    assertThat(done(joiner)).isEqualTo("attempt 2");
    assertThat(attempts).hasValue(2);
    // the call and the retry (its own computation) missed; the joiner hit; stored once
    assertThat(f.cacheInfo()).isEqualTo(info(1, 2, 0, 2, 128, 1));
    assertThat(AsyncInternals.inFlight(f)).isZero(); // the key is not poisoned
    assertThat(done(f.apply(1))).isEqualTo("attempt 2");
    assertThat(f.cacheInfo()).isEqualTo(info(2, 2, 0, 2, 128, 1));
    assertThat(f.invalidate(1)).isTrue();
    assertThat(done(f.apply(1))).isEqualTo("attempt 3"); // and computes again after an invalidation
  }

  @Test
  void aFunctionRetryingThroughItselfOnAnExecutorCompletes() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    CompletableFuture<String> firstAttempt = new CompletableFuture<>();
    AsyncCachedFunction1<Integer, String> f = retryingThroughItself("retryAsync", attempts, firstAttempt, true);
    CompletableFuture<String> call = f.apply(1);
    firstAttempt.completeExceptionally(new IllegalStateException("first attempt failed"));
    assertThat(done(call)).isEqualTo("attempt 2");
    assertThat(attempts).hasValue(2);
    assertThat(f.cacheInfo()).isEqualTo(info(0, 2, 0, 2, 128, 1));
    assertThat(AsyncInternals.inFlight(f)).isZero();
    assertThat(done(f.apply(1))).isEqualTo("attempt 2");
  }

  @Test
  void callersChainedOnAnotherCallStillJoinTheComputationInFlight() throws Exception {
    Gated fn = new Gated();
    Gated upstream = new Gated();
    AsyncCachedFunction1<Integer, String> f = cache.function("f", String.class).ofAsync((Integer x) -> fn.start());
    AsyncCachedFunction1<Integer, String> g = cache.function("g", String.class).ofAsync((Integer x) -> upstream.start());
    CompletableFuture<String> leader = f.apply(7);
    List<CompletableFuture<String>> chained = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      chained.add(g.apply(1).thenCompose(v -> f.apply(7))); // run inside the engine's completion of g
    }
    upstream.gate(0).complete("up");
    assertThat(fn.calls).hasValue(1); // they joined f(7), none computed on its own
    fn.gate(0).complete("seven");
    assertThat(done(leader)).isEqualTo("seven");
    for (CompletableFuture<String> c : chained) {
      assertThat(done(c)).isEqualTo("seven");
    }
    assertThat(f.cacheInfo()).isEqualTo(info(3, 1, 0, 1, 128, 1));
  }

  @Test
  void anUnrelatedCallerInAFailureHandlerComputesOnItsOwnWhileTheKeyIsInFlight() throws Exception {
    Gated fn = new Gated();
    AsyncCachedFunction1<Integer, String> f = cache.function("f", String.class).ofAsync((Integer x) -> fn.start());
    CompletableFuture<String> leader = f.apply(7);
    CompletableFuture<String> primary = new CompletableFuture<>();
    CompletableFuture<String> fallback = primary.exceptionallyCompose(e -> f.apply(7));
    primary.completeExceptionally(new IllegalStateException("primary down"));
    // taken for a retry through itself: a computation of its own, counted as a miss, not stored
    assertThat(fn.calls).hasValue(2);
    fn.gate(1).complete("own");
    assertThat(done(fallback)).isEqualTo("own");
    fn.gate(0).complete("leader's");
    assertThat(done(leader)).isEqualTo("leader's");
    assertThat(done(f.apply(7))).isEqualTo("leader's");
    assertThat(f.cacheInfo()).isEqualTo(info(1, 2, 0, 2, 128, 1));
  }

  // ---- case 15 ----

  @Test
  void afterCloseWithWaitReturnsAnL1HitIsRefusedAtOnce() throws Exception {
    Gated fn = new Gated();
    AsyncCachedFunction1<Integer, String> f = cache.function("f", String.class).ttl(Duration.ofMinutes(1))
        .ofAsync((Integer x) -> fn.start());
    CompletableFuture<String> stored = f.apply(1);
    fn.gate(0).complete("one");
    assertThat(done(stored)).isEqualTo("one");
    assertThat(done(f.apply(1))).isEqualTo("one"); // an L1 hit
    CompletableFuture<String> running = f.apply(2);

    CompletableFuture<Void> closed = f.close(true);
    assertThat(closed).isNotDone();
    assertThatThrownBy(() -> f.apply(1)).isInstanceOf(IllegalStateException.class)
        .hasMessage("async cached function 'f' is closed; build a new one");
    assertThat(f.cacheInfo()).isEqualTo(info(1, 2, 0, 2, 128, 0)); // the refused call counted nothing
    assertThat(clock.pendingTasks()).isZero(); // the expiry timer stopped with L1

    fn.gate(1).complete("two");
    assertThat(done(running)).isEqualTo("two"); // the flight finished for its caller
    done(closed);
    assertThat(f.cacheInfo()).isEqualTo(info(1, 2, 0, 2, 128, 0)); // and stored nothing
    assertThat(AsyncInternals.l1Held(f)).isZero();
  }

  @Test
  void aClosedAsyncFunctionsNameCanBeBuiltAgain() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    AsyncCachedFunction1<Integer, String> first = cache.function("f", String.class)
        .ofAsync((Integer x) -> CompletableFuture.completedFuture("first " + calls.incrementAndGet()));
    assertThat(done(first.apply(1))).isEqualTo("first 1");
    first.close();
    assertThatThrownBy(() -> first.apply(1)).isInstanceOf(IllegalStateException.class);

    AsyncCachedFunction1<Integer, String> second = cache.function("f", String.class)
        .ofAsync((Integer x) -> CompletableFuture.completedFuture("second " + calls.incrementAndGet()));
    assertThat(done(second.apply(1))).isEqualTo("second 2");
    assertThat(done(second.apply(1))).isEqualTo("second 2");
    assertThat(second.cacheInfo()).isEqualTo(info(1, 1, 0, 1, 128, 1));

    // while the second one is open, the name is taken
    assertThatThrownBy(() -> cache.function("f", String.class)
        .ofAsync((Integer x) -> CompletableFuture.completedFuture("third")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("a cached function named 'f' already exists in this TierCache;"
            + " names identify entries in L2 and must be unique");
  }

  @Test
  void aNameClosedWithWaitCanBeBuiltAgainWhileItsLastFlightFinishes() throws Exception {
    Gated fn = new Gated();
    AsyncCachedFunction1<Integer, String> first = cache.function("f", String.class).ofAsync((Integer x) -> fn.start());
    CompletableFuture<String> running = first.apply(1);
    CompletableFuture<Void> closed = first.close(true);

    AsyncCachedFunction1<Integer, String> second = cache.function("f", String.class).ofAsync((Integer x) -> fn.start());
    CompletableFuture<String> fresh = second.apply(1); // its own flight, not the closing one's
    assertThat(fn.calls).hasValue(2);
    fn.gate(0).complete("old");
    fn.gate(1).complete("new");
    assertThat(done(running)).isEqualTo("old");
    assertThat(done(fresh)).isEqualTo("new");
    done(closed);
    assertThat(done(second.apply(1))).isEqualTo("new");
    assertThat(second.cacheInfo()).isEqualTo(info(1, 1, 0, 1, 128, 1));
  }
}
