package io.tiercache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.backend.InMemoryBackend;
import io.tiercache.lease.LeaseStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The stampede lease through the engine, with several {@link TierCache}s on one embedded L2
 * standing in for processes. Exact computation counts and statistics; the waits that must time
 * out run on a {@link ManualTimeSource}, whose {@code sleep} advances it.
 */
class LeaseTest {
  private static final int PROCESSES = 6;
  private final ExecutorService pool = Executors.newCachedThreadPool();
  private final AtomicInteger computations = new AtomicInteger();

  @AfterEach
  void stopThreads() throws InterruptedException {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  private static TierCache process(InMemoryBackend l2, TimeSource time) {
    return TierCache.builder().namespace("shop").backend("default", l2).timeSource(time).build();
  }

  private static TierCache process(RecordingLeasingBackend l2) {
    return TierCache.builder().namespace("shop").backend("default", l2).build();
  }

  /** Waits up to 10 s for {@code condition}; fails loudly if it never holds. */
  static void awaitTrue(BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("condition never held");
      }
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  private static long sum(List<CachedFunction1<String, String>> fs, Function<LeaseStats, Long> field) {
    return fs.stream().mapToLong(f -> field.apply(f.leaseStats())).sum();
  }

  /**
   * Calls {@code key} in every process at once; the computation, wherever it runs, waits until
   * {@code whileComputing} holds before returning.
   */
  private List<String> stampede(List<CachedFunction1<String, String>> functions, String key)
      throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    List<Future<String>> calls = new ArrayList<>();
    for (CachedFunction1<String, String> f : functions) {
      calls.add(pool.submit(() -> {
        Latches.await(start);
        return f.apply(key);
      }));
    }
    start.countDown();
    List<String> results = new ArrayList<>();
    for (Future<String> call : calls) {
      results.add(call.get(20, TimeUnit.SECONDS));
    }
    return results;
  }

  @Test
  void withALeaseOneProcessComputesAndTheOthersGetItsResult() throws Exception {
    InMemoryBackend l2 = InMemoryBackend.create();
    List<CachedFunction1<String, String>> functions = new ArrayList<>();
    for (int i = 0; i < PROCESSES; i++) {
      functions.add(process(l2, TimeSource.system()).function("report", String.class)
          .lease(Duration.ofSeconds(30))
          .of((String k) -> {
            computations.incrementAndGet();
            // return only once every other process has found the lease taken and is waiting
            awaitTrue(() -> sum(functions, LeaseStats::waits) == PROCESSES - 1);
            return "report " + k;
          }));
    }

    assertThat(stampede(functions, "q3")).containsOnly("report q3").hasSize(PROCESSES);

    assertThat(computations).hasValue(1);
    assertThat(sum(functions, LeaseStats::leads)).isEqualTo(1);
    assertThat(sum(functions, LeaseStats::waits)).isEqualTo(PROCESSES - 1);
    assertThat(sum(functions, LeaseStats::waitHits)).isEqualTo(PROCESSES - 1);
    assertThat(sum(functions, LeaseStats::timeouts)).isZero();
    long l2Hits = functions.stream().mapToLong(f -> f.cacheInfo().l2Hits()).sum();
    long l2Misses = functions.stream().mapToLong(f -> f.cacheInfo().l2Misses()).sum();
    assertThat(l2Hits).isEqualTo(PROCESSES - 1);
    assertThat(l2Misses).isEqualTo(1);
  }

  @Test
  void withTagsTheWaitersGetTheResultAndATagInvalidationIsHonoured() throws Exception {
    InMemoryBackend l2 = InMemoryBackend.create();
    List<TierCache> caches = new ArrayList<>();
    List<CachedFunction1<String, String>> functions = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      TierCache cache = process(l2, TimeSource.system());
      caches.add(cache);
      functions.add(cache.function("report", String.class).tags("catalog")
          .lease(Duration.ofSeconds(30))
          .of((String k) -> {
            int n = computations.incrementAndGet();
            awaitTrue(() -> sum(functions, LeaseStats::waits) + sum(functions, LeaseStats::leads) == 3);
            return "report " + k + " #" + n;
          }));
    }

    assertThat(stampede(functions, "q3")).containsOnly("report q3 #1").hasSize(3);
    assertThat(computations).hasValue(1);
    assertThat(sum(functions, LeaseStats::waitHits)).isEqualTo(2);

