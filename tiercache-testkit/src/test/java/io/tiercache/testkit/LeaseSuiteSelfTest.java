package io.tiercache.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.tiercache.ManualTimeSource;
import io.tiercache.backend.LeasingBackend;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * Shows that the lease suite's tests can fail: runs it against a small map-based leasing backend,
 * correct first (everything passes), then with one deliberate fault at a time, and checks that
 * exactly the tests meant to catch that fault fail. The suites it runs are static nested classes,
 * which surefire and Jupiter do not run on their own.
 */
class LeaseSuiteSelfTest {
  private static final int SUITE_TESTS = 11;

  @Test
  void correctBackendPassesEveryTest() {
    run(Correct.class).testEvents().assertStatistics(stats ->
        stats.started(SUITE_TESTS).succeeded(SUITE_TESTS).failed(0).skipped(0).aborted(0));
  }

  @Test
  void grantingEveryLeaseIsCaught() {
    assertThat(failedTests(GrantsEverything.class)).containsExactlyInAnyOrder(
        "aFreeLeaseIsTakenByTheFirstTokenAndRefusedToAnother",
        "onlyTheHoldersTokenReleasesTheLease",
        "aLeaseExpiresAfterItsTtlAndTheExpiredHolderCannotReleaseItsSuccessors",
        "ofSixteenConcurrentAcquirersExactlyOneWinsEveryRound",
        "leasesOnDifferentKeysAndEntriesStayApart",
        "throughTierCachesWithALeaseOneOfSixProcessesComputesAndTheOthersGetItsResult",
        "throughTierCachesAHolderThatOutlivesTheWaitLetsTheOtherComputeAfterIt",
        "throughTierCachesAHolderWhoseComputationFailsHandsTheLeaseToAWaiter");
  }

  @Test
  void releasingWithAnyTokenIsCaught() {
    assertThat(failedTests(ReleasesWithAnyToken.class)).containsExactlyInAnyOrder(
        "onlyTheHoldersTokenReleasesTheLease",
        "aLeaseExpiresAfterItsTtlAndTheExpiredHolderCannotReleaseItsSuccessors",
        "leaseKeysOf250CharactersAndTokensOf64AreKeptApart");
  }

  @Test
  void leasesThatNeverExpireAreCaught() {
    assertThat(failedTests(NeverExpires.class)).containsExactly(
        "aLeaseExpiresAfterItsTtlAndTheExpiredHolderCannotReleaseItsSuccessors");
  }

  @Test
  void reentrantLeasesAreCaught() {
    assertThat(failedTests(Reentrant.class)).containsExactly(
        "aFreeLeaseIsTakenByTheFirstTokenAndRefusedToAnother");
  }

  @Test
  void leasesStoredUnderTheEntryKeyAreCaught() {
    assertThat(failedTests(SharesEntryKeys.class)).containsExactly(
        "leasesOnDifferentKeysAndEntriesStayApart");
  }

  private static EngineExecutionResults run(Class<?> suite) {
    return EngineTestKit.engine("junit-jupiter").selectors(selectClass(suite)).execute();
  }

  private static Set<String> failedTests(Class<? extends LeaseSuite> suite) {
    EngineExecutionResults results = run(suite);
    results.containerEvents().assertStatistics(stats -> stats.failed(0));
    results.testEvents().assertStatistics(stats -> stats.started(SUITE_TESTS).skipped(0).aborted(0));
    Set<String> failed = new TreeSet<>();
    for (Event event : results.testEvents().failed().list()) {
      failed.add(event.getTestDescriptor().getSource()
          .map(source -> ((MethodSource) source).getMethodName()).orElseThrow());
    }
    return failed;
  }

  /** What can go wrong, one at a time. */
  enum Fault { NONE, GRANTS_EVERYTHING, RELEASES_WITH_ANY_TOKEN, NEVER_EXPIRES, REENTRANT, SHARES_ENTRY_KEYS }

  /** A map-based leasing store on a manual clock, with one fault. */
  static final class MapLeasingBackend implements LeasingBackend {
    private record Held(byte[] value, long expiresAtNanos) {}

    private final Map<String, Held> map = new ConcurrentHashMap<>();
    private final ManualTimeSource clock;
    private final Fault fault;

