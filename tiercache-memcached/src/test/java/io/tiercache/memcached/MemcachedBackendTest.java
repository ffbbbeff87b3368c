package io.tiercache.memcached;

import static io.tiercache.memcached.TestSupport.awaitTrue;
import static io.tiercache.memcached.TestSupport.failureOf;
import static io.tiercache.memcached.TestSupport.join;
import static org.assertj.core.api.Assertions.assertThat;

import com.spotify.folsom.MemcacheClosedException;
import io.tiercache.backend.Backend;
import io.tiercache.testkit.MemcachedLauncher;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * memcached's rules (key limits, item size, TTLs over 30 days) and failure behaviour, on real
 * servers: one with a 2 MiB item limit, one with memcached's default 1 MiB.
 */
class MemcachedBackendTest {
  private static final long DAY = 86_400;

  private static MemcachedLauncher server;        // -I 2m
  private static MemcachedLauncher defaultServer; // memcached's own 1 MiB limit

  private MemcachedBackend backend;
  private RawMemcached raw;

  @BeforeAll
  static void startServers() {
    server = TestSupport.startServers(1).get(0);
    defaultServer = new MemcachedLauncher().start();
  }

  @AfterAll
  static void stopServers() {
    TestSupport.closeAll(server == null ? null : List.of(server));
    if (defaultServer != null) {
      defaultServer.close();
    }
  }

  @BeforeEach
  void connect() {
    backend = TestSupport.backendOn(List.of(server)).build();
    join(backend.clear());
    raw = RawMemcached.to(server);
  }

