package io.tiercache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.CacheInfo;
import io.tiercache.CachedFunction1;
import io.tiercache.TierCache;
import io.tiercache.testkit.RedisServerLauncher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;

/**
 * Redis going away under load, hanging, and being down at startup: every call returns its
 * function's exact value, nothing is thrown, and L2 comes back by itself. The worst latency of a
 * call in each phase is printed (not asserted: timing belongs to benchmarks).
 */
class RedisOutageTest {
  private static final int THREADS = 4;
  private static final int KEYS = 64;

  private static String expected(int id) {
    return "value-" + (id * 31 + 7);
  }

  private static CachedFunction1<Integer, String> function(RedisBackend backend, String namespace,
      AtomicInteger computed) {
    return TierCache.builder().namespace(namespace).backend(TierCache.DEFAULT, backend).build()
        .function("f", String.class).l1MaxSize(0).of((Integer id) -> {
          computed.incrementAndGet();
          return expected(id);
        });
  }

  /** Nanoseconds the current thread spent inside the function (to subtract from call latency). */
  private static final ThreadLocal<long[]> COMPUTING = ThreadLocal.withInitial(() -> new long[1]);

  /** Like a small query: 0.3 ms of waiting, so four threads do not saturate two cores. */
  private static CachedFunction1<Integer, String> slowFunction(RedisBackend backend, String namespace) {
    return TierCache.builder().namespace(namespace).backend(TierCache.DEFAULT, backend).build()
        .function("f", String.class).l1MaxSize(0).of((Integer id) -> {
          long start = System.nanoTime();
          java.util.concurrent.locks.LockSupport.parkNanos(300_000);
          COMPUTING.get()[0] += System.nanoTime() - start;
          return expected(id);
        });
  }