    MapLeasingBackend(ManualTimeSource clock, Fault fault) {
      this.clock = clock;
      this.fault = fault;
    }

    private boolean live(Held held) {
      return held != null && (held.expiresAtNanos == 0 || clock.nanoTime() < held.expiresAtNanos);
    }

    private String leaseKey(String key) {
      return fault == Fault.SHARES_ENTRY_KEYS ? key.replace("#l:", "") : key;
    }

    @Override
    public CompletionStage<byte[]> get(String key) {
      Held held = map.get(key);
      return CompletableFuture.completedFuture(live(held) ? held.value.clone() : null);
    }

    @Override
    public CompletionStage<Map<String, byte[]>> getMany(Collection<String> keys) {
      Map<String, byte[]> found = new HashMap<>();
      for (String key : keys) {
        Held held = map.get(key);
        if (live(held)) {
          found.put(key, held.value.clone());
        }
      }
      return CompletableFuture.completedFuture(found);
    }

    @Override
    public CompletionStage<Void> set(String key, byte[] value, Duration ttl) {
      long expires = ttl.isZero() ? 0 : clock.nanoTime() + ttl.toNanos();
      map.put(key, new Held(value.clone(), expires));
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Boolean> delete(String key) {
      return CompletableFuture.completedFuture(live(map.remove(key)));
    }

    @Override
    public CompletionStage<Void> clear() {
      map.clear();
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Boolean> tryLease(String key, String token, Duration ttl) {
      String k = leaseKey(key);
      byte[] mine = token.getBytes();
      long expires = fault == Fault.NEVER_EXPIRES ? 0 : clock.nanoTime() + ttl.toNanos();
      if (fault == Fault.GRANTS_EVERYTHING) {
        map.put(k, new Held(mine, expires));
        return CompletableFuture.completedFuture(true);
      }
      boolean[] taken = {false};
      map.compute(k, (ignored, held) -> {
        if (live(held) && !(fault == Fault.REENTRANT && Arrays.equals(held.value, mine))) {
          return held;
        }
        taken[0] = true;
        return new Held(mine, expires);
      });
      return CompletableFuture.completedFuture(taken[0]);
    }

    @Override
    public CompletionStage<Boolean> releaseLease(String key, String token) {
      String k = leaseKey(key);
      byte[] mine = token.getBytes();
      boolean[] released = {false};
      map.computeIfPresent(k, (ignored, held) -> {
        if (live(held) && (fault == Fault.RELEASES_WITH_ANY_TOKEN || Arrays.equals(held.value, mine))) {
          released[0] = true;
          return null;
        }
        return held;
      });
      return CompletableFuture.completedFuture(released[0]);
    }
  }

  /** The suite on a {@link MapLeasingBackend} with a fault; "processes" share one store. */
  abstract static class FaultySuite extends LeaseSuite {
    private final ManualTimeSource clock = new ManualTimeSource();
    private MapLeasingBackend store;

    abstract Fault fault();

    @Override
    protected LeasingBackend createBackend() {
      if (store == null) {
        store = new MapLeasingBackend(clock, fault());
      }
      return store;
    }

    @Override
    protected void advanceTime(Duration duration) {
      clock.advance(duration);
    }
  }

  static class Correct extends FaultySuite {
    @Override
    Fault fault() {
      return Fault.NONE;
    }
  }

  static class GrantsEverything extends FaultySuite {
    @Override
    Fault fault() {
      return Fault.GRANTS_EVERYTHING;
    }
  }

  static class ReleasesWithAnyToken extends FaultySuite {
    @Override
    Fault fault() {
      return Fault.RELEASES_WITH_ANY_TOKEN;
    }
  }

  static class NeverExpires extends FaultySuite {
    @Override
    Fault fault() {
      return Fault.NEVER_EXPIRES;
    }
  }

  static class Reentrant extends FaultySuite {
    @Override
    Fault fault() {
      return Fault.REENTRANT;
    }
  }

  static class SharesEntryKeys extends FaultySuite {
    @Override
    Fault fault() {
      return Fault.SHARES_ENTRY_KEYS;
    }
  }
}
