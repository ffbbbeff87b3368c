package io.tiercache.async;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.AsyncCachedFunction1;
import io.tiercache.ManualTimeSource;
import io.tiercache.TierCache;
import io.tiercache.backend.InMemoryBackend;
import io.tiercache.lease.LeaseStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The stampede lease for async functions: six {@link TierCache}s on one embedded L2 stand in for
 * processes. Waiting blocks no thread: the pauses between polls are tasks on the
 * {@link ManualTimeSource}, which the test runs by advancing it. Every computation is a future the
 * test completes, so counts and statistics are exact.
 */
class AsyncLeaseTest {
  private static final int PROCESSES = 6;
  private static final Duration WAIT = Duration.ofSeconds(2);
  private final ManualTimeSource clock = new ManualTimeSource();
  private final InMemoryBackend l2 = InMemoryBackend.builder().timeSource(clock).build();
  private final ExecutorService pool = Executors.newFixedThreadPool(2);
  private final List<CompletableFuture<String>> computations = new ArrayList<>();
  private final List<AsyncCachedFunction1<String, String>> functions = new ArrayList<>();

  @AfterEach
  void stopPool() throws InterruptedException {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  private void processes(int count) {
    for (int i = 0; i < count; i++) {
      TierCache cache = TierCache.builder().namespace("shop").backend("default", l2).timeSource(clock)
          .executor(pool).build();
      functions.add(cache.function("report", String.class).lease(WAIT).ofAsync((String k) -> {
        CompletableFuture<String> computation = new CompletableFuture<>();
        synchronized (computations) {
          computations.add(computation);
        }
        return computation;
      }));
    }
  }

  private List<CompletableFuture<String>> stampede(String key) {
    List<CompletableFuture<String>> calls = new ArrayList<>();
    for (AsyncCachedFunction1<String, String> f : functions) {
      calls.add(f.apply(key)); // returns at once: nobody blocks, waiting included
    }
    return calls;
  }

  private long sum(Function<LeaseStats, Long> field) {
    return functions.stream().mapToLong(f -> field.apply(f.leaseStats())).sum();
  }

  /** Advances the clock in steps of {@code step}, {@code times} times (polls run on each). */
  private void advance(Duration step, int times) {
    for (int i = 0; i < times; i++) {
      clock.advance(step);
    }
  }

  /**
   * Waits (up to 10 s) until {@code n} computations have started: a waiter goes on on the
   * executor once its wait ends.
   */
  private void awaitComputations(int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (computationCount() < n && System.nanoTime() - deadline < 0) {
      Thread.sleep(1);
    }
    assertThat(computationCount()).isEqualTo(n);
  }

  private int computationCount() {
    synchronized (computations) {
      return computations.size();
    }
  }

  private static List<String> results(List<CompletableFuture<String>> calls) throws Exception {
    List<String> results = new ArrayList<>();
    for (CompletableFuture<String> call : calls) {
      results.add(call.get(10, TimeUnit.SECONDS));
    }
    return results;
  }

  @Test
  void oneProcessComputesAndTheOthersGetItsResultWithoutBlocking() throws Exception {
    processes(PROCESSES);
    List<CompletableFuture<String>> calls = stampede("q3");
    assertThat(computations).hasSize(1);
    assertThat(sum(LeaseStats::leads)).isEqualTo(1);
    assertThat(sum(LeaseStats::waits)).isEqualTo(PROCESSES - 1);
    assertThat(calls).allMatch(call -> !call.isDone());

    computations.get(0).complete("report q3");
    advance(WAIT.dividedBy(64), 1); // the first poll of every waiter

    assertThat(results(calls)).containsOnly("report q3").hasSize(PROCESSES);
    assertThat(computations).hasSize(1);
    assertThat(sum(LeaseStats::waitHits)).isEqualTo(PROCESSES - 1);
    assertThat(sum(LeaseStats::timeouts)).isZero();
    assertThat(functions.stream().mapToLong(f -> f.cacheInfo().l2Hits()).sum()).isEqualTo(PROCESSES - 1);
    assertThat(functions.stream().mapToLong(f -> f.cacheInfo().l2Misses()).sum()).isEqualTo(1);
    assertThat(clock.pendingTasks()).isZero(); // no poll left behind
  }

  @Test
  void waitersComputeThemselvesOnceTheWaitIsOver() throws Exception {
    processes(3);
    List<CompletableFuture<String>> calls = stampede("slow");
    advance(WAIT.dividedBy(20), 19);
    assertThat(computations).hasSize(1); // still waiting for the holder

    advance(WAIT.dividedBy(20), 2);

    awaitComputations(3);
    assertThat(sum(LeaseStats::timeouts)).isEqualTo(2);
    for (int i = 0; i < 3; i++) {
      computations.get(i).complete("v" + i);
    }
    List<String> results = results(calls);
    assertThat(results.get(0)).isEqualTo("v0"); // the holder's own
    assertThat(results.subList(1, 3)).containsExactlyInAnyOrder("v1", "v2"); // each waiter's own
  }

  @Test
  void whenTheHolderFailsAWaiterTakesOverAndTheOthersGetItsResult() throws Exception {
    processes(3);
    List<CompletableFuture<String>> calls = stampede("flaky");
    computations.get(0).completeExceptionally(new IllegalStateException("database down"));
    assertThat(calls.get(0)).failsWithin(Duration.ofSeconds(10));

    advance(WAIT.dividedBy(64), 1); // both waiters poll: no value, the lease is free

    awaitComputations(2);
    assertThat(sum(LeaseStats::takeovers)).isEqualTo(1);
    computations.get(1).complete("recovered");
    advance(WAIT.dividedBy(32), 1); // the other waiter's next poll finds it
    assertThat(calls.get(1).get(10, TimeUnit.SECONDS)).isEqualTo("recovered");
    assertThat(calls.get(2).get(10, TimeUnit.SECONDS)).isEqualTo("recovered");
    assertThat(computations).hasSize(2);
    assertThat(sum(LeaseStats::waitHits)).isEqualTo(1);
  }
}
