package io.tiercache.async;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.AsyncCachedFunction1;
import io.tiercache.CacheInfo;
import io.tiercache.TierCache;
import io.tiercache.backend.InMemoryBackend;
import io.tiercache.internal.engine.AsyncInternals;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Many threads, exact outcomes: computations per key, statistics, and nothing left behind. */
class AsyncStressTest {
  private final ExecutorService callers = Executors.newFixedThreadPool(8);
  private final ExecutorService workers = Executors.newFixedThreadPool(4);

  @AfterEach
  void stop() throws InterruptedException {
    callers.shutdownNow();
    workers.shutdownNow();
    assertThat(callers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    assertThat(workers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void eightThreadsOnSixteenKeysComputeEachKeyOnce() throws Exception {
    TierCache cache = TierCache.builder().backend("default", InMemoryBackend.create()).executor(workers).build();
    ConcurrentHashMap<Integer, AtomicInteger> computed = new ConcurrentHashMap<>();
    AsyncCachedFunction1<Integer, String> f = cache.function("f", String.class).ofAsync((Integer k) -> {
      computed.computeIfAbsent(k, x -> new AtomicInteger()).incrementAndGet();
      return CompletableFuture.supplyAsync(() -> "v" + k, workers);
    });
    CountDownLatch start = new CountDownLatch(1);
    List<Future<List<CompletableFuture<String>>>> all = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      all.add(callers.submit(() -> {
        start.await();
        List<CompletableFuture<String>> mine = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
          mine.add(f.apply(ThreadLocalRandom.current().nextInt(16)));
        }
        return mine;
      }));
    }
    start.countDown();
    for (Future<List<CompletableFuture<String>>> calls : all) {
      for (CompletableFuture<String> call : calls.get(10, TimeUnit.SECONDS)) {
        assertThat(call.get(10, TimeUnit.SECONDS)).startsWith("v");
      }
    }
    assertThat(computed).hasSize(16).allSatisfy((k, n) -> assertThat(n).hasValue(1));
    assertThat(f.cacheInfo()).isEqualTo(new CacheInfo(8000 - 16, 16, 0, 16, 128, 16));
    assertThat(AsyncInternals.inFlight(f)).isZero();
  }

  @Test
  void callersCancellingAtRandomLeaveNothingBehind() throws Exception {
    TierCache cache = TierCache.builder().build();
    AtomicInteger started = new AtomicInteger();
    AtomicInteger cancelled = new AtomicInteger();
    List<CompletableFuture<String>> computations = new ArrayList<>();
    AsyncCachedFunction1<Integer, String> f = cache.function("f", String.class).l1MaxSize(0)
        .ofAsync((Integer k) -> {
          started.incrementAndGet();
          CompletableFuture<String> c = new CompletableFuture<>();
          c.whenComplete((v, e) -> {
            if (e instanceof CancellationException) {
              cancelled.incrementAndGet();
            }
          });
          synchronized (computations) {
            computations.add(c);
          }
          return c;
        });
    CountDownLatch start = new CountDownLatch(1);
    List<Future<List<CompletableFuture<String>>>> all = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      all.add(callers.submit(() -> {
        start.await();
        List<CompletableFuture<String>> kept = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
          CompletableFuture<String> call = f.apply(ThreadLocalRandom.current().nextInt(4));
          if (ThreadLocalRandom.current().nextBoolean()) {
            call.cancel(true);
          } else {
            kept.add(call);
          }
        }
        return kept;
      }));
    }
    start.countDown();
    List<CompletableFuture<String>> kept = new ArrayList<>();
    for (Future<List<CompletableFuture<String>>> calls : all) {
      kept.addAll(calls.get(10, TimeUnit.SECONDS));
    }
    synchronized (computations) {
      for (CompletableFuture<String> c : computations) {
        c.complete("done"); // those still running finish; cancelled ones stay cancelled
      }
    }
    for (CompletableFuture<String> call : kept) {
      assertThat(call.handle((v, e) -> e == null ? v : e.getClass().getSimpleName()).get(10, TimeUnit.SECONDS))
          .isEqualTo("done"); // a caller that did not cancel always gets the value
    }
    // every computation abandoned by all of its callers was cancelled, and only those
    long abandoned;
    synchronized (computations) {
      abandoned = computations.stream().filter(CompletableFuture::isCancelled).count();
      assertThat(computations).hasSize(started.get());
    }
    assertThat(cancelled.get()).isEqualTo((int) abandoned);
    assertThat(AsyncInternals.inFlight(f)).isZero();
    CacheInfo info = f.cacheInfo();
    assertThat(info.l1Hits() + info.l1Misses()).isEqualTo(4000);
    assertThat(info.l1Misses()).isEqualTo(started.get());
    assertThat(kept.stream().allMatch(c -> !c.isCompletedExceptionally())).isTrue();
  }
}