  @AfterEach
  void disconnect() {
    raw.close();
    backend.close();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  // ------------------------------------------------------------------ keys

  @Test
  void oddKeysAreStoredUnderTheirDigestAndStayDistinct() {
    String longA = "L".repeat(400) + "a";
    String longB = "L".repeat(400) + "b";
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put(longA, bytes("long a"));
    entries.put(longB, bytes("long b"));
    entries.put("with space", bytes("space"));
    entries.put("line\r\nbreak", bytes("crlf"));
    entries.put("caf\u00e9 \u20ac \ud83d\ude00", bytes("unicode"));
    entries.put("", bytes("empty key"));
    entries.put(WireKeys.of("with space"), bytes("looks hashed")); // a valid key shaped as a digest

    for (Map.Entry<String, byte[]> e : entries.entrySet()) {
      join(backend.set(e.getKey(), e.getValue(), Backend.NO_EXPIRY));
    }

    Map<String, byte[]> found = join(backend.getMany(List.copyOf(entries.keySet())));
    assertThat(found).containsOnlyKeys(entries.keySet());
    for (Map.Entry<String, byte[]> e : entries.entrySet()) {
      assertThat(found.get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
      assertThat(join(backend.get(e.getKey()))).as(e.getKey()).isEqualTo(e.getValue());
      String stored = MemcachedBackend.memcachedKey(e.getKey());
      assertThat(stored.length()).isLessThanOrEqualTo(250);
      assertThat(raw.get(stored)).as("server holds %s under %s", e.getKey(), stored)
          .isEqualTo(e.getValue());
    }
    assertThat(join(backend.delete("with space"))).isTrue();
    assertThat(join(backend.get("with space"))).isNull();
    assertThat(join(backend.get(WireKeys.of("with space")))).isEqualTo(bytes("looks hashed"));
  }

  @Test
  void tiercacheShapedKeysAreStoredUnchanged() {
    join(backend.set(BackendKeys.TIERCACHE_KEY, bytes("v"), Backend.NO_EXPIRY));
    assertThat(raw.get(BackendKeys.TIERCACHE_KEY)).isEqualTo(bytes("v"));
  }

  // ------------------------------------------------------------------ item size

  @Test
  void valuesOverTheItemLimitAreSkippedAndCountedWithoutFailing() {
    MemcachedBackend oneMebibyte = MemcachedBackend.builder().servers(server.address())
        .maxItemSize(1 << 20).build();
    try {
      byte[] big = new byte[(1 << 20) + 1];
      Arrays.fill(big, (byte) 'b');

      join(oneMebibyte.set("big", big, Backend.NO_EXPIRY)); // completes normally
      join(oneMebibyte.setMany(Map.of("big:1", big, "small", bytes("s")), Backend.NO_EXPIRY));

      assertThat(oneMebibyte.oversizedValuesSkipped()).isEqualTo(2);
      assertThat(join(oneMebibyte.get("big"))).isNull();
      assertThat(raw.get("big")).as("never sent, although this server would take it").isNull();
      assertThat(raw.get("big:1")).isNull();
      assertThat(join(oneMebibyte.get("small"))).isEqualTo(bytes("s"));
    } finally {
      oneMebibyte.close();
    }
  }

  @Test
  void theFirstOversizedValueIsLoggedAndTheRestOnlyCounted() {
    java.io.PrintStream stderr = System.err;
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    MemcachedBackend small = MemcachedBackend.builder().servers(server.address())
        .maxItemSize(1024).build();
    try {
      System.setErr(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
      for (int i = 0; i < 3; i++) {
        join(small.set("oversized:" + i, new byte[2048], Backend.NO_EXPIRY));
      }
    } finally {
      System.setErr(stderr);
      small.close();
    }
    String log = captured.toString(StandardCharsets.UTF_8);
    assertThat(small.oversizedValuesSkipped()).isEqualTo(3);
    assertThat(log.split("this is logged once", -1)).as(log).hasSize(2);
    assertThat(log).contains("oversized:0").doesNotContain("oversized:1");
  }

  @Test
  void theLargestValueTheBackendSendsFitsARealServerWithThatLimit() {
    MemcachedBackend b = MemcachedBackend.builder().servers(defaultServer.address()).build();
    try {
      String key = "edge:" + "k".repeat(200);
      int largest = b.maxItemSize() - MemcachedBackend.ITEM_OVERHEAD - key.length();
      byte[] fits = new byte[largest];
      Arrays.fill(fits, (byte) 'f');

      join(b.set(key, fits, Backend.NO_EXPIRY));
      join(b.set("edge:over", new byte[largest + key.length() - "edge:over".length() + 1],
          Backend.NO_EXPIRY));

      assertThat(join(b.get(key))).isEqualTo(fits);
      assertThat(b.oversizedValuesSkipped()).isEqualTo(1);
      assertThat(join(b.get("edge:over"))).isNull();
    } finally {
      join(b.clear());
      b.close();
    }
  }

  @Test
  void aServerWithASmallerLimitThanConfiguredRefusesTheValueWhichIsSkippedNotFailed() {
    MemcachedBackend tooOptimistic = MemcachedBackend.builder().servers(defaultServer.address())
        .maxItemSize(4 << 20).build();
    try {
      byte[] big = new byte[3 << 19]; // 1.5 MiB: over the server's 1 MiB

      join(tooOptimistic.set("refused", big, Backend.NO_EXPIRY));

      assertThat(tooOptimistic.oversizedValuesSkipped()).isEqualTo(1);
      assertThat(join(tooOptimistic.get("refused"))).isNull();
      join(tooOptimistic.set("after", bytes("fine"), Backend.NO_EXPIRY));
      assertThat(join(tooOptimistic.get("after"))).as("connection still usable")
          .isEqualTo(bytes("fine"));
    } finally {
      join(tooOptimistic.clear());
      tooOptimistic.close();
    }
  }

  // ------------------------------------------------------------------ TTLs

  @Test
  void ttlsOverThirtyDaysAreSentAsAbsoluteTimeAndTheEntryLives() {
    join(backend.set("sixty-days", bytes("60"), Duration.ofDays(60)));
    join(backend.set("one-year", bytes("365"), Duration.ofDays(365)));
    join(backend.setMany(Map.of("batch-40-days", bytes("40")), Duration.ofDays(40)));
    join(backend.set("twenty-nine-days", bytes("29"), Duration.ofDays(29)));

    // Sent as a relative 60 days, memcached would read it as a date in 1970: gone at once.
    assertThat(join(backend.get("sixty-days"))).isEqualTo(bytes("60"));
    assertThat(join(backend.get("one-year"))).isEqualTo(bytes("365"));
    assertThat(join(backend.get("batch-40-days"))).isEqualTo(bytes("40"));
    assertThat(join(backend.get("twenty-nine-days"))).isEqualTo(bytes("29"));
    assertThat(raw.remainingTtl("sixty-days")).isBetween(60 * DAY - 5, 60 * DAY + 5);
    assertThat(raw.remainingTtl("one-year")).isBetween(365 * DAY - 5, 365 * DAY + 5);
    assertThat(raw.remainingTtl("batch-40-days")).isBetween(40 * DAY - 5, 40 * DAY + 5);
    assertThat(raw.remainingTtl("twenty-nine-days")).isBetween(29 * DAY - 5, 29 * DAY + 5);
  }

  @Test
  void shortTtlsAreRoundedUpSoTheEntryNeverExpiresEarly() {
    join(backend.set("short", bytes("s"), Duration.ofMillis(1)));
    join(backend.set("forever", bytes("f"), Backend.NO_EXPIRY));

    assertThat(raw.remainingTtl("short")).isBetween(1L, 2L);
    assertThat(raw.remainingTtl("forever")).isEqualTo(-1L);
    assertThat(join(backend.get("short"))).isEqualTo(bytes("s"));
  }

  // ------------------------------------------------------------------ failures

  @Test
  void invalidArgumentsFailTheStageInsteadOfThrowing() {
    CompletionStage<Void> nullValue = backend.set("k", null, Backend.NO_EXPIRY);
    CompletionStage<Void> negativeTtl = backend.set("k", bytes("v"), Duration.ofSeconds(-1));
    CompletionStage<byte[]> nullKey = backend.get(null);
    CompletionStage<Void> badBatch =
        backend.setMany(Map.of("k", bytes("v")), Duration.ofSeconds(-5));

    assertThat(failureOf(nullValue)).isInstanceOf(IllegalArgumentException.class);
    assertThat(failureOf(negativeTtl)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("negative");
    assertThat(failureOf(nullKey)).isInstanceOf(NullPointerException.class);
    assertThat(failureOf(badBatch)).isInstanceOf(IllegalArgumentException.class);
    assertThat(join(backend.get("k"))).isNull();
  }

  @Test
  void aListenerThatNeverAnswersFailsEveryOperationInsteadOfHanging() throws IOException {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      MemcachedBackend hung = MemcachedBackend.builder()
          .servers("127.0.0.1:" + silent.getLocalPort())
          .operationTimeout(Duration.ofMillis(300))
          .connectTimeout(Duration.ofMillis(300))
          .build();
      try {
        // Never connected (the connection check gets no answer): each stage fails at once.
        assertThat(failureOf(hung.get("k"))).isNotNull();
        assertThat(failureOf(hung.set("k", bytes("v"), Backend.NO_EXPIRY))).isNotNull();
        assertThat(failureOf(hung.getMany(List.of("a", "b")))).isNotNull();
        assertThat(failureOf(hung.delete("k"))).isNotNull();
        assertThat(failureOf(hung.clear())).isNotNull();
        assertThat(hung.describe()).contains("(down)");
      } finally {
        hung.close();
      }
    }
  }

  @Test
  void aServerThatFreezesMidSessionTimesOutEachOperationAndServesAgainWhenItThaws()
      throws Exception {
    MemcachedLauncher frozen = new MemcachedLauncher().start();
    MemcachedBackend b = MemcachedBackend.builder().servers(frozen.address())
        .operationTimeout(Duration.ofMillis(300))
        .unresponsiveServerTimeout(Duration.ofMillis(600))
        .reconnectBackoff(Duration.ofMillis(10), Duration.ofMillis(100))
        .build();
    long pid = frozen.processHandle().orElseThrow().pid();
    try {
      join(b.set("k", bytes("before"), Backend.NO_EXPIRY));
      signal("STOP", pid);

      assertThat(failureOf(b.get("k"))).isInstanceOf(TimeoutException.class);
      assertThat(failureOf(b.set("k", bytes("during"), Backend.NO_EXPIRY)))
          .isInstanceOfAny(TimeoutException.class, MemcacheClosedException.class);

      signal("CONT", pid);
      awaitTrue(() -> {
        try {
          return b.get("k").toCompletableFuture().get() != null;
        } catch (Exception notYet) {
          return false;
        }
      }, "the thawed server answers again");
      // A write that timed out may still have been applied once the server thawed: a timeout
      // means "outcome unknown", as with any remote store.
      assertThat(new String(join(b.get("k")), StandardCharsets.UTF_8)).isIn("before", "during");
      join(b.set("k", bytes("after"), Backend.NO_EXPIRY));
      assertThat(join(b.get("k"))).isEqualTo(bytes("after"));
    } finally {
      signal("CONT", pid);
      b.close();
      frozen.close();
    }
  }

  private static void signal(String signal, long pid) throws Exception {
    // The shell's built-in kill: no dependency on procps.
    Process kill = new ProcessBuilder("sh", "-c", "kill -" + signal + " " + pid).inheritIO().start();
    assertThat(kill.waitFor()).as("kill -%s %d", signal, pid).isZero();
  }

  @Test
  void aServerDownAtStartMissesFastAndJoinsWhenItComesUp() {
    MemcachedLauncher late = new MemcachedLauncher().start();
    late.stop();
    MemcachedBackend b = TestSupport.backendOn(List.of(late))
        .connectTimeout(Duration.ofMillis(200)).build(); // does not throw
    try {
      assertThat(b.describe()).isEqualTo("memcached(ascii)[" + late.address() + " (down)]");
      Throwable failure = failureOf(b.get("k"));
      assertThat(failure).isNotInstanceOf(TimeoutException.class); // refused at once
      assertThat(failureOf(b.set("k", bytes("v"), Backend.NO_EXPIRY)))
          .isNotInstanceOf(TimeoutException.class);

      late.start();
      awaitTrue(() -> b.connectedServers().equals(List.of(late.address())), late + " joins");

      join(b.set("k", bytes("v"), Backend.NO_EXPIRY));
      assertThat(join(b.get("k"))).isEqualTo(bytes("v"));
      assertThat(b.describe()).isEqualTo("memcached(ascii)[" + late.address() + "]");
    } finally {
      b.close();
      late.close();
    }
  }

  @Test
  void stagesCompleteOnTheGivenCallbackExecutor() {
    java.util.concurrent.atomic.AtomicInteger handedOver =
        new java.util.concurrent.atomic.AtomicInteger();
    MemcachedBackend b = TestSupport.backendOn(List.of(server))
        .callbackExecutor(task -> {
          handedOver.incrementAndGet();
          task.run();
        }).build();
    try {
      join(b.set("k", bytes("v"), Backend.NO_EXPIRY));
      int afterSet = handedOver.get();
      assertThat(join(b.get("k"))).isEqualTo(bytes("v"));
      assertThat(afterSet).isPositive();
      assertThat(handedOver.get()).isGreaterThan(afterSet);
    } finally {
      b.close();
    }
  }

  @Test
  void describeListsTheServersAndAClosedBackendFailsItsStages() {
    assertThat(backend.describe()).isEqualTo("memcached(ascii)[" + server.address() + "]");
    assertThat(backend.servers()).containsExactly(server.address());
    assertThat(backend.serverOf("anything")).isEqualTo(server.address());

    backend.close();
    backend.close(); // idempotent

    assertThat(backend.describe()).endsWith("(closed)");
    assertThat(failureOf(backend.get("k"))).isNotNull();
    assertThat(failureOf(backend.set("k", bytes("v"), Backend.NO_EXPIRY))).isNotNull();
  }
}
