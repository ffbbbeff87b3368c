package io.tiercache.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.backend.Backend;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every L2 {@link Backend} must meet, as JUnit 5 tests: a backend's test class
 * extends this one and supplies {@link #createBackend()}.
 *
 * <pre>{@code
 * class RedisBackendConformanceTest extends BackendConformanceSuite {
 *   static RedisServerLauncher redis;
 *   @BeforeAll static void up() { redis = new RedisServerLauncher().start(); }
 *   @AfterAll static void down() { redis.close(); }
 *   @Override protected Backend createBackend() { return RedisBackend.connect(redis.uri()); }
 * }
 * }</pre>
 *
 * <p>Why a shared suite: the engine relies on exact backend behaviour (a miss is {@code null}, a
 * batch read holds only present keys, bytes come back bit for bit, TTLs expire, no torn values
 * under concurrency), and each backend must be held to the same list rather than to whatever its
 * own tests happen to check. Every test asserts exact outcomes and waits on each stage for at most
 * {@link #operationTimeout()}.
 *
 * <p>Time: the TTL tests call {@link #advanceTime(Duration)}. The default sleeps, which is what a
 * real server needs (two tests then wait 2.5 s each); a backend on a {@code ManualTimeSource}
 * overrides it to advance the clock, and the whole suite then runs in well under a second.
 *
 * <p>Isolation: tests use fixed keys and rely on {@link #cleanUp(Backend)} (by default
 * {@link Backend#clear()}) after each test, so a backend on a shared server sees an empty store at
 * the start of each test as long as nothing else writes to that server.
 */
public abstract class BackendConformanceSuite {
  /** The tiercache L2 key shapes: namespace, function, escaped string, list, map, null, digest. */
  protected static final String PUNCTUATED_KEY = "ns:fn:s%E2%82%AC,[n1],{m{a=b}},~,#";

  private static final Duration TTL = Duration.ofSeconds(1);
  private static final Duration PAST_TTL = Duration.ofMillis(2_500);
  private static final int THREADS = 8;
  private static final int KEYS_PER_THREAD = 200;

  private Backend backend;

  /** For subclasses: one per backend implementation under test. */
  protected BackendConformanceSuite() {}

  /**
   * A backend to test, called before each test. It may be a new instance or a new client of a
   * shared server; it should hold no entries.
   */
  protected abstract Backend createBackend();

  /**
   * Lets at least {@code duration} pass for the backend's TTLs. The default sleeps, for backends on
   * the real clock (real servers); override it to advance a {@code ManualTimeSource}.
   */
  protected void advanceTime(Duration duration) throws InterruptedException {
    Thread.sleep(duration.toMillis());
  }

  /**
   * Called after each test with the backend {@link #createBackend()} gave; the default clears it.
   * Override to also close a client, or to drop a per-test namespace.
   */
  protected void cleanUp(Backend backend) {
    await(backend.clear());
  }

  /** How long each operation's stage may take before the test fails; default 5 s. */
  protected Duration operationTimeout() {
    return Duration.ofSeconds(5);
  }

  /** The backend under test in the current test. */
  protected final Backend backend() {
    return backend;
  }

  /**
   * Waits for {@code stage} for at most {@link #operationTimeout()} and returns its value; a
   * failed or late stage fails the test with the backend's description.
   */
  protected final <T> T await(CompletionStage<T> stage) {
    if (stage == null) {
      throw new AssertionError(describe() + " returned a null stage");
    }
    Duration timeout = operationTimeout();
    try {
      return stage.toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError(describe() + ": operation failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError(describe() + ": operation did not complete within " + timeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for " + describe(), e);
    }
  }

  @BeforeEach
  final void createBackendUnderTest() {
    backend = createBackend();
    assertThat(backend).as("createBackend()").isNotNull();
  }

  @AfterEach
  final void cleanUpBackendUnderTest() {
    if (backend != null) {
      Backend b = backend;
      backend = null;
      cleanUp(b);
    }
  }

  // ---------------------------------------------------------------- single-key reads and writes

  @Test
  void getOfMissingKeyCompletesWithNull() {
    assertThat(get("never:written")).isNull();
  }

  @Test
  void setThenGetReturnsEqualBytes() {
    set("greeting", bytes("hello, world"), Backend.NO_EXPIRY);

    assertThat(get("greeting")).isEqualTo(bytes("hello, world"));
  }

  @Test
  void setOverwritesThePreviousValue() {
    set("k", bytes("first value, longer than the second"), Backend.NO_EXPIRY);
    set("k", bytes("second"), Backend.NO_EXPIRY);

    assertThat(get("k")).isEqualTo(bytes("second"));
  }

  @Test
  void deleteOfPresentKeyReturnsTrueRemovesItAndSecondDeleteReturnsFalse() {
    set("doomed", bytes("v"), Backend.NO_EXPIRY);
    set("survivor", bytes("w"), Backend.NO_EXPIRY);

    assertThat(delete("doomed")).isTrue();
    assertThat(get("doomed")).isNull();
    assertThat(delete("doomed")).isFalse();
    assertThat(get("survivor")).isEqualTo(bytes("w"));
  }

  @Test
  void deleteOfMissingKeyReturnsFalse() {
    assertThat(delete("never:written")).isFalse();
  }

  @Test
  void describeIsNotBlank() {
    assertThat(backend.describe()).isNotBlank();
  }

  // ---------------------------------------------------------------- batches

  @Test
  void getManyReturnsExactlyThePresentKeysWithTheirValues() {
    set("a", bytes("value of a"), Backend.NO_EXPIRY);
    set("c", bytes("value of c"), Backend.NO_EXPIRY);

    Map<String, byte[]> found = getMany(List.of("a", "b", "c", "d"));

    assertThat(found).containsOnlyKeys("a", "c");
    assertThat(found.get("a")).isEqualTo(bytes("value of a"));
    assertThat(found.get("c")).isEqualTo(bytes("value of c"));
  }

  @Test
  void getManyOfOnlyMissingKeysReturnsAnEmptyMap() {
    set("present", bytes("v"), Backend.NO_EXPIRY);

    assertThat(getMany(List.of("missing:1", "missing:2"))).isEmpty();
  }

  @Test
  void emptyBatchesAreNoOps() {
    await(backend.setMany(Map.of(), Backend.NO_EXPIRY));

    assertThat(getMany(List.of())).isEmpty();
  }

  @Test
  void setManyThenGetManyReturnsEveryEntry() {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("batch:1", bytes("one"));
    entries.put("batch:2", bytes("two"));
    entries.put("batch:3", new byte[0]);

    await(backend.setMany(entries, Backend.NO_EXPIRY));
    Map<String, byte[]> found = getMany(List.of("batch:1", "batch:2", "batch:3"));

    assertThat(found).containsOnlyKeys("batch:1", "batch:2", "batch:3");
    assertThat(found.get("batch:1")).isEqualTo(bytes("one"));
    assertThat(found.get("batch:2")).isEqualTo(bytes("two"));
    assertThat(found.get("batch:3")).isEmpty();
    assertThat(get("batch:2")).isEqualTo(bytes("two"));
  }

  @Test
  void setManyAndGetManyHandleAThousandDistinctKeys() {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    for (int i = 0; i < 1_000; i++) {
      entries.put(String.format("many:%04d", i), bytes("value-" + i));
    }

    await(backend.setMany(entries, Backend.NO_EXPIRY));
    List<String> keys = new ArrayList<>(entries.keySet());
    keys.add("many:missing");
    Map<String, byte[]> found = getMany(keys);

    assertThat(found).hasSize(1_000).doesNotContainKey("many:missing");
    for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
      assertThat(found.get(entry.getKey())).as(entry.getKey()).isEqualTo(entry.getValue());
    }
  }

  // ---------------------------------------------------------------- binary safety and copies

  @Test
  void valueWithAllByteValuesRoundTripsExactly() {
    byte[] all = new byte[512];
    for (int i = 0; i < all.length; i++) {
      all[i] = (byte) i; // every value 0..255, twice, including \0, \r, \n and 0x80..0xFF
    }

    set("binary", all, Backend.NO_EXPIRY);

    assertThat(get("binary")).isEqualTo(all);
    assertThat(getMany(List.of("binary")).get("binary")).isEqualTo(all);
  }

  @Test
  void emptyValueComesBackEmptyNotNull() {
    set("empty", new byte[0], Backend.NO_EXPIRY);

    assertThat(get("empty")).isNotNull().isEmpty();
    assertThat(getMany(List.of("empty"))).containsOnlyKeys("empty");
    assertThat(getMany(List.of("empty")).get("empty")).isEmpty();
  }

  @Test
  void oneMebibyteValueRoundTripsExactly() {
    byte[] big = new byte[1 << 20];
    new Random(42).nextBytes(big);

    set("big", big, Backend.NO_EXPIRY);

    assertThat(get("big")).isEqualTo(big);
  }

  @Test
  void mutatingTheArrayPassedToSetDoesNotChangeTheStoredValue() {
    byte[] value = bytes("original");
    set("k", value, Backend.NO_EXPIRY);

    Arrays.fill(value, (byte) 'X');

    assertThat(get("k")).isEqualTo(bytes("original"));
  }

  @Test
  void mutatingTheArraysPassedToSetManyDoesNotChangeTheStoredValues() {
    byte[] value = bytes("original");
    await(backend.setMany(Map.of("k", value), Backend.NO_EXPIRY));

    Arrays.fill(value, (byte) 'X');

    assertThat(get("k")).isEqualTo(bytes("original"));
  }

  @Test
  void mutatingTheArrayReturnedByGetDoesNotChangeTheNextGet() {
    set("k", bytes("original"), Backend.NO_EXPIRY);

    byte[] first = get("k");
    assertThat(first).isEqualTo(bytes("original"));
    Arrays.fill(first, (byte) 'X');

    assertThat(get("k")).isEqualTo(bytes("original"));
  }

  @Test
  void mutatingTheArraysReturnedByGetManyDoesNotChangeTheNextRead() {
    set("k", bytes("original"), Backend.NO_EXPIRY);

    byte[] first = getMany(List.of("k")).get("k");
    assertThat(first).isEqualTo(bytes("original"));
    Arrays.fill(first, (byte) 'X');

    assertThat(getMany(List.of("k")).get("k")).isEqualTo(bytes("original"));
    assertThat(get("k")).isEqualTo(bytes("original"));
  }

  // ---------------------------------------------------------------- keys

  @Test
  void keyOfExactly250AsciiCharactersIsStoredWithoutTruncation() {
    StringBuilder sb = new StringBuilder("long:");
    for (char c = '!'; sb.length() < 250; c = (char) (c == '~' ? '!' : c + 1)) {
      sb.append(c); // every printable non-space ASCII character, cycling
    }
    String key250 = sb.toString();
    String key249 = key250.substring(0, 249);
    assertThat(key250).hasSize(250);

    set(key250, bytes("250"), Backend.NO_EXPIRY);
    set(key249, bytes("249"), Backend.NO_EXPIRY);

    assertThat(get(key250)).isEqualTo(bytes("250"));
    assertThat(get(key249)).isEqualTo(bytes("249"));
    Map<String, byte[]> found = getMany(List.of(key250, key249));
    assertThat(found).containsOnlyKeys(key250, key249);
    assertThat(found.get(key250)).isEqualTo(bytes("250"));
    assertThat(delete(key250)).isTrue();
    assertThat(get(key249)).isEqualTo(bytes("249"));
  }

  @Test
  void keysWithTheStructuralPunctuationOfTiercacheKeysAreDistinctAndUsable() {
    String similar = "ns:fn:s%E2%82%AC,[n1],{m{a=b}},~";
    set(PUNCTUATED_KEY, bytes("punctuated"), Backend.NO_EXPIRY);
    set(similar, bytes("similar"), Backend.NO_EXPIRY);

    assertThat(get(PUNCTUATED_KEY)).isEqualTo(bytes("punctuated"));
    Map<String, byte[]> found = getMany(List.of(PUNCTUATED_KEY, similar));
    assertThat(found).containsOnlyKeys(PUNCTUATED_KEY, similar);
    assertThat(found.get(PUNCTUATED_KEY)).isEqualTo(bytes("punctuated"));
    assertThat(found.get(similar)).isEqualTo(bytes("similar"));
    assertThat(delete(PUNCTUATED_KEY)).isTrue();
    assertThat(get(PUNCTUATED_KEY)).isNull();
    assertThat(get(similar)).isEqualTo(bytes("similar"));
  }

  // ---------------------------------------------------------------- expiry

  @Test
  void entriesWithOneSecondTtlAreVisibleAtOnceAndGoneAfterTwoAndAHalfSeconds()
      throws InterruptedException {
    set("ttl:single", bytes("s"), TTL);
    await(backend.setMany(Map.of("ttl:batch:1", bytes("b1"), "ttl:batch:2", bytes("b2")), TTL));
    set("ttl:overwritten", bytes("forever"), Backend.NO_EXPIRY);
    set("ttl:overwritten", bytes("short"), TTL); // overwriting also replaces the TTL
    assertThat(get("ttl:single")).isEqualTo(bytes("s"));
    assertThat(getMany(List.of("ttl:batch:1", "ttl:batch:2"))).hasSize(2);
    assertThat(get("ttl:overwritten")).isEqualTo(bytes("short"));

    advanceTime(PAST_TTL);

    assertThat(get("ttl:single")).isNull();
    assertThat(get("ttl:overwritten")).isNull();
    assertThat(getMany(List.of("ttl:single", "ttl:batch:1", "ttl:batch:2", "ttl:overwritten")))
        .isEmpty();
    assertThat(delete("ttl:single")).as("delete of an expired entry").isFalse();
  }

  @Test
  void entriesWithoutExpiryOrWithLongTtlSurviveWhileShortTtlEntriesExpire()
      throws InterruptedException {
    set("keep:no-expiry", bytes("a"), Backend.NO_EXPIRY);
    set("keep:one-hour", bytes("b"), Duration.ofHours(1));
    set("keep:ttl-removed", bytes("c-short"), TTL);
    set("keep:ttl-removed", bytes("c"), Backend.NO_EXPIRY); // overwriting drops the old TTL
    await(backend.setMany(Map.of("keep:batch", bytes("d")), Backend.NO_EXPIRY));
    set("control:short", bytes("e"), TTL);

    advanceTime(PAST_TTL);

    assertThat(get("control:short")).as("control entry with a 1 s TTL").isNull();
    assertThat(get("keep:no-expiry")).isEqualTo(bytes("a"));
    assertThat(get("keep:one-hour")).isEqualTo(bytes("b"));
    assertThat(get("keep:ttl-removed")).isEqualTo(bytes("c"));
    assertThat(get("keep:batch")).isEqualTo(bytes("d"));
  }

  // ---------------------------------------------------------------- clear

  @Test
  void clearRemovesEverythingAndTheBackendStaysUsable() {
    set("x", bytes("1"), Backend.NO_EXPIRY);
    set("y", bytes("2"), Duration.ofHours(1));
    set(PUNCTUATED_KEY, bytes("3"), Backend.NO_EXPIRY);
    Map<String, byte[]> batch = new HashMap<>();
    for (int i = 0; i < 10; i++) {
      batch.put("clear:" + i, bytes("v" + i));
    }
    await(backend.setMany(batch, Backend.NO_EXPIRY));

    await(backend.clear());

    assertThat(get("x")).isNull();
    assertThat(get("y")).isNull();
    assertThat(get(PUNCTUATED_KEY)).isNull();
    List<String> all = new ArrayList<>(batch.keySet());
    all.addAll(List.of("x", "y", PUNCTUATED_KEY));
    assertThat(getMany(all)).isEmpty();
    assertThat(delete("x")).isFalse();

    set("x", bytes("after clear"), Backend.NO_EXPIRY);
    assertThat(get("x")).isEqualTo(bytes("after clear"));
  }

  // ---------------------------------------------------------------- concurrency

  @Test
  void concurrentWritersOfDistinctKeysAllLand() throws Exception {
    runConcurrently(thread -> {
      for (int i = 0; i < KEYS_PER_THREAD; i++) {
        set(concurrentKey(thread, i), bytes("thread " + thread + " value " + i), Backend.NO_EXPIRY);
      }
    });

    List<String> keys = new ArrayList<>();
    for (int thread = 0; thread < THREADS; thread++) {
      for (int i = 0; i < KEYS_PER_THREAD; i++) {
        keys.add(concurrentKey(thread, i));
      }
    }
    Map<String, byte[]> found = getMany(keys);
    assertThat(found).hasSize(THREADS * KEYS_PER_THREAD);
    for (int thread = 0; thread < THREADS; thread++) {
      for (int i = 0; i < KEYS_PER_THREAD; i++) {
        String key = concurrentKey(thread, i);
        byte[] expected = bytes("thread " + thread + " value " + i);
        assertThat(found.get(key)).as(key).isEqualTo(expected);
      }
    }
    assertThat(get(concurrentKey(THREADS - 1, KEYS_PER_THREAD - 1)))
        .isEqualTo(bytes("thread " + (THREADS - 1) + " value " + (KEYS_PER_THREAD - 1)));
  }

  @Test
  void concurrentOverwritesOfOneKeyLeaveExactlyOneOfTheWrittenValues() throws Exception {
    byte[][] written = new byte[THREADS][];
    for (int thread = 0; thread < THREADS; thread++) {
      written[thread] = new byte[64 * 1024];
      Arrays.fill(written[thread], (byte) ('A' + thread));
    }

    runConcurrently(thread -> {
      for (int round = 0; round < 25; round++) {
        set("contended", written[thread], Backend.NO_EXPIRY);
        assertOneOf(get("contended"), written, "value read while writers race");
      }
    });

    assertOneOf(get("contended"), written, "final value");
    assertOneOf(getMany(List.of("contended")).get("contended"), written, "final value (getMany)");
  }

  // ---------------------------------------------------------------- helpers

  /** Awaits {@code backend().get(key)}. */
  protected final byte[] get(String key) {
    return await(backend.get(key));
  }

  /** Awaits {@code backend().set(key, value, ttl)}. */
  protected final void set(String key, byte[] value, Duration ttl) {
    await(backend.set(key, value, ttl));
  }

  /** Awaits {@code backend().getMany(keys)}; the map is checked to be non-null. */
  protected final Map<String, byte[]> getMany(List<String> keys) {
    Map<String, byte[]> found = await(backend.getMany(keys));
    assertThat(found).as("getMany result").isNotNull();
    return found;
  }

  /** Awaits {@code backend().delete(key)}; the result is checked to be non-null. */
  protected final boolean delete(String key) {
    Boolean deleted = await(backend.delete(key));
    assertThat(deleted).as("delete result").isNotNull();
    return deleted;
  }

  /** The UTF-8 bytes of {@code text}. */
  protected static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private String describe() {
    Backend b = backend;
    return b == null ? "backend" : b.describe();
  }

  private static String concurrentKey(int thread, int i) {
    return "concurrent:t" + thread + ":k" + i;
  }

  private static void assertOneOf(byte[] actual, byte[][] candidates, String what) {
    assertThat(actual).as(what).isNotNull();
    boolean matches = false;
    for (byte[] candidate : candidates) {
      matches |= Arrays.equals(actual, candidate);
    }
    assertThat(matches)
        .as("%s must equal one written value exactly (length %d, first byte %s, last byte %s)",
            what, actual.length, actual.length == 0 ? "-" : (char) actual[0],
            actual.length == 0 ? "-" : (char) actual[actual.length - 1])
        .isTrue();
  }

  private interface Worker {
    void run(int thread) throws Exception;
  }

  private void runConcurrently(Worker worker) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> futures = new ArrayList<>();
      for (int thread = 0; thread < THREADS; thread++) {
        int t = thread;
        futures.add(pool.submit(() -> {
          start.await();
          worker.run(t);
          return null;
        }));
      }
      start.countDown();
      long waitMillis = operationTimeout().toMillis() * 6;
      for (Future<?> future : futures) {
        try {
          future.get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
          if (e.getCause() instanceof AssertionError assertion) {
            throw assertion;
          }
          throw e;
        }
      }
    } finally {
      pool.shutdownNow();
      pool.awaitTermination(10, TimeUnit.SECONDS);
    }
  }
}
