package io.tiercache.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.tiercache.ManualTimeSource;
import io.tiercache.backend.Backend;
import java.net.ConnectException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * Shows that the conformance suite's tests can fail: runs it against a small map-based backend,
 * first correct (everything passes), then with one deliberate fault at a time, and checks that
 * exactly the tests meant to catch that fault fail.
 *
 * <p>The suites it runs are static nested classes, which surefire and Jupiter do not run on their
 * own.
 */
class BackendConformanceSuiteSelfTest {
  /** Tests in {@link BackendConformanceSuite}. */
  private static final int SUITE_TESTS = 30;
  /** Tests in {@link ServerBackendConformanceSuite}: the base suite's and the outage tests. */
  private static final int SERVER_SUITE_TESTS = SUITE_TESTS + 3;

  @Test
  void correctBackendPassesEveryTest() {
    EngineExecutionResults results = run(Correct.class);

    results.testEvents().assertStatistics(stats ->
        stats.started(SUITE_TESTS).succeeded(SUITE_TESTS).failed(0).skipped(0).aborted(0));
  }

  @Test
  void sharingArraysWithCallersIsCaught() {
    assertThat(failedTests(SharesArrays.class)).containsExactlyInAnyOrder(
        "mutatingTheArrayPassedToSetDoesNotChangeTheStoredValue",
        "mutatingTheArraysPassedToSetManyDoesNotChangeTheStoredValues",
        "mutatingTheArrayReturnedByGetDoesNotChangeTheNextGet",
        "mutatingTheArraysReturnedByGetManyDoesNotChangeTheNextRead");
  }

  @Test
  void ignoringTtlsIsCaught() {
    assertThat(failedTests(IgnoresTtl.class)).containsExactlyInAnyOrder(
        "entriesWithOneSecondTtlAreVisibleAtOnceAndGoneAfterTwoAndAHalfSeconds",
        "entriesWithoutExpiryOrWithLongTtlSurviveWhileShortTtlEntriesExpire");
  }

  @Test
  void keepingTheFirstTtlOnOverwriteIsCaught() {
    assertThat(failedTests(KeepsFirstTtl.class)).containsExactlyInAnyOrder(
        "entriesWithOneSecondTtlAreVisibleAtOnceAndGoneAfterTwoAndAHalfSeconds",
        "entriesWithoutExpiryOrWithLongTtlSurviveWhileShortTtlEntriesExpire");
  }

  @Test
  void reportingMissingKeysAsNullsInGetManyIsCaught() {
    assertThat(failedTests(NullsInGetMany.class)).containsExactlyInAnyOrder(
        "getManyReturnsExactlyThePresentKeysWithTheirValues",
        "getManyOfOnlyMissingKeysReturnsAnEmptyMap",
        "setManyAndGetManyHandleAThousandDistinctKeys",
        "entriesWithOneSecondTtlAreVisibleAtOnceAndGoneAfterTwoAndAHalfSeconds",
        "clearRemovesEverythingAndTheBackendStaysUsable",
        "tagVersionsReadInOneBatchWithTheirEntryShowEveryOverwrite");
  }

  @Test
  void truncatingLongKeysIsCaught() {
    assertThat(failedTests(TruncatesKeys.class))
        .containsExactly("keyOfExactly250AsciiCharactersIsStoredWithoutTruncation");
  }

  @Test
  void droppingPunctuationFromKeysIsCaught() {
    assertThat(failedTests(DropsPunctuation.class))
        .containsExactly("keysWithTheStructuralPunctuationOfTiercacheKeysAreDistinctAndUsable");
  }

  @Test
  void turningEmptyValuesIntoMissesIsCaught() {
    assertThat(failedTests(EmptyAsMiss.class)).containsExactlyInAnyOrder(
        "emptyValueComesBackEmptyNotNull",
        "setManyThenGetManyReturnsEveryEntry");
  }

  @Test
  void reportingEveryDeleteAsSuccessfulIsCaught() {
    assertThat(failedTests(DeleteAlwaysTrue.class)).containsExactlyInAnyOrder(
        "deleteOfPresentKeyReturnsTrueRemovesItAndSecondDeleteReturnsFalse",
        "deleteOfMissingKeyReturnsFalse",
        "entriesWithOneSecondTtlAreVisibleAtOnceAndGoneAfterTwoAndAHalfSeconds",
        "clearRemovesEverythingAndTheBackendStaysUsable");
  }

