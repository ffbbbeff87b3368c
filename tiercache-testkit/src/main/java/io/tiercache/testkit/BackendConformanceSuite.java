package io.tiercache.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.CacheInfo;
import io.tiercache.CachedFunction1;
import io.tiercache.CachedFunction2;
import io.tiercache.TierCache;
import io.tiercache.backend.Backend;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every L2 {@link Backend} must meet, as JUnit 5 tests: a backend's test class
 * extends this one and supplies {@link #createBackend()}, the factory of the backend under test.
 * A backend that talks to a server extends {@link ServerBackendConformanceSuite} instead, which
 * runs every test here and also stops and starts the server.
 *
 * <pre>{@code
 * class MyBackendConformanceTest extends BackendConformanceSuite {
 *   @Override protected Backend createBackend() { return new MyBackend(); }
 * }
 * }</pre>
 *
 * <p>Why a shared suite: the engine relies on exact backend behaviour (a miss is {@code null}, a
 * batch read holds only present keys, bytes come back bit for bit, TTLs expire, no torn values
 * under concurrency), and each backend must be held to the same list rather than to whatever its
 * own tests happen to check. Every test asserts exact outcomes and waits on each stage for at most
 * {@link #operationTimeout()}.
 *
 * <p>What it checks: single-key and batch reads and writes; binary values (every byte value, empty,
 * 1 MiB) and copies; keys of 250 characters and with the punctuation of tiercache keys; TTLs,
 * including 30 days and more (memcached reads those as dates); tag and prefix versions read in one
 * batch with their entry; clear; concurrent writers. Then, through a {@code TierCache} on the
 * backend: tag invalidation with exact computation counts, and arguments with unicode, separators,
 * control characters and 10,000 characters getting distinct, valid keys.
 *
 * <p>Time: the TTL tests call {@link #advanceTime(Duration)}. The default sleeps, which is what a
 * real server needs (two tests then wait 2.5 s each); a backend on a {@code ManualTimeSource}
 * overrides it to advance the clock, and the suite then runs without waiting.
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
   *
   * @return a new backend holding no entries
   */
  protected abstract Backend createBackend();

  /**
   * Lets at least {@code duration} pass for the backend's TTLs. The default sleeps, for backends on
   * the real clock (real servers); override it to advance a {@code ManualTimeSource}.
   *
   * @param duration the least time that must pass
   * @throws InterruptedException if the thread is interrupted while waiting
   */
  protected void advanceTime(Duration duration) throws InterruptedException {
    Thread.sleep(duration.toMillis());
  }

  /**
   * Called after each test with the backend {@link #createBackend()} gave; the default clears it.
   * Override to also close a client, or to drop a per-test namespace.
   *
   * @param backend the backend the test used
   */
  protected void cleanUp(Backend backend) {
    await(backend.clear());
  }

  /**
   * How long each operation's stage may take before the test fails; default 5 s.
   *
   * @return the longest wait for one operation
   */
  protected Duration operationTimeout() {
    return Duration.ofSeconds(5);
  }

  /**
   * The backend under test in the current test.
   *
   * @return the backend under test
   */
  protected final Backend backend() {
    return backend;
  }

  /**
   * Waits for {@code stage} for at most {@link #operationTimeout()} and returns its value; a
   * failed or late stage fails the test with the backend's description.
   *
   * @param <T> the stage's value type
   * @param stage the backend operation to wait for
   * @return the stage's value
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

  /**
   * Commands on one key take effect in the order they were started (the {@code Backend} contract
   * the engine's invalidations rely on): a delete started right after a write, without waiting for
   * it, removes that write; a write started right after a delete stands.
   */
  @Test
  void commandsOnOneKeyTakeEffectInTheOrderTheyWereStarted() {
    for (int i = 0; i < 200; i++) {
      String key = "ordered:" + (i % 7);
      CompletionStage<Void> written = backend.set(key, bytes("stale " + i), Backend.NO_EXPIRY);
      CompletionStage<Boolean> deleted = backend.delete(key);
      await(written);
      await(deleted);
      assertThat(get(key)).as("after set then delete, round %d", i).isNull();
      CompletionStage<Boolean> deletedFirst = backend.delete(key);
      CompletionStage<Void> writtenAfter = backend.set(key, bytes("fresh " + i), Backend.NO_EXPIRY);
      await(deletedFirst);
      await(writtenAfter);
      assertThat(get(key)).as("after delete then set, round %d", i).isEqualTo(bytes("fresh " + i));
    }
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

  /**
   * How the engine keeps tags: each tag (and prefix) has an 8-byte version under a key of its own,
   * read in one batch together with the entry stamped with it; invalidating a tag overwrites its
   * version. Every overwrite must be seen by the very next batch read.
   */
  @Test
  void tagVersionsReadInOneBatchWithTheirEntryShowEveryOverwrite() {
    String entry = "shop:price:n42";
    String catalog = "shop:#t:catalog";
    String prices = "shop:#t:prices%3Aeu";
    String prefix = "shop:#p:tenant%2F7";
    set(catalog, version(0x8000_0000_0000_0001L), Backend.NO_EXPIRY);
    set(prices, version(0x00FF_00FF_00FF_00FFL), Backend.NO_EXPIRY);
    set(prefix, version(-1L), Backend.NO_EXPIRY);
    set(entry, bytes("stamped value"), Duration.ofHours(1));
    List<String> batch = List.of(entry, catalog, prices, prefix, "shop:#t:never-invalidated");

    Map<String, byte[]> found = getMany(batch);

    assertThat(found).containsOnlyKeys(entry, catalog, prices, prefix);
    assertThat(found.get(entry)).isEqualTo(bytes("stamped value"));
    assertThat(found.get(catalog)).isEqualTo(version(0x8000_0000_0000_0001L));
    assertThat(found.get(prices)).isEqualTo(version(0x00FF_00FF_00FF_00FFL));
    assertThat(found.get(prefix)).isEqualTo(version(-1L));
    for (int round = 1; round <= 20; round++) {
      long next = 0x0100_0000_0000_0000L * round + round; // a zero byte in the middle, too
      set(round % 2 == 0 ? catalog : prefix, version(next), Backend.NO_EXPIRY);

      found = getMany(batch);

      assertThat(found).as("round %d", round).containsOnlyKeys(entry, catalog, prices, prefix);
      assertThat(found.get(round % 2 == 0 ? catalog : prefix)).as("round %d", round)
          .isEqualTo(version(next));
      assertThat(found.get(prices)).isEqualTo(version(0x00FF_00FF_00FF_00FFL));
      assertThat(found.get(entry)).isEqualTo(bytes("stamped value"));
    }
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

  @Test
  void ttlsOfThirtyDaysAndLongerKeepTheEntry() {
    // memcached reads an expiry over 30 days as a Unix time: sent as a plain number of seconds,
    // such an entry would be dated 1970 and gone at once.
    Map<String, Duration> ttls = new LinkedHashMap<>();
    ttls.put("ttl:29-days", Duration.ofDays(29));
    ttls.put("ttl:30-days", Duration.ofDays(30));
    ttls.put("ttl:30-days-and-a-second", Duration.ofDays(30).plusSeconds(1));
    ttls.put("ttl:60-days", Duration.ofDays(60));
    ttls.put("ttl:one-year", Duration.ofDays(365));
    ttls.put("ttl:twenty-years", Duration.ofDays(20 * 365));
    ttls.forEach((key, ttl) -> set(key, bytes(key), ttl));
    await(backend.setMany(Map.of("ttl:batch-45-days", bytes("batch")), Duration.ofDays(45)));

    for (String key : ttls.keySet()) {
      assertThat(get(key)).as(key).isEqualTo(bytes(key));
    }
    assertThat(get("ttl:batch-45-days")).isEqualTo(bytes("batch"));
    List<String> all = new ArrayList<>(ttls.keySet());
    all.add("ttl:batch-45-days");
    assertThat(getMany(all)).containsOnlyKeys(all);
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

  // ---------------------------------------------------------------- through a TierCache

  /**
   * Two {@code TierCache}s (two processes, in effect) share the backend; L1 is off so that every
   * call reads L2. Invalidating a tag in one makes exactly the entries carrying it compute again
   * in the other, and an L2 hit of an entry with two tags reads entry and versions in one batch.
   */
  @Test
  void throughATierCacheTagInvalidationRecomputesExactlyTheTaggedEntries() {
    RecordingBackend recorder = new RecordingBackend(backend);
    TierCache first = tierCacheOn(recorder);
    TierCache second = tierCacheOn(recorder);
    AtomicInteger computations = new AtomicInteger();
    CachedFunction1<Integer, String> priceA = priceFunction(first, computations);
    CachedFunction1<Integer, String> stockA = stockFunction(first, computations);
    CachedFunction1<Integer, String> priceB = priceFunction(second, computations);
    CachedFunction1<Integer, String> stockB = stockFunction(second, computations);

    for (int id = 1; id <= 3; id++) {
      assertThat(priceA.apply(id)).isEqualTo("price " + id + " #" + id);
    }
    for (int id = 1; id <= 3; id++) {
      assertThat(stockA.apply(id)).isEqualTo("stock " + id + " #" + (3 + id));
    }
    assertThat(priceA.l2ErrorCount() + stockA.l2ErrorCount()).as("L2 errors of the writer")
        .isZero();
    awaitWritesLanded(recorder);
    for (int id = 1; id <= 3; id++) {
      assertThat(priceB.apply(id)).isEqualTo("price " + id + " #" + id);
      assertThat(stockB.apply(id)).isEqualTo("stock " + id + " #" + (3 + id));
    }
    assertThat(computations).hasValue(6);
    assertThat(priceB.cacheInfo()).isEqualTo(new CacheInfo(0, 3, 3, 0, 0, 0));
    assertThat(stockB.cacheInfo()).isEqualTo(new CacheInfo(0, 3, 3, 0, 0, 0));

    recorder.forgetCalls();
    assertThat(priceB.apply(1)).isEqualTo("price 1 #1");
    assertThat(recorder.calls()).as("backend calls of an L2 hit with two tags")
        .isEqualTo(Map.of("getMany", 1));

    assertThat(first.invalidateTags("prices")).isTrue();
    for (int id = 1; id <= 3; id++) {
      assertThat(priceB.apply(id)).isEqualTo("price " + id + " #" + (6 + id));
      assertThat(stockB.apply(id)).isEqualTo("stock " + id + " #" + (3 + id));
    }
    assertThat(computations).hasValue(9);
    assertThat(priceB.cacheInfo()).isEqualTo(new CacheInfo(0, 7, 4, 3, 0, 0));
    assertThat(stockB.cacheInfo()).isEqualTo(new CacheInfo(0, 6, 6, 0, 0, 0));
    awaitWritesLanded(recorder);
    for (int id = 1; id <= 3; id++) {
      assertThat(priceA.apply(id)).as("the other process's new value").isEqualTo(
          "price " + id + " #" + (6 + id));
    }

    assertThat(second.invalidateTags("warehouse")).isTrue();
    for (int id = 1; id <= 3; id++) {
      assertThat(stockA.apply(id)).isEqualTo("stock " + id + " #" + (9 + id));
      assertThat(priceA.apply(id)).isEqualTo("price " + id + " #" + (6 + id));
    }
    assertThat(computations).hasValue(12);
    assertThat(priceA.cacheInfo()).isEqualTo(new CacheInfo(0, 9, 6, 3, 0, 0));
    assertThat(stockA.cacheInfo()).isEqualTo(new CacheInfo(0, 6, 0, 6, 0, 0));
    assertThat(priceA.l2ErrorCount() + stockA.l2ErrorCount() + priceB.l2ErrorCount()
        + stockB.l2ErrorCount()).as("L2 errors").isZero();
  }

  /**
   * Arguments with unicode, the separators of the key syntax, spaces, control characters, and
   * 10,000 characters (one character apart) become distinct keys that are valid for every backend
   * (at most 250 printable ASCII characters), and the values under them are found again by another
   * {@code TierCache}.
   */
  @Test
  void throughATierCacheUnicodeSeparatorsAndVeryLongArgumentsGetDistinctValidKeys() {
    String longA = "x".repeat(10_000);
    String longB = "x".repeat(9_999) + "y";
    List<List<String>> calls = List.of(
        List.of("\u20ac", "\u043a\u043b\u044e\u0447"),
        List.of("\ud83d\ude00 caf\u00e9", "\u00df"),
        List.of("a,sb", "c"),
        List.of("a", "b,sc"),
        List.of("a:b", "[c]{d=e}~#%"),
        List.of("a%3Ab", "[c]{d=e}~#%"),
        List.of(" ", ""),
        List.of("", " "),
        List.of("line\r\nbreak\u0000", "tab\t"),
        List.of(longA, ""),
        List.of(longB, ""),
        // Keys of 250 and 251 characters (conformance:join:sxx...x,sy): sent whole, and shortened.
        List.of("x".repeat(229), "y"),
        List.of("x".repeat(230), "y"));
    RecordingBackend recorder = new RecordingBackend(backend);
    AtomicInteger computations = new AtomicInteger();
    CachedFunction2<String, String, String> writer = joinFunction(tierCacheOn(recorder),
        computations);
    CachedFunction2<String, String, String> reader = joinFunction(tierCacheOn(recorder),
        computations);

    for (int i = 0; i < calls.size(); i++) {
      List<String> args = calls.get(i);
      assertThat(writer.apply(args.get(0), args.get(1))).isEqualTo(joined(args, i + 1));
    }
    assertThat(writer.l2ErrorCount()).as("L2 errors of the writer").isZero();
    awaitWritesLanded(recorder);
    for (int i = 0; i < calls.size(); i++) {
      List<String> args = calls.get(i);
      assertThat(reader.apply(args.get(0), args.get(1))).as("call %d", i)
          .isEqualTo(joined(args, i + 1));
    }

    assertThat(computations).hasValue(calls.size());
    assertThat(reader.cacheInfo()).isEqualTo(new CacheInfo(0, calls.size(), calls.size(), 0, 0, 0));
    Set<String> keys = new HashSet<>(recorder.keys());
    assertThat(keys).as("one key per argument list").hasSize(calls.size());
    assertThat(keys).allSatisfy(key -> {
      assertThat(key.length()).as(key).isBetween(1, 250);
      assertThat(key.chars().allMatch(c -> c > ' ' && c < 0x7f)).as(key).isTrue();
    });
  }

  // ---------------------------------------------------------------- helpers

  /**
   * Awaits {@code backend().get(key)}.
   *
   * @param key the key, as the tests write it
   * @return the value, or null on a miss
   */
  protected final byte[] get(String key) {
    return await(backend.get(key));
  }

  /**
   * Awaits {@code backend().set(key, value, ttl)}.
   *
   * @param key the key, as the tests write it
   * @param value the bytes to store
   * @param ttl the lifetime, or {@link Backend#NO_EXPIRY}
   */
  protected final void set(String key, byte[] value, Duration ttl) {
    await(backend.set(key, value, ttl));
  }

  /**
   * Awaits {@code backend().getMany(keys)}; the map is checked to be non-null.
   *
   * @param keys the keys to read
   * @return the values found, by key
   */
  protected final Map<String, byte[]> getMany(List<String> keys) {
    Map<String, byte[]> found = await(backend.getMany(keys));
    assertThat(found).as("getMany result").isNotNull();
    return found;
  }

  /**
   * Awaits {@code backend().delete(key)}; the result is checked to be non-null.
   *
   * @param key the key, as the tests write it
   * @return whether a value was deleted
   */
  protected final boolean delete(String key) {
    Boolean deleted = await(backend.delete(key));
    assertThat(deleted).as("delete result").isNotNull();
    return deleted;
  }

  /**
   * The UTF-8 bytes of {@code text}.
   *
   * @param text the text to encode
   * @return the UTF-8 encoding
   */
  protected static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * A {@code TierCache} on {@code backend} for the suite's checks: namespace {@code conformance},
   * and an L2 timeout of {@link #operationTimeout()} so that only real failures, never a slow
   * machine, turn reads into misses.
   */
  final TierCache tierCacheOn(Backend backend) {
    return TierCache.builder().namespace("conformance").backend(TierCache.DEFAULT, backend)
        .l2Timeout(operationTimeout()).build();
  }

  /** Waits until the writes the engine started through {@code recorder} have all succeeded. */
  final void awaitWritesLanded(RecordingBackend recorder) {
    assertThat(recorder.awaitWrites(operationTimeout())).as("writes that failed").isZero();
  }

  private static CachedFunction1<Integer, String> priceFunction(TierCache cache,
      AtomicInteger computations) {
    return cache.function("price", String.class).l1MaxSize(0).tags("catalog", "prices")
        .of((Integer id) -> "price " + id + " #" + computations.incrementAndGet());
  }

  private static CachedFunction1<Integer, String> stockFunction(TierCache cache,
      AtomicInteger computations) {
    return cache.function("stock", String.class).l1MaxSize(0).tags("warehouse")
        .of((Integer id) -> "stock " + id + " #" + computations.incrementAndGet());
  }

  private static CachedFunction2<String, String, String> joinFunction(TierCache cache,
      AtomicInteger computations) {
    return cache.function("join", String.class).l1MaxSize(0)
        .of((String a, String b) -> a + "|" + b + "#" + computations.incrementAndGet());
  }

  private static String joined(List<String> args, int computation) {
    return args.get(0) + "|" + args.get(1) + "#" + computation;
  }

  /** A tag version as the engine stores it: 8 bytes, big-endian. */
  private static byte[] version(long v) {
    byte[] b = new byte[8];
    for (int i = 7; i >= 0; i--) {
      b[i] = (byte) v;
      v >>>= 8;
    }
    return b;
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
