package io.tiercache.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.CacheInfo;
import io.tiercache.CachedFunction1;
import io.tiercache.TierCache;
import io.tiercache.backend.Backend;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * {@link BackendConformanceSuite} for a backend that talks to a server, plus what happens when that
 * server is stopped and started again: every test of the base suite, and three more. The test class
 * supplies the backend ({@link #createBackend()}) and a {@link ServerControl} for its server(s).
 *
 * <pre>{@code
 * class MyBackendConformanceTest extends ServerBackendConformanceSuite {
 *   static MemcachedLauncher server;
 *   @BeforeAll static void up() { server = new MemcachedLauncher().start(); }
 *   @AfterAll static void down() { server.close(); }
 *   @Override protected Backend createBackend() { return MyBackend.connect(server.address()); }
 *   @Override protected ServerControl serverControl() { return ServerControl.of(server); }
 * }
 * }</pre>
 *
 * <p>While the server is stopped, every operation must complete within
 * {@link #operationTimeout()}, either exceptionally or with a miss ({@code null}, an empty map,
 * {@code false}), and must not throw: the engine turns both into misses, but it cannot bound a
 * stage that never completes (it waits its own timeout on each call, for as long as the outage
 * lasts). After the server is started again the same backend instance must recover by itself,
 * within {@link #recoveryTimeout()}: a backend that has to be rebuilt after an outage leaves an
 * application without L2 until it restarts.
 *
 * <p>Each of these tests starts the server again before it ends, whatever happens, so the
 * following tests and {@link #cleanUp(Backend)} find it running.
 */
public abstract class ServerBackendConformanceSuite extends BackendConformanceSuite {
  private static final int OUTAGE_ROUNDS = 3;
  /** Enough keys that a pool of servers has some on every one of them. */
  private static final int PROBE_KEYS = 100;
  private static final int FUNCTION_KEYS = 20;
  private static final Duration RETRY_PAUSE = Duration.ofMillis(50);

  /** For subclasses: one per backend implementation (and server layout) under test. */
  protected ServerBackendConformanceSuite() {}

  /**
   * Stops and starts every server the backends from {@link #createBackend()} talk to; called in
   * the tests of server outages.
   *
   * @return the control over the servers under test
   */
  protected abstract ServerControl serverControl();

  /**
   * How long the backend may take to work again after {@link ServerControl#start()} returned
   * (reconnecting, a circuit breaker's pause, a cluster's topology refresh); default 30 s.
   * The suite retries every 50 ms meanwhile and fails if it has not recovered by then.
   *
   * @return the longest wait for the backend to recover
   */
  protected Duration recoveryTimeout() {
    return Duration.ofSeconds(30);
  }

  // ---------------------------------------------------------------- server stopped

  @Test
  void whileTheServerIsStoppedEveryOperationFailsOrMissesWithinTheTimeoutAndNeverThrows() {
    set("outage:present", bytes("stored before the outage"), Backend.NO_EXPIRY);
    duringOutage(() -> {
      // Several rounds: the first may meet a connection not yet known to be dead, later ones a
      // reconnection in progress or an open circuit breaker.
      for (int round = 1; round <= OUTAGE_ROUNDS; round++) {
        String when = "round " + round + " while stopped: ";
        Outcome<byte[]> get = attempt(() -> backend().get("outage:present"), when + "get");
        assertThat(get.failed() || get.value() == null)
            .as("%sget of a key stored before completes exceptionally or with null, not %s", when,
                get)
            .isTrue();
        Outcome<Map<String, byte[]>> getMany = attempt(
            () -> backend().getMany(List.of("outage:present", "outage:absent")), when + "getMany");
        assertThat(getMany.failed() || getMany.value().isEmpty())
            .as("%sgetMany completes exceptionally or with an empty map, not %s", when, getMany)
            .isTrue();
        attempt(() -> backend().set("outage:new", bytes("v"), Backend.NO_EXPIRY), when + "set");
        attempt(() -> backend().setMany(Map.of("outage:batch", bytes("w")), Duration.ofMinutes(1)),
            when + "setMany");
        Outcome<Boolean> delete = attempt(() -> backend().delete("outage:present"),
            when + "delete");
        assertThat(delete.failed() || Boolean.FALSE.equals(delete.value()))
            .as("%sdelete completes exceptionally or with false, not %s", when, delete)
            .isTrue();
        attempt(() -> backend().clear(), when + "clear");
      }
    });
  }

  @Test
  void afterTheServerIsStartedAgainTheSameBackendRecoversByItself() {
    set("outage:present", bytes("stored before the outage"), Backend.NO_EXPIRY);
    duringOutage(() -> {
      attempt(() -> backend().get("outage:present"), "get while stopped");
      attempt(() -> backend().set("outage:new", bytes("v"), Backend.NO_EXPIRY),
          "set while stopped");
    });

    // Recovered: every operation now works at the first attempt.
    byte[] before = get("outage:present");
    assertThat(before == null || new String(before, StandardCharsets.UTF_8)
        .equals("stored before the outage"))
        .as("a value stored before the outage reads as itself or as a miss (a restarted server may "
            + "have lost it), never as anything else")
        .isTrue();
    set("after", bytes("after the outage"), Backend.NO_EXPIRY);
    assertThat(get("after")).isEqualTo(bytes("after the outage"));
    await(backend().setMany(Map.of("after:1", bytes("one"), "after:2", bytes("two")),
        Duration.ofMinutes(1)));
    Map<String, byte[]> found = getMany(List.of("after", "after:1", "after:2", "after:none"));
    assertThat(found).containsOnlyKeys("after", "after:1", "after:2");
    assertThat(found.get("after:2")).isEqualTo(bytes("two"));
    assertThat(delete("after:1")).isTrue();
    assertThat(delete("after:1")).isFalse();
    await(backend().clear());
    assertThat(get("after")).isNull();
  }

  /**
   * The promise end to end: a cached function on the backend (L1 off, so every call reads
   * L2) keeps returning the right values while the server is stopped, computing each exactly once
   * per call and never throwing; once the server is back, its values are stored and served from L2
   * again, by the same backend instance.
   */
  @Test
  void throughATierCacheAStoppedServerCostsComputationsOnlyAndHitsResumeWhenItIsBack() {
    RecordingBackend recorder = new RecordingBackend(backend());
    TierCache cache = tierCacheOn(recorder);
    AtomicInteger computations = new AtomicInteger();
    Map<Integer, AtomicInteger> perKey = new LinkedHashMap<>();
    for (int k = 0; k < FUNCTION_KEYS; k++) {
      perKey.put(k, new AtomicInteger());
    }
    CachedFunction1<Integer, String> square = cache.function("square", String.class).l1MaxSize(0)
        .of((Integer k) -> {
          computations.incrementAndGet();
          perKey.get(k).incrementAndGet();
          return k + " squared is " + k * k;
        });
    int n = FUNCTION_KEYS;

    callEach(square);
    awaitWritesLanded(recorder);
    callEach(square);
    assertThat(computations).as("computed once, then served from L2").hasValue(n);
    assertThat(square.cacheInfo()).isEqualTo(new CacheInfo(0, 2L * n, n, n, 0, 0));

    duringOutage(() -> {
      callEach(square);
      assertThat(computations).as("each call computed while the server is stopped")
          .hasValue(2 * n);
      assertThat(perKey.values()).allSatisfy(count -> assertThat(count).hasValue(2));
      assertThat(square.cacheInfo()).isEqualTo(new CacheInfo(0, 3L * n, n, 2L * n, 0, 0));
      recorder.awaitWrites(operationTimeout()); // they fail or are dropped; none may hang
    });

    // Whatever the server kept (nothing, for a restarted cache server) is dropped, so the counts
    // are exact: one computation per key, then L2 hits only.
    await(backend().clear());
    callEach(square);
    assertThat(computations).hasValue(3 * n);
    awaitWritesLanded(recorder);
    callEach(square);
    assertThat(computations).as("L2 hits again after the restart").hasValue(3 * n);
    assertThat(perKey.values()).allSatisfy(count -> assertThat(count).hasValue(3));
    assertThat(square.cacheInfo()).isEqualTo(new CacheInfo(0, 5L * n, 2L * n, 3L * n, 0, 0));
  }

  // ---------------------------------------------------------------- helpers

  /** What an operation did while the server was stopped: its value, or that it failed. */
  private record Outcome<T>(T value, Throwable failure) {
    boolean failed() {
      return failure != null;
    }
  }

  /**
   * Runs {@code operation} and waits for its stage for at most {@link #operationTimeout()}; fails
   * the test if it throws, returns no stage, or the stage does not complete in time.
   */
  private <T> Outcome<T> attempt(Supplier<CompletionStage<T>> operation, String what) {
    CompletionStage<T> stage;
    try {
      stage = operation.get();
    } catch (RuntimeException e) {
      throw new AssertionError(backend().describe() + ": " + what + " threw " + e
          + " instead of failing its stage", e);
    }
    if (stage == null) {
      throw new AssertionError(backend().describe() + ": " + what + " returned a null stage");
    }
    Duration timeout = operationTimeout();
    try {
      return new Outcome<>(stage.toCompletableFuture().get(timeout.toMillis(),
          TimeUnit.MILLISECONDS), null);
    } catch (ExecutionException e) {
      return new Outcome<>(null, e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError(backend().describe() + ": " + what + " did not complete within "
          + timeout + " while the server was stopped", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted during " + what, e);
    }
  }

  /**
   * Stops the server(s), runs {@code checks}, then starts them again and waits until the backend
   * has recovered, whether the checks passed or not (a failure of both keeps the checks' failure,
   * with the recovery's attached).
   */
  private void duringOutage(Runnable checks) {
    ServerControl control = serverControl();
    control.stop();
    try {
      checks.run();
    } catch (RuntimeException | Error failure) {
      try {
        startAndAwaitRecovery(control);
      } catch (RuntimeException | Error again) {
        failure.addSuppressed(again);
      }
      throw failure;
    }
    startAndAwaitRecovery(control);
  }

  /**
   * Starts the server(s) and waits until the backend under test stores and reads keys on all of
   * them again: a batch of {@value #PROBE_KEYS} keys written and read back whole, retried every
   * 50 ms for at most {@link #recoveryTimeout()}.
   */
  private void startAndAwaitRecovery(ServerControl control) {
    control.start();
    Map<String, byte[]> probes = new LinkedHashMap<>();
    for (int i = 0; i < PROBE_KEYS; i++) {
      probes.put("recovery:" + i, bytes("probe " + i));
    }
    List<String> keys = new ArrayList<>(probes.keySet());
    long deadline = System.nanoTime() + recoveryTimeout().toNanos();
    Throwable last = null;
    while (true) {
      try {
        await(backend().setMany(probes, Duration.ofMinutes(1)));
        Map<String, byte[]> found = await(backend().getMany(keys));
        if (found != null && found.size() == PROBE_KEYS
            && found.entrySet().stream().allMatch(e -> Arrays.equals(e.getValue(),
                probes.get(e.getKey())))) {
          await(backend().setMany(Map.of(), Backend.NO_EXPIRY)); // an empty batch works too
          return;
        }
        last = new AssertionError("read back " + (found == null ? "null" : found.size()
            + " of " + PROBE_KEYS + " probe keys"));
      } catch (AssertionError e) {
        last = e;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(backend().describe() + " did not recover within "
            + recoveryTimeout() + " after " + control + " was started again; last attempt: "
            + last, last);
      }
      try {
        Thread.sleep(RETRY_PAUSE.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for recovery", e);
      }
    }
  }

  private static void callEach(CachedFunction1<Integer, String> square) {
    for (int k = 0; k < FUNCTION_KEYS; k++) {
      assertThat(square.apply(k)).isEqualTo(k + " squared is " + k * k);
    }
  }
}