  @Test
  void clearThatClearsNothingIsCaught() {
    assertThat(failedTests(ClearDoesNothing.class))
        .containsExactly("clearRemovesEverythingAndTheBackendStaysUsable");
  }

  @Test
  void tornOverwritesAreCaught() {
    assertThat(failedTests(MixesOverwrites.class)).containsExactlyInAnyOrder(
        "concurrentOverwritesOfOneKeyLeaveExactlyOneOfTheWrittenValues",
        "setOverwritesThePreviousValue",
        // overwrites "forever" with "short" before checking that the TTL applies
        "entriesWithOneSecondTtlAreVisibleAtOnceAndGoneAfterTwoAndAHalfSeconds",
        // invalidation overwrites a tag version; the second writer of an entry overwrites it
        "tagVersionsReadInOneBatchWithTheirEntryShowEveryOverwrite",
        "throughATierCacheTagInvalidationRecomputesExactlyTheTaggedEntries");
  }

  @Test
  void writesThatLandAfterALaterDeleteAreCaught() {
    assertThat(failedTests(WritesOvertaken.class))
        .containsExactly("commandsOnOneKeyTakeEffectInTheOrderTheyWereStarted");
  }

  @Test
  void losingBytesOfLargeValuesIsCaught() {
    assertThat(failedTests(TruncatesLargeValues.class))
        .containsExactly("oneMebibyteValueRoundTripsExactly");
  }

  @Test
  void corruptingHighBytesIsCaught() {
    assertThat(failedTests(MasksHighBit.class)).containsExactlyInAnyOrder(
        "valueWithAllByteValuesRoundTripsExactly",
        "oneMebibyteValueRoundTripsExactly", // its random bytes have high bits too
        "tagVersionsReadInOneBatchWithTheirEntryShowEveryOverwrite", // so do the versions
        "throughATierCacheTagInvalidationRecomputesExactlyTheTaggedEntries",
        // values holding non-ASCII text come back corrupt: a counted miss, computed again
        "throughATierCacheUnicodeSeparatorsAndVeryLongArgumentsGetDistinctValidKeys");
  }

  @Test
  void operationsThatNeverCompleteFailWithinTheOperationTimeout() {
    EngineExecutionResults results = run(NeverCompletes.class);

    // Every test, describeIsNotBlank too: its clean-up (clear) never completes either.
    results.testEvents().assertStatistics(stats ->
        stats.started(SUITE_TESTS).failed(SUITE_TESTS).succeeded(0));
    Map<String, String> messages = new TreeMap<>();
    for (Event event : results.testEvents().failed().list()) {
      messages.put(methodName(event), event.getRequiredPayload(TestExecutionResult.class)
          .getThrowable().orElseThrow().getMessage());
    }
    messages.forEach((test, message) -> {
      if (test.startsWith("throughATierCache")) {
        // The engine bounds its own waits and computes instead, so the writer's calls succeed:
        // what fails is that nothing reached L2.
        assertThat(message).as(test).contains("L2 errors of the writer");
      } else {
        assertThat(message).as(test).contains("did not complete within PT0.05S");
      }
    });
  }

  @Test
  void readingLongTtlsAsDatesIsCaught() {
    assertThat(failedTests(LongTtlAsDate.class))
        .containsExactly("ttlsOfThirtyDaysAndLongerKeepTheEntry");
  }

  @Test
  void batchReadsThatMissOverwritesAreCaught() {
    assertThat(failedTests(GetManyRemembersReads.class)).containsExactlyInAnyOrder(
        "tagVersionsReadInOneBatchWithTheirEntryShowEveryOverwrite",
        "throughATierCacheTagInvalidationRecomputesExactlyTheTaggedEntries");
  }

  @Test
  void keysThatLoseTheirEscapingAreCaught() {
    assertThat(failedTests(PercentDecodesKeys.class)).containsExactlyInAnyOrder(
        // escaped separators turn into real ones: two argument lists share a key
        "throughATierCacheUnicodeSeparatorsAndVeryLongArgumentsGetDistinctValidKeys",
        // its key holds every printable character, '%' followed by non-hex digits too
        "keyOfExactly250AsciiCharactersIsStoredWithoutTruncation");
  }

  // ---------------------------------------------------------------- server suite