    caches.get(0).invalidateTags("catalog");
    functions.forEach(CachedFunction1::cacheClear); // the other processes' L1 copies
    assertThat(stampede(functions, "q3")).containsOnly("report q3 #2").hasSize(3);
    assertThat(computations).hasValue(2);
    assertThat(sum(functions, LeaseStats::waitHits)).isEqualTo(2);
  }

  @Test
  void withoutALeaseEveryProcessComputes() throws Exception {
    InMemoryBackend l2 = InMemoryBackend.create();
    CountDownLatch allComputing = new CountDownLatch(PROCESSES);
    List<CachedFunction1<String, String>> functions = new ArrayList<>();
    for (int i = 0; i < PROCESSES; i++) {
      functions.add(process(l2, TimeSource.system()).function("report", String.class).of((String k) -> {
        computations.incrementAndGet();
        allComputing.countDown();
        Latches.await(allComputing); // all of them compute at the same time
        return "report " + k;
      }));
    }

    assertThat(stampede(functions, "q3")).containsOnly("report q3").hasSize(PROCESSES);
    assertThat(computations).hasValue(PROCESSES);
    assertThat(sum(functions, LeaseStats::waits)).isZero();
  }

  @Test
  void aHolderThatOutlivesTheWaitLetsTheOthersComputeAfterTheTimeout() throws Exception {
    ManualTimeSource time = new ManualTimeSource();
    InMemoryBackend l2 = InMemoryBackend.builder().timeSource(time).build();
    CountDownLatch holderComputing = new CountDownLatch(1);
    CountDownLatch holderMayFinish = new CountDownLatch(1);
    CachedFunction1<String, String> holder = process(l2, time).function("report", String.class)
        .lease(Duration.ofSeconds(1), Duration.ofHours(1))
        .of((String k) -> {
          computations.incrementAndGet();
          holderComputing.countDown();
          Latches.await(holderMayFinish);
          return "slow " + k;
        });
    CachedFunction1<String, String> waiter = process(l2, time).function("report", String.class)
        .lease(Duration.ofSeconds(1), Duration.ofHours(1))
        .of((String k) -> {
          computations.incrementAndGet();
          return "own " + k;
        });

    Future<String> slow = pool.submit(() -> holder.apply("q3"));
    Latches.await(holderComputing);
    long before = time.nanoTime();
    assertThat(waiter.apply("q3")).isEqualTo("own q3"); // waited 1 s on the manual clock, then computed
    assertThat(time.nanoTime() - before).isGreaterThanOrEqualTo(Duration.ofSeconds(1).toNanos());
    holderMayFinish.countDown();
    assertThat(slow.get(10, TimeUnit.SECONDS)).isEqualTo("slow q3");

    assertThat(computations).hasValue(2);
    assertThat(holder.leaseStats()).isEqualTo(new LeaseStats(1, 0, 0, 0, 0, 0));
    assertThat(waiter.leaseStats()).isEqualTo(new LeaseStats(0, 1, 0, 0, 1, 0));
    assertThat(waiter.cacheInfo()).isEqualTo(new CacheInfo(0, 1, 0, 1, 128, 1));
  }

  @Test
  void whenTheHolderFailsAWaiterTakesTheLeaseOverAndComputes() throws Exception {
    InMemoryBackend l2 = InMemoryBackend.create();
    CountDownLatch holderComputing = new CountDownLatch(1);
    CachedFunction1<String, String>[] waiter = newArray();
    CachedFunction1<String, String> holder = process(l2, TimeSource.system()).function("report", String.class)
        .lease(Duration.ofSeconds(30))
        .of((String k) -> {
          computations.incrementAndGet();
          holderComputing.countDown();
          awaitTrue(() -> waiter[0].leaseStats().waits() == 1);
          throw new IllegalStateException("database down");
        });
    waiter[0] = process(l2, TimeSource.system()).function("report", String.class)
        .lease(Duration.ofSeconds(30))
        .of((String k) -> {
          computations.incrementAndGet();
          return "own " + k;
        });

    Future<String> failing = pool.submit(() -> holder.apply("q3"));
    Latches.await(holderComputing);
    assertThat(waiter[0].apply("q3")).isEqualTo("own q3");
    assertThatThrownBy(() -> failing.get(10, TimeUnit.SECONDS)).hasRootCauseMessage("database down");

    assertThat(computations).hasValue(2);
    assertThat(waiter[0].leaseStats()).isEqualTo(new LeaseStats(0, 1, 0, 1, 0, 0));
    assertThat(holder.apply("q3")).isEqualTo("own q3"); // the waiter's result is in L2
    assertThat(computations).hasValue(2);
  }

  @SuppressWarnings("unchecked")
  private static CachedFunction1<String, String>[] newArray() {
    return new CachedFunction1[1];
  }

  @Test
  void aMissWithALeaseIsReadLeaseComputeWriteThenRelease() {
    RecordingLeasingBackend l2 = new RecordingLeasingBackend(InMemoryBackend.create());
    CachedFunction1<String, String> f = process(l2).function("report", String.class)
        .lease(Duration.ofMillis(200)).of((String k) -> "report " + k);

    assertThat(f.apply("q3")).isEqualTo("report q3");
    assertThat(l2.operations).containsExactly("get shop:report:sq3", "tryLease shop:#l:report:sq3",
        "set shop:report:sq3", "releaseLease shop:#l:report:sq3");
    assertThat(f.leaseStats()).isEqualTo(new LeaseStats(1, 0, 0, 0, 0, 0));

    l2.operations.clear();
    f.cacheClear();
    assertThat(f.apply("q3")).isEqualTo("report q3"); // an L2 hit asks for no lease
    assertThat(l2.operations).containsExactly("get shop:report:sq3");
    assertThat(f.leaseStats()).isEqualTo(LeaseStats.NONE);
  }

  @Test
  void aLeaseThatL2CannotGiveMeansComputingAtOnce() {
    RecordingLeasingBackend l2 = new RecordingLeasingBackend(InMemoryBackend.create());
    l2.leasesFail = true;
    CachedFunction1<String, String> f = process(l2).function("report", String.class)
        .lease(Duration.ofSeconds(30)).of((String k) -> {
          computations.incrementAndGet();
          return "report " + k;
        });

    assertThat(f.apply("q3")).isEqualTo("report q3");
    assertThat(computations).hasValue(1);
    assertThat(f.leaseStats()).isEqualTo(new LeaseStats(0, 0, 0, 0, 0, 1));
    assertThat(f.l2ErrorCount()).isEqualTo(1);
    assertThat(f.cacheInfo()).isEqualTo(new CacheInfo(0, 1, 0, 1, 128, 1));
  }

  @Test
  void aFunctionThatCallsItselfWithItsOwnArgumentsDoesNotWaitForItsOwnLease() {
    RecordingLeasingBackend l2 = new RecordingLeasingBackend(InMemoryBackend.create());
    CachedFunction1<Integer, Integer>[] self = newIntArray();
    self[0] = process(l2).function("depth", Integer.class).lease(Duration.ofSeconds(30)).of((Integer n) -> {
      computations.incrementAndGet();
      return computations.get() < 3 ? self[0].apply(n) + 1 : 0;
    });

    assertThat(self[0].apply(7)).isEqualTo(2);
    assertThat(computations).hasValue(3);
    assertThat(self[0].leaseStats()).isEqualTo(new LeaseStats(1, 0, 0, 0, 0, 0));
  }

  @SuppressWarnings("unchecked")
  private static CachedFunction1<Integer, Integer>[] newIntArray() {
    return new CachedFunction1[1];
  }

  @Test
  void leaseOptionsAreCheckedWhenSetAndTheBackendWhenBuilt() {
    TierCache cache = TierCache.builder().backend("default", InMemoryBackend.create())
        .backend("plain", new CountingBackend(InMemoryBackend.create())).build();

    assertThatThrownBy(() -> cache.function("f", String.class).lease(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cached function 'f': lease wait must be at least 1 ms, got PT0S");
    assertThatThrownBy(() -> cache.function("f", String.class).lease(Duration.ofSeconds(1), Duration.ofMillis(500)))
        .hasMessage("cached function 'f': lease ttl (PT0.5S) must not be shorter than the lease wait (PT1S):"
            + " the lease must outlast the time others wait for its holder");
    assertThatThrownBy(() -> cache.function("f", String.class).lease(Duration.ofSeconds(1), Duration.ofMillis(-1)))
        .hasMessage("cached function 'f': lease ttl must be at least 1 ms, got PT-0.001S");
    assertThatThrownBy(() -> cache.function("f", String.class).lease(null))
        .hasMessage("cached function 'f': lease wait");

    assertThatThrownBy(() -> cache.function("f", String.class).backend("plain").lease(Duration.ofMillis(200))
        .of((String k) -> k))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cached function 'f': lease needs a backend that offers leases, but backend 'plain'"
            + " (CountingBackend) does not implement io.tiercache.backend.LeasingBackend; remove lease(...)"
            + " or use a backend that offers leases (in-memory, Redis, memcached)");
    assertThatThrownBy(() -> cache.function("f", String.class).l1Only().lease(Duration.ofMillis(200))
        .of((String k) -> k))
        .hasMessage("cached function 'f': lease needs an L2 backend, but the function has none (l1Only())");
    TierCache noBackend = TierCache.builder().build();
    assertThatThrownBy(() -> noBackend.function("f", String.class).lease(Duration.ofMillis(200)).of((String k) -> k))
        .hasMessage("cached function 'f': lease needs an L2 backend, but the function has none (no backend"
            + " named 'l2cache' or 'default' is configured)");

    // a refused build leaves the name free; the default lease TTL is three times the wait
    CachedFunction1<String, String> f = cache.function("f", String.class).lease(Duration.ofMillis(200))
        .of((String k) -> k);
    assertThat(f.apply("x")).isEqualTo("x");
  }
}
