package io.tiercache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.backend.InMemoryBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Single-flight, shared exceptions, recursion and thread safety. Waits are bounded; nothing here
 * depends on how fast the machine is.
 */
class ConcurrencyTest {
  private static final int THREADS = 16;
  private final InMemoryBackend backend = InMemoryBackend.create();
  private final TierCache cache = TierCache.builder().backend("default", backend).build();
  private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

  @AfterEach
  void stopPool() throws InterruptedException {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  /** Waits (bounded) until every thread in {@code threads} is parked, i.e. has joined a flight. */
  private static void awaitParked(List<Thread> threads) throws InterruptedException {
    int pollsLeft = 10_000; // about 10 s of 1 ms sleeps
    for (Thread thread : threads) {
      while (thread.getState() != Thread.State.WAITING && thread.getState() != Thread.State.TIMED_WAITING) {
        if (--pollsLeft < 0) {
          throw new AssertionError(thread + " never joined the flight: " + thread.getState());
        }
        Thread.sleep(1);
      }
    }
  }

  private List<Future<Object>> startCallers(int count, java.util.concurrent.Callable<Object> call,
      List<Thread> threads) throws InterruptedException {
    CountDownLatch started = new CountDownLatch(count);
    List<Future<Object>> results = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      results.add(pool.submit(() -> {
        synchronized (threads) {
          threads.add(Thread.currentThread());
        }
        started.countDown();
        return call.call();
      }));
    }
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    return results;
  }

  @Test
  void concurrentCallersOfOneKeyShareOneComputationAndCountAsL1Hits() throws Exception {
    AtomicInteger computations = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch leaderInside = new CountDownLatch(1);
    CachedFunction1<Integer, Object> f = cache.function("slow", Object.class).of((Integer x) -> {
      computations.incrementAndGet();
      leaderInside.countDown();
      Latches.await(release);
      return List.of("value", x);
    });
    Future<Object> leader = pool.submit(() -> f.apply(7));
    assertThat(leaderInside.await(10, TimeUnit.SECONDS)).isTrue();
    List<Thread> joiners = new ArrayList<>();
    List<Future<Object>> results = startCallers(THREADS - 1, () -> f.apply(7), joiners);
    awaitParked(joiners);
    release.countDown();

    Object first = leader.get(10, TimeUnit.SECONDS);
    for (Future<Object> result : results) {
      assertThat(result.get(10, TimeUnit.SECONDS)).isSameAs(first);
    }
    assertThat(computations).hasValue(1);
    assertThat(f.cacheInfo()).isEqualTo(new CacheInfo(THREADS - 1, 1, 0, 1, 128, 1));
  }

  @Test
  void joinersReceiveTheLeadersExceptionAndNothingIsCached() throws Exception {
    AtomicInteger computations = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch leaderInside = new CountDownLatch(1);
    IllegalStateException boom = new IllegalStateException("backend of the user's function is down");
    CachedFunction1<Integer, String> f = cache.function("failing", String.class).of((Integer x) -> {
      if (computations.incrementAndGet() == 1) {
        leaderInside.countDown();
        Latches.await(release);
        throw boom;
      }
      return "second try";
    });
    Future<Object> leader = pool.submit(() -> f.apply(1));
    assertThat(leaderInside.await(10, TimeUnit.SECONDS)).isTrue();
    List<Thread> joiners = new ArrayList<>();
    List<Future<Object>> results = startCallers(4, () -> f.apply(1), joiners);
    awaitParked(joiners);
    release.countDown();

    assertThatThrownBy(() -> leader.get(10, TimeUnit.SECONDS)).hasCauseReference(boom);
    for (Future<Object> result : results) {
      assertThatThrownBy(() -> result.get(10, TimeUnit.SECONDS)).hasCauseReference(boom);
    }
    assertThat(backend.estimatedSize()).isZero();
    assertThat(f.cacheInfo()).isEqualTo(new CacheInfo(4, 1, 0, 1, 128, 0));
    assertThat(f.apply(1)).isEqualTo("second try");
    assertThat(computations).hasValue(2);
  }

  @Test
  void aCallThatReentersWithItsOwnArgumentsDoesNotDeadlock() throws Exception {
    ThreadLocal<Boolean> inside = ThreadLocal.withInitial(() -> false);
    AtomicReference<CachedFunction1<Integer, Integer>> self = new AtomicReference<>();
    self.set(cache.function("reentrant", Integer.class).of((Integer x) -> {
      if (inside.get()) {
        return x * 2;
      }
      inside.set(true);
      try {
        return self.get().apply(x) + 1; // the same key, while its own flight is open
      } finally {
        inside.set(false);
      }
    }));
    Future<Integer> result = pool.submit(() -> self.get().apply(5));
    assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo(11);
    assertThat(self.get().apply(5)).isEqualTo(11);
  }