  @Test
  void correctServerBackendPassesEveryTestOfTheServerSuite() {
    EngineExecutionResults results = run(CorrectServer.class);

    assertThat(results.testEvents().failed().list()).as("failed tests of the server suite")
        .extracting(event -> methodName(event) + ": " + event.getPayload(TestExecutionResult.class)
            .flatMap(TestExecutionResult::getThrowable).orElse(null))
        .isEmpty();
    results.testEvents().assertStatistics(stats -> stats.started(SERVER_SUITE_TESTS)
        .succeeded(SERVER_SUITE_TESTS).failed(0).skipped(0).aborted(0));
  }

  @Test
  void operationsThatHangWhileTheServerIsStoppedAreCaught() {
    assertThat(failedServerTests(HangsWhileDown.class)).containsExactlyInAnyOrder(
        "whileTheServerIsStoppedEveryOperationFailsOrMissesWithinTheTimeoutAndNeverThrows",
        "afterTheServerIsStartedAgainTheSameBackendRecoversByItself", // it also calls while down
        "throughATierCacheAStoppedServerCostsComputationsOnlyAndHitsResumeWhenItIsBack");
  }

  @Test
  void operationsThatThrowWhileTheServerIsStoppedAreCaught() {
    assertThat(failedServerTests(ThrowsWhileDown.class)).containsExactlyInAnyOrder(
        "whileTheServerIsStoppedEveryOperationFailsOrMissesWithinTheTimeoutAndNeverThrows",
        "afterTheServerIsStartedAgainTheSameBackendRecoversByItself");
  }

  @Test
  void servingStaleValuesWhileTheServerIsStoppedIsCaught() {
    assertThat(failedServerTests(ServesStaleWhileDown.class)).containsExactlyInAnyOrder(
        "whileTheServerIsStoppedEveryOperationFailsOrMissesWithinTheTimeoutAndNeverThrows",
        "throughATierCacheAStoppedServerCostsComputationsOnlyAndHitsResumeWhenItIsBack");
  }

  @Test
  void notRecoveringAfterTheServerStartsAgainIsCaught() {
    assertThat(failedServerTests(NeverRecovers.class)).containsExactlyInAnyOrder(
        "whileTheServerIsStoppedEveryOperationFailsOrMissesWithinTheTimeoutAndNeverThrows",
        "afterTheServerIsStartedAgainTheSameBackendRecoversByItself",
        "throughATierCacheAStoppedServerCostsComputationsOnlyAndHitsResumeWhenItIsBack");
  }

  // ---------------------------------------------------------------- harness

  private static EngineExecutionResults run(Class<?> suite) {
    return EngineTestKit.engine("junit-jupiter").selectors(selectClass(suite)).execute();
  }

  private static Set<String> failedTests(Class<? extends FaultySuite> suite) {
    return failed(suite, SUITE_TESTS);
  }

  private static Set<String> failedServerTests(Class<? extends FaultyServerSuite> suite) {
    return failed(suite, SERVER_SUITE_TESTS);
  }

  private static Set<String> failed(Class<?> suite, int tests) {
    EngineExecutionResults results = run(suite);
    results.containerEvents().assertStatistics(stats -> stats.failed(0));
    results.testEvents().assertStatistics(stats ->
        stats.started(tests).skipped(0).aborted(0));
    Set<String> failed = new TreeSet<>();
    for (Event event : results.testEvents().failed().list()) {
      failed.add(methodName(event));
    }
    return failed;
  }

  private static String methodName(Event event) {
    return event.getTestDescriptor().getSource()
        .map(source -> ((MethodSource) source).getMethodName())
        .orElseThrow();
  }

  enum Fault {
    SHARES_ARRAYS, IGNORES_TTL, KEEPS_FIRST_TTL, NULLS_IN_GET_MANY, TRUNCATES_KEYS,
    DROPS_PUNCTUATION, EMPTY_AS_MISS, DELETE_ALWAYS_TRUE, CLEAR_DOES_NOTHING, MIXES_OVERWRITES,
    TRUNCATES_LARGE_VALUES, MASKS_HIGH_BIT, NEVER_COMPLETES,
    /** memcached's trap: an expiry over 30 days read as a Unix time, i.e. in the past. */
    LONG_TTL_AS_DATE,
    /** getMany answers a key it has answered before from a copy of that first answer. */
    GET_MANY_REMEMBERS_READS,
    /** Percent-escapes in keys are decoded before use (e.g. a key put into a URL as it is). */
    PERCENT_DECODES_KEYS,
    /** Writes land a little later than deletes started after them (two connections, say). */
    WRITES_OVERTAKEN,
    // While the server is stopped:
    /** operations never complete. */
    HANGS_WHILE_DOWN,
    /** operations throw instead of failing their stage. */
    THROWS_WHILE_DOWN,
    /** reads answer from what the server held before it stopped. */
    SERVES_STALE_WHILE_DOWN,
    /** once the server was seen stopped, operations fail for good (no reconnection). */
    NEVER_RECOVERS
  }

