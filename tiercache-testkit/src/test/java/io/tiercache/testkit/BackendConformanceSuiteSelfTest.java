package io.tiercache.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.tiercache.ManualTimeSource;
import io.tiercache.backend.Backend;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
  private static final int SUITE_TESTS = 25;

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
        "clearRemovesEverythingAndTheBackendStaysUsable");
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
        "entriesWithOneSecondTtlAreVisibleAtOnceAndGoneAfterTwoAndAHalfSeconds");
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
        "oneMebibyteValueRoundTripsExactly"); // its random bytes have high bits too
  }

  @Test
  void operationsThatNeverCompleteFailWithinTheOperationTimeout() {
    EngineExecutionResults results = run(NeverCompletes.class);

    // Every test, describeIsNotBlank too: its clean-up (clear) never completes either.
    results.testEvents().assertStatistics(stats ->
        stats.started(SUITE_TESTS).failed(SUITE_TESTS).succeeded(0));
    assertThat(results.testEvents().failed().stream()
            .map(event -> event.getRequiredPayload(TestExecutionResult.class)
                .getThrowable().orElseThrow().getMessage()))
        .allSatisfy(message -> assertThat(message).contains("did not complete within PT0.05S"));
  }

  // ---------------------------------------------------------------- harness

  private static EngineExecutionResults run(Class<?> suite) {
    return EngineTestKit.engine("junit-jupiter").selectors(selectClass(suite)).execute();
  }

  private static Set<String> failedTests(Class<? extends FaultySuite> suite) {
    EngineExecutionResults results = run(suite);
    results.containerEvents().assertStatistics(stats -> stats.failed(0));
    results.testEvents().assertStatistics(stats ->
        stats.started(SUITE_TESTS).skipped(0).aborted(0));
    Set<String> failed = new TreeSet<>();
    for (Event event : results.testEvents().failed().list()) {
      failed.add(event.getTestDescriptor().getSource()
          .map(source -> ((MethodSource) source).getMethodName())
          .orElseThrow());
    }
    return failed;
  }

  enum Fault {
    SHARES_ARRAYS, IGNORES_TTL, KEEPS_FIRST_TTL, NULLS_IN_GET_MANY, TRUNCATES_KEYS,
    DROPS_PUNCTUATION, EMPTY_AS_MISS, DELETE_ALWAYS_TRUE, CLEAR_DOES_NOTHING, MIXES_OVERWRITES,
    TRUNCATES_LARGE_VALUES, MASKS_HIGH_BIT, NEVER_COMPLETES
  }

  /** A plain map on a manual clock that misbehaves in the given ways. */
  static final class FaultyBackend implements Backend {
    private record Stored(byte[] bytes, long expiresAtNanos) {}

    private final Map<String, Stored> map = new ConcurrentHashMap<>();
    private final ManualTimeSource clock;
    private final Set<Fault> faults;

    FaultyBackend(ManualTimeSource clock, Set<Fault> faults) {
      this.clock = clock;
      this.faults = faults;
    }

    @Override
    public CompletionStage<byte[]> get(String key) {
      if (faults.contains(Fault.NEVER_COMPLETES)) {
        return new CompletableFuture<>();
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
      byte[] fresh = bytes;
      map.compute(key(key), (k, old) -> {
        if (old == null) {
          return new Stored(fresh, expiresAt);
        }
        byte[] next = fresh;
        if (faults.contains(Fault.MIXES_OVERWRITES)) {
          next = fresh.clone();
          for (int i = next.length / 2; i < Math.min(next.length, old.bytes.length); i++) {
            next[i] = old.bytes[i];
          }
        }
        return new Stored(next,
            faults.contains(Fault.KEEPS_FIRST_TTL) ? old.expiresAtNanos : expiresAt);
      });
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Boolean> delete(String key) {
      if (faults.contains(Fault.NEVER_COMPLETES)) {
        return new CompletableFuture<>();
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
      if (!faults.contains(Fault.CLEAR_DOES_NOTHING)) {
        map.clear();
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
      return new FaultyBackend(clock, faults);
    }

    @Override
    protected void advanceTime(Duration duration) {
      clock.advance(duration);
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