  @Test
  void manyThreadsOverManyKeysComputeEachKeyExactlyOnce() throws Exception {
    ConcurrentHashMap<Integer, AtomicInteger> perKey = new ConcurrentHashMap<>();
    CachedFunction1<Integer, Integer> f = cache.function("square", Integer.class).l1Unbounded()
        .of((Integer x) -> {
          perKey.computeIfAbsent(x, k -> new AtomicInteger()).incrementAndGet();
          return x * x;
        });
    List<Future<?>> workers = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      workers.add(pool.submit(() -> {
        for (int i = 0; i < 20_000; i++) {
          int x = ThreadLocalRandom.current().nextInt(200);
          assertThat(f.apply(x)).isEqualTo(x * x);
        }
      }));
    }
    for (Future<?> worker : workers) {
      worker.get(60, TimeUnit.SECONDS);
    }
    assertThat(perKey).hasSize(200);
    assertThat(perKey.values()).allSatisfy(count -> assertThat(count).hasValue(1));
    CacheInfo info = f.cacheInfo();
    assertThat(info.l1Hits() + info.l1Misses()).isEqualTo(THREADS * 20_000L);
    assertThat(info.l1Misses()).isEqualTo(200);
    assertThat(info.l2Misses()).isEqualTo(200);
    assertThat(info.l1CurrSize()).isEqualTo(200);
  }

  @Test
  void underEvictionAndConcurrentClearsEveryCallGetsItsOwnValueAndL1StaysBounded() throws Exception {
    AtomicInteger computations = new AtomicInteger();
    CachedFunction1<Integer, Integer> f = cache.function("evicting", Integer.class).l1MaxSize(16)
        .l1Only().of((Integer x) -> {
          computations.incrementAndGet();
          Thread.yield();
          return -x;
        });
    AtomicBoolean stop = new AtomicBoolean();
    Future<?> clearer = pool.submit(() -> {
      while (!stop.get()) {
        f.cacheClear();
        Thread.yield();
      }
    });
    List<Future<?>> workers = new ArrayList<>();
    for (int t = 0; t < THREADS - 1; t++) {
      workers.add(pool.submit(() -> {
        for (int i = 0; i < 20_000; i++) {
          int x = ThreadLocalRandom.current().nextInt(64);
          assertThat(f.apply(x)).isEqualTo(-x);
        }
      }));
    }
    for (Future<?> worker : workers) {
      worker.get(60, TimeUnit.SECONDS);
    }
    stop.set(true);
    clearer.get(10, TimeUnit.SECONDS);
    // a clear detaches the computations in flight (a call that starts after it must not get their
    // values), so a key may be computed again while a detached computation finishes: no overlap check
    assertThat(computations.get()).isGreaterThanOrEqualTo(64);
    assertThat(f.cacheInfo().l1CurrSize()).isLessThanOrEqualTo(16);
  }

  @Test
  void aResultComputedBeforeAnInvalidationIsNeverStored() throws Exception {
    AtomicInteger computations = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch inside = new CountDownLatch(1);
    CachedFunction1<String, String> f = cache.function("price", String.class).of((String sku) -> {
      int n = computations.incrementAndGet();
      if (n == 1) {
        inside.countDown();
        Latches.await(release); // read the old price, then stall
      }
      return "price v" + n;
    });
    Future<String> inFlight = pool.submit(() -> f.apply("A-1"));
    assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(f.invalidate("A-1")).isFalse(); // nothing stored yet, but the flight is now stale
    release.countDown();
    assertThat(inFlight.get(10, TimeUnit.SECONDS)).isEqualTo("price v1"); // its caller still gets it

    assertThat(f.contains("A-1")).isFalse();
    assertThat(backend.estimatedSize()).isZero();
    assertThat(f.apply("A-1")).isEqualTo("price v2");
    assertThat(f.apply("A-1")).isEqualTo("price v2");
  }

  @Test
  void aCacheClearDuringAComputationKeepsItsResultOutOfL1() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch inside = new CountDownLatch(1);
    CachedFunction1<String, String> f = cache.function("cleared", String.class).l1Only()
        .of((String k) -> {
          inside.countDown();
          Latches.await(release);
          return k;
        });
    Future<String> inFlight = pool.submit(() -> f.apply("k"));
    assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
    f.cacheClear();
    release.countDown();
    assertThat(inFlight.get(10, TimeUnit.SECONDS)).isEqualTo("k");
    // the clear reset the counters after the miss was counted, and the result was not stored
    assertThat(f.cacheInfo()).isEqualTo(new CacheInfo(0, 0, 0, 0, 128, 0));
  }

  @Test
  void aThousandFailingCallsLeaveNothingBehind() {
    CachedFunction1<Integer, String> f = cache.function("alwaysFails", String.class).of((Integer x) -> {
      throw new IllegalArgumentException("no " + x);
    });
    for (int i = 0; i < 1000; i++) {
      int x = i;
      assertThatThrownBy(() -> f.apply(x)).hasMessage("no " + x);
    }
    assertThat(f.cacheInfo()).isEqualTo(new CacheInfo(0, 1000, 0, 1000, 128, 0));
    assertThat(backend.estimatedSize()).isZero();
    assertThat(f.toString()).contains("alwaysFails");
  }
}