  /**
   * The server a {@link FaultyBackend} talks to: data lives here, and a stop makes it unreachable;
   * like a cache server without persistence, it starts again empty.
   */
  static final class FakeServer implements ServerControl {
    final Map<String, FaultyBackend.Stored> map = new ConcurrentHashMap<>();
    volatile boolean running = true;

    @Override
    public void stop() {
      running = false;
    }

    @Override
    public void start() {
      if (!running) {
        map.clear();
        running = true;
      }
    }
  }

  /** A plain map on a manual clock that misbehaves in the given ways. */
  static final class FaultyBackend implements Backend {
    record Stored(byte[] bytes, long expiresAtNanos) {}

    private final FakeServer server;
    private final Map<String, Stored> map;
    private final ManualTimeSource clock;
    private final Set<Fault> faults;
    private final Map<String, byte[]> remembered = new ConcurrentHashMap<>();
    private volatile boolean broken;

    FaultyBackend(FakeServer server, ManualTimeSource clock, Set<Fault> faults) {
      this.server = server;
      this.map = server.map;
      this.clock = clock;
      this.faults = faults;
    }

    /** A stage for an operation the server cannot serve now, or null when it can. */
    private <T> CompletableFuture<T> unavailable() {
      if (server.running && !broken) {
        return null;
      }
      if (faults.contains(Fault.NEVER_RECOVERS)) {
        broken = true;
      }
      if (faults.contains(Fault.HANGS_WHILE_DOWN)) {
        return new CompletableFuture<>();
      }
      if (faults.contains(Fault.THROWS_WHILE_DOWN)) {
        throw new IllegalStateException("not connected");
      }
      return CompletableFuture.failedFuture(new ConnectException("connection refused"));
    }

    private boolean readsFromStaleCopy() {
      return faults.contains(Fault.SERVES_STALE_WHILE_DOWN) && !server.running;
    }

    @Override
    public CompletionStage<byte[]> get(String key) {
      if (faults.contains(Fault.NEVER_COMPLETES)) {
        return new CompletableFuture<>();
      }
      CompletableFuture<byte[]> down = readsFromStaleCopy() ? null : unavailable();
      if (down != null) {
        return down;
      }
      Stored stored = live(key(key));
      if (stored == null || (faults.contains(Fault.EMPTY_AS_MISS) && stored.bytes.length == 0)) {
        return CompletableFuture.completedFuture(null);
      }
      return CompletableFuture.completedFuture(
          faults.contains(Fault.SHARES_ARRAYS) ? stored.bytes : stored.bytes.clone());
    }

    @Override
    public CompletionStage<Map<String, byte[]>> getMany(Collection<String> keys) {
      if (faults.contains(Fault.GET_MANY_REMEMBERS_READS)) {
        return Backend.super.getMany(keys).thenApply(found -> {
          Map<String, byte[]> answer = new LinkedHashMap<>();
          found.forEach((key, value) -> answer.put(key,
              remembered.computeIfAbsent(key, k -> value.clone()).clone()));
          return answer;
        });
      }
      if (!faults.contains(Fault.NULLS_IN_GET_MANY)) {
        return Backend.super.getMany(keys);
      }
      Map<String, byte[]> found = new LinkedHashMap<>();
      for (String key : keys) {
        found.put(key, get(key).toCompletableFuture().join());
      }
      return CompletableFuture.completedFuture(found);
    }