  @Test
  void redisStoppedUnderLoadFromFourThreadsThenRestartedOnTheSamePort() throws Exception {
    try (RedisServerLauncher redis = new RedisServerLauncher().start();
        RedisBackend backend = RedisBackend.connect(redis.uri())) {
      assertThat(backend.awaitUp(Duration.ofSeconds(10))).isTrue();
      CachedFunction1<Integer, String> f = slowFunction(backend, "outage");

      // phase 0: up; 1: stopped; 2: restarted
      AtomicInteger phase = new AtomicInteger();
      AtomicLongArray calls = new AtomicLongArray(3);
      List<Latencies[]> perThread = new java.util.concurrent.CopyOnWriteArrayList<>();
      ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
      AtomicBoolean stop = new AtomicBoolean();
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        workers.add(pool.submit(() -> {
          Latencies[] latencies = {new Latencies(), new Latencies(), new Latencies()};
          perThread.add(latencies);
          while (!stop.get()) {
            int id = ThreadLocalRandom.current().nextInt(KEYS);
            int p = phase.get();
            long[] computing = COMPUTING.get();
            computing[0] = 0;
            long start = System.nanoTime();
            String value = f.apply(id);
            long took = System.nanoTime() - start - computing[0]; // what the cache added
            if (!expected(id).equals(value)) {
              wrong.add("call " + id + " returned " + value);
            }
            latencies[p].add(took);
            calls.incrementAndGet(p);
          }
          return null;
        }));
      }
      try {
        Eventually.waitFor("L2 hits before the outage", Duration.ofSeconds(10),
            () -> f.cacheInfo().l2Hits() > 1_000);
        long errorsBefore = f.l2ErrorCount();

        phase.set(1);
        redis.stop();
        Eventually.sleep(Duration.ofMillis(1_500));
        long hitsDuringOutage = f.cacheInfo().l2Hits();
        assertThat(f.l2ErrorCount()).as("failures met during the outage").isGreaterThan(errorsBefore);
        assertThat(backend.health().status()).isIn(RedisHealth.Status.DISCONNECTED,
            RedisHealth.Status.CIRCUIT_OPEN);

        redis.restart();
        phase.set(2);
        long hitsAtRestart = f.cacheInfo().l2Hits();
        Eventually.waitFor("L2 hits after the restart", Duration.ofSeconds(15),
            () -> f.cacheInfo().l2Hits() > hitsAtRestart + 1_000);
        Eventually.sleep(Duration.ofMillis(500));
        assertThat(backend.health().status()).isEqualTo(RedisHealth.Status.UP);

        stop.set(true);
        for (Future<?> worker : workers) {
          worker.get(30, TimeUnit.SECONDS); // rethrows anything a call threw
        }
        assertThat(wrong).as("wrong values").isEmpty();
        assertThat(calls.get(1)).as("calls during the outage").isGreaterThan(100);
        CacheInfo info = f.cacheInfo();
        // callers that joined a computation in flight for the same key count as L1 hits
        assertThat(info.l1Hits() + info.l1Misses()).isEqualTo(calls.get(0) + calls.get(1) + calls.get(2));
        assertThat(info.l2Hits() + info.l2Misses()).isEqualTo(info.l1Misses());
        Latencies[] all = {new Latencies(), new Latencies(), new Latencies()};
        for (Latencies[] latencies : perThread) {
          for (int p = 0; p < 3; p++) {
            all[p].addAll(latencies[p]);
          }
        }
        System.out.printf("outage under load (%d threads on %d cores, l2Timeout 100 ms, commandTimeout"
                + " 200 ms), latency added by the cache per call (call time minus time in the"
                + " function); L2 hits at stop %d, at restart %d, at end %d%n  redis up:         %s%n"
                + "  redis stopped:    %s%n  after restart:    %s%n",
            THREADS, Runtime.getRuntime().availableProcessors(), hitsDuringOutage, hitsAtRestart,
            info.l2Hits(), all[0].summary(), all[1].summary(), all[2].summary());
      } finally {
        stop.set(true);
        pool.shutdownNow();
        pool.awaitTermination(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void aTierCacheStartsWhileRedisIsDownAndUsesItOnceItIsUp() {
    try (RedisServerLauncher redis = new RedisServerLauncher().start()) {
      redis.stop(); // the port is known, nothing listens
      try (LogCapture log = new LogCapture();
          RedisBackend backend = RedisBackend.connect(redis.uri())) {
        AtomicInteger computed = new AtomicInteger();
        CachedFunction1<Integer, String> f = function(backend, "startup", computed);
        for (int id = 0; id < 5; id++) {
          assertThat(f.apply(id)).isEqualTo(expected(id));
        }
        assertThat(computed).hasValue(5);
        assertThat(f.cacheInfo()).isEqualTo(new CacheInfo(0, 5, 0, 5, 0, 0));
        assertThat(f.l2ErrorCount()).isGreaterThanOrEqualTo(5);
        Eventually.waitFor("health UNREACHABLE", Duration.ofSeconds(10),
            () -> backend.health().status() == RedisHealth.Status.UNREACHABLE);
        assertThat(backend.health().message()).contains("cannot connect to Redis at " + redis.address());

        redis.restart();

        assertThat(backend.awaitUp(Duration.ofSeconds(10))).isTrue();
        assertThat(log.linesContaining("WARN", RedisBackend.class.getName() + " - ", "cannot connect to Redis at " + redis.address()))
            .as("the outage at startup, logged once").isEqualTo(1);
        assertThat(log.linesContaining("INFO", RedisBackend.class.getName() + " - ", "connected to Redis " + redis.address() + " after"))
            .isEqualTo(1);
        assertThat(f.apply(1)).isEqualTo(expected(1)); // a miss: Redis came back empty
        Eventually.waitFor("the entry written", Duration.ofSeconds(10),
            () -> f.contains(1));
        computed.set(0);
        assertThat(f.apply(1)).isEqualTo(expected(1));
        assertThat(computed).hasValue(0);
        assertThat(f.cacheInfo()).isEqualTo(new CacheInfo(0, 7, 1, 6, 0, 0));
      }
    }
  }

  @Test
  void aHungRedisCostsAtMostTheTimeoutUntilTheBreakerOpensAndServiceResumesWhenItWakes()
      throws Exception {
    try (RedisServerLauncher redis = new RedisServerLauncher().start();
        RedisBackend backend = RedisBackend.connect(redis.uri())) {
      assertThat(backend.awaitUp(Duration.ofSeconds(10))).isTrue();
      AtomicInteger computed = new AtomicInteger();
      CachedFunction1<Integer, String> f = function(backend, "hang", computed);
      for (int id = 0; id < 10; id++) {
        f.apply(id);
      }
      Eventually.waitFor("entries written", Duration.ofSeconds(10), () -> f.contains(9));
      long pid = redis.processHandle().orElseThrow().pid();

      signal("STOP", pid); // the process stays, the socket stays open, nothing answers
      try {
        long worstUntilOpen = 0;
        int callsUntilOpen = 0;
        while (backend.health().status() != RedisHealth.Status.CIRCUIT_OPEN) {
          int id = callsUntilOpen % 10;
          long start = System.nanoTime();
          assertThat(f.apply(id)).isEqualTo(expected(id));
          worstUntilOpen = Math.max(worstUntilOpen, System.nanoTime() - start);
          if (++callsUntilOpen > 200) {
            throw new AssertionError("the breaker did not open: " + backend.health());
          }
        }
        long worstWhileOpen = 0;
        long errorsBefore = f.l2ErrorCount();
        for (int i = 0; i < 100; i++) {
          long start = System.nanoTime();
          assertThat(f.apply(i % 10)).isEqualTo(expected(i % 10));
          worstWhileOpen = Math.max(worstWhileOpen, System.nanoTime() - start);
        }
        assertThat(f.l2ErrorCount()).isGreaterThanOrEqualTo(errorsBefore + 100);
        System.out.printf("hung redis (SIGSTOP): %d calls until the breaker opened, worst %.2f ms;"
                + " worst of 100 calls while open %.2f ms%n",
            callsUntilOpen, worstUntilOpen / 1e6, worstWhileOpen / 1e6);
      } finally {
        signal("CONT", pid);
      }

      Eventually.waitFor("health UP after SIGCONT", Duration.ofSeconds(15),
          () -> {
            f.apply(0); // traffic sends the probe
            return backend.health().isUp();
          });
      long hits = f.cacheInfo().l2Hits();
      computed.set(0);
      for (int id = 0; id < 10; id++) {
        assertThat(f.apply(id)).isEqualTo(expected(id));
      }
      assertThat(f.cacheInfo().l2Hits()).isEqualTo(hits + 10);
      assertThat(computed).hasValue(0);
    }
  }

  /** Call latencies of one thread in one phase. */
  private static final class Latencies {
    private long[] nanos = new long[1024];
    private int size;

    void add(long took) {
      if (size == nanos.length) {
        nanos = java.util.Arrays.copyOf(nanos, size * 2);
      }
      nanos[size++] = took;
    }

    void addAll(Latencies other) {
      for (int i = 0; i < other.size; i++) {
        add(other.nanos[i]);
      }
    }

    String summary() {
      long[] sorted = java.util.Arrays.copyOf(nanos, size);
      java.util.Arrays.sort(sorted);
      return String.format("%7d calls, p50 %7.3f ms, p99 %7.3f ms, p99.9 %7.3f ms, max %7.3f ms",
          size, at(sorted, 0.5), at(sorted, 0.99), at(sorted, 0.999),
          size == 0 ? 0 : sorted[size - 1] / 1e6);
    }

    private static double at(long[] sorted, double quantile) {
      return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, sorted.length * quantile)] / 1e6;
    }
  }

  private static void signal(String signal, long pid) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(kill.exitValue()).as("kill -" + signal).isZero();
  }
}