    @Override
    public CompletionStage<Void> set(String key, byte[] value, Duration ttl) {
      if (faults.contains(Fault.NEVER_COMPLETES)) {
        return new CompletableFuture<>();
      }
      CompletableFuture<Void> down = unavailable();
      if (down != null) {
        return down;
      }
      byte[] bytes = faults.contains(Fault.SHARES_ARRAYS) ? value : value.clone();
      if (faults.contains(Fault.TRUNCATES_LARGE_VALUES) && bytes.length > 512 * 1024) {
        bytes = Arrays.copyOf(bytes, bytes.length - 1);
      }
      if (faults.contains(Fault.MASKS_HIGH_BIT)) {
        for (int i = 0; i < bytes.length; i++) {
          bytes[i] &= 0x7f;
        }
      }
      long expiresAt = ttl.isZero() || faults.contains(Fault.IGNORES_TTL)
          ? Long.MAX_VALUE
          : clock.nanoTime() + ttl.toNanos();
      if (faults.contains(Fault.LONG_TTL_AS_DATE) && ttl.compareTo(Duration.ofDays(30)) > 0) {
        expiresAt = Long.MIN_VALUE; // "a date in 1970": expired before it is stored
      }
      long expiry = expiresAt;
      byte[] fresh = bytes;
      if (faults.contains(Fault.WRITES_OVERTAKEN)) {
        return CompletableFuture.runAsync(() -> store(key, fresh, expiry),
            CompletableFuture.delayedExecutor(20, java.util.concurrent.TimeUnit.MILLISECONDS));
      }
      store(key, fresh, expiry);
      return CompletableFuture.completedFuture(null);
    }

    private void store(String key, byte[] fresh, long expiry) {
      map.compute(key(key), (k, old) -> {
        if (old == null) {
          return new Stored(fresh, expiry);
        }
        byte[] next = fresh;
        if (faults.contains(Fault.MIXES_OVERWRITES)) {
          next = fresh.clone();
          for (int i = next.length / 2; i < Math.min(next.length, old.bytes.length); i++) {
            next[i] = old.bytes[i];
          }
        }
        return new Stored(next,
            faults.contains(Fault.KEEPS_FIRST_TTL) ? old.expiresAtNanos : expiry);
      });
    }

    @Override
    public CompletionStage<Boolean> delete(String key) {
      if (faults.contains(Fault.NEVER_COMPLETES)) {
        return new CompletableFuture<>();
      }
      CompletableFuture<Boolean> down = unavailable();
      if (down != null) {
        return down;
      }
      boolean existed = live(key(key)) != null;
      map.remove(key(key));
      return CompletableFuture.completedFuture(existed || faults.contains(Fault.DELETE_ALWAYS_TRUE));
    }

    @Override
    public CompletionStage<Void> clear() {
      if (faults.contains(Fault.NEVER_COMPLETES)) {
        return new CompletableFuture<>();
      }
      CompletableFuture<Void> down = unavailable();
      if (down != null) {
        return down;
      }
      if (!faults.contains(Fault.CLEAR_DOES_NOTHING)) {
        map.clear();
        remembered.clear();
      }
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public String describe() {
      return "faulty" + faults;
    }

    private Stored live(String key) {
      Stored stored = map.get(key);
      return stored == null || clock.nanoTime() >= stored.expiresAtNanos ? null : stored;
    }

    private String key(String key) {
      if (faults.contains(Fault.TRUNCATES_KEYS) && key.length() > 249) {
        return key.substring(0, 249);
      }
      if (faults.contains(Fault.DROPS_PUNCTUATION)) {
        return key.replaceAll("[,\\[\\]{}~#=]", "");
      }
      if (faults.contains(Fault.PERCENT_DECODES_KEYS)) {
        return URLDecoder.decode(key.replace("+", "%2B"), StandardCharsets.UTF_8);
      }
      return key;
    }
  }

  /** The suite on a {@link FaultyBackend} with the given faults and a manual clock. */
  abstract static class FaultySuite extends BackendConformanceSuite {
    private final ManualTimeSource clock = new ManualTimeSource();
    private final Set<Fault> faults;

    FaultySuite(Fault... faults) {
      this.faults = faults.length == 0 ? EnumSet.noneOf(Fault.class) : EnumSet.copyOf(List.of(faults));
    }

    @Override
    protected Backend createBackend() {
      return new FaultyBackend(new FakeServer(), clock, faults);
    }

    @Override
    protected void advanceTime(Duration duration) {
      clock.advance(duration);
    }
  }

  /**
   * The server suite on a {@link FaultyBackend} whose {@link FakeServer} it stops and starts, with
   * short bounds so that hanging operations fail fast.
   */
  abstract static class FaultyServerSuite extends ServerBackendConformanceSuite {
    private final ManualTimeSource clock = new ManualTimeSource();
    private final FakeServer server = new FakeServer();
    private final Set<Fault> faults;

    FaultyServerSuite(Fault... faults) {
      this.faults = faults.length == 0 ? EnumSet.noneOf(Fault.class) : EnumSet.copyOf(List.of(faults));
    }

    @Override
    protected Backend createBackend() {
      return new FaultyBackend(server, clock, faults);
    }

    @Override
    protected ServerControl serverControl() {
      return server;
    }

    @Override
    protected void advanceTime(Duration duration) {
      clock.advance(duration);
    }

    /**
     * Short enough that the faulty backends' hanging operations fail fast, long enough that the
     * correct one's fake server answers within it on a loaded two-core CI machine (50 ms did not).
     */
    @Override
    protected Duration operationTimeout() {
      return Duration.ofMillis(250);
    }

    @Override
    protected Duration recoveryTimeout() {
      return Duration.ofSeconds(1);
    }
  }

  static final class CorrectServer extends FaultyServerSuite {}

  static final class HangsWhileDown extends FaultyServerSuite {
    HangsWhileDown() {
      super(Fault.HANGS_WHILE_DOWN);
    }
  }

  static final class ThrowsWhileDown extends FaultyServerSuite {
    ThrowsWhileDown() {
      super(Fault.THROWS_WHILE_DOWN);
    }
  }

  static final class ServesStaleWhileDown extends FaultyServerSuite {
    ServesStaleWhileDown() {
      super(Fault.SERVES_STALE_WHILE_DOWN);
    }
  }

  static final class NeverRecovers extends FaultyServerSuite {
    NeverRecovers() {
      super(Fault.NEVER_RECOVERS);
    }
  }

  static final class LongTtlAsDate extends FaultySuite {
    LongTtlAsDate() {
      super(Fault.LONG_TTL_AS_DATE);
    }
  }

  static final class GetManyRemembersReads extends FaultySuite {
    GetManyRemembersReads() {
      super(Fault.GET_MANY_REMEMBERS_READS);
    }
  }

  static final class PercentDecodesKeys extends FaultySuite {
    PercentDecodesKeys() {
      super(Fault.PERCENT_DECODES_KEYS);
    }
  }

  static final class Correct extends FaultySuite {}

  static final class SharesArrays extends FaultySuite {
    SharesArrays() {
      super(Fault.SHARES_ARRAYS);
    }
  }

  static final class IgnoresTtl extends FaultySuite {
    IgnoresTtl() {
      super(Fault.IGNORES_TTL);
    }
  }

  static final class KeepsFirstTtl extends FaultySuite {
    KeepsFirstTtl() {
      super(Fault.KEEPS_FIRST_TTL);
    }
  }

  static final class NullsInGetMany extends FaultySuite {
    NullsInGetMany() {
      super(Fault.NULLS_IN_GET_MANY);
    }
  }

  static final class TruncatesKeys extends FaultySuite {
    TruncatesKeys() {
      super(Fault.TRUNCATES_KEYS);
    }
  }

  static final class DropsPunctuation extends FaultySuite {
    DropsPunctuation() {
      super(Fault.DROPS_PUNCTUATION);
    }
  }

  static final class EmptyAsMiss extends FaultySuite {
    EmptyAsMiss() {
      super(Fault.EMPTY_AS_MISS);
    }
  }

  static final class DeleteAlwaysTrue extends FaultySuite {
    DeleteAlwaysTrue() {
      super(Fault.DELETE_ALWAYS_TRUE);
    }
  }

  static final class ClearDoesNothing extends FaultySuite {
    ClearDoesNothing() {
      super(Fault.CLEAR_DOES_NOTHING);
    }
  }

  static final class MixesOverwrites extends FaultySuite {
    MixesOverwrites() {
      super(Fault.MIXES_OVERWRITES);
    }
  }

  static final class WritesOvertaken extends FaultySuite {
    WritesOvertaken() {
      super(Fault.WRITES_OVERTAKEN);
    }
  }

  static final class TruncatesLargeValues extends FaultySuite {
    TruncatesLargeValues() {
      super(Fault.TRUNCATES_LARGE_VALUES);
    }
  }

  static final class MasksHighBit extends FaultySuite {
    MasksHighBit() {
      super(Fault.MASKS_HIGH_BIT);
    }
  }

  static final class NeverCompletes extends FaultySuite {
    NeverCompletes() {
      super(Fault.NEVER_COMPLETES);
    }

    @Override
    protected Duration operationTimeout() {
      return Duration.ofMillis(50);
    }
  }
}
