package io.tiercache.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.CacheInfo;
import io.tiercache.CachedFunction1;
import io.tiercache.ManualTimeSource;
import io.tiercache.TierCache;
import io.tiercache.TimeSource;
import io.tiercache.backend.LeasingBackend;
import io.tiercache.lease.LeaseStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link LeasingBackend}, as JUnit 5 tests: a backend that offers leases extends
 * this class (besides running {@link BackendConformanceSuite}) and supplies
 * {@link #createBackend()}.
 *
 * <pre>{@code
 * class MyBackendLeaseTest extends LeaseSuite {
 *   @Override protected LeasingBackend createBackend() { return new MyBackend(server); }
 * }
 * }</pre>
 *
 * <p>What it checks: a free lease is taken by exactly one token and is not re-entrant; only its
 * token releases it, a release with another token changes nothing; a lease expires after its TTL,
 * and a holder whose lease expired cannot release its successor's; 16 threads racing for one lease
 * leave exactly one winner, every round; leases on different keys, and entries, stay apart; lease
 * keys of 250 characters work. Then through several {@code TierCache}s, each on a backend of its
 * own from {@link #createBackend()} (separate connections to the same server, standing in for
 * processes): six processes calling one key at once compute it exactly once with a lease and six
 * times without; a holder that computes longer than the wait lets the other compute after the
 * wait (on a {@link ManualTimeSource}, no real waiting); a holder whose computation fails hands
 * the lease to a waiter, which computes.
 *
 * <p>Time: {@link #advanceTime(Duration)} sleeps by default (one test waits 2.5 s); a backend on a
 * manual clock overrides it. Isolation: tests use fixed keys under the namespace
 * {@code leasesuite} and rely on {@link #cleanUp(LeasingBackend)} (by default {@code clear()})
 * after each test.
 */
public abstract class LeaseSuite {
  private static final int RACERS = 16;
  private static final int ROUNDS = 20;
  private static final int PROCESSES = 6;
  private static final Duration HOUR = Duration.ofHours(1);

  private final List<LeasingBackend> created = new ArrayList<>();
  private LeasingBackend backend;
  private ExecutorService pool;

  /** For subclasses: one per backend implementation under test. */
  protected LeaseSuite() {}

  /**
   * A backend to test, called before each test and again for each extra "process" of the tests
   * through {@code TierCache}s: each call should give a backend with its own connections to the
   * same store. The store should hold no entries at the start of a test.
   *
   * @return a new backend on the shared, empty store
   */
  protected abstract LeasingBackend createBackend();

  /**
   * Lets at least {@code duration} pass for lease TTLs; the default sleeps.
   *
   * @param duration the least time that must pass
   * @throws InterruptedException if the thread is interrupted while waiting
   */
  protected void advanceTime(Duration duration) throws InterruptedException {
    Thread.sleep(duration.toMillis());
  }

  /**
   * Called after each test for every backend {@link #createBackend()} gave; the default clears it.
   *
   * @param backend a backend the test used
   */
  protected void cleanUp(LeasingBackend backend) {
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
   * The clock of the {@code TierCache}s that must wait out a lease; a {@link ManualTimeSource} by
   * default, so those waits pass without real time.
   *
   * @return the clock the waiting caches run on
   */
  protected TimeSource waitingClock() {
    return new ManualTimeSource();
  }

  @BeforeEach
  final void createBackendUnderTest() {
    pool = Executors.newCachedThreadPool();
    backend = newBackend();
  }

  @AfterEach
  final void cleanUpBackends() throws InterruptedException {
    pool.shutdownNow();
    boolean stopped = pool.awaitTermination(10, TimeUnit.SECONDS);
    for (LeasingBackend b : created) {
      cleanUp(b);
    }
    created.clear();
    assertThat(stopped).as("test threads stopped").isTrue();
  }

  private LeasingBackend newBackend() {
    LeasingBackend b = createBackend();
    assertThat(b).as("createBackend()").isNotNull();
    created.add(b);
    return b;
  }

  // ------------------------------------------------------------------------ the lease itself

  @Test
  void aFreeLeaseIsTakenByTheFirstTokenAndRefusedToAnother() {
    assertThat(tryLease("leasesuite:#l:f:s1", "token-a", HOUR)).isTrue();
    assertThat(tryLease("leasesuite:#l:f:s1", "token-b", HOUR)).isFalse();
    assertThat(tryLease("leasesuite:#l:f:s1", "token-a", HOUR)).as("not re-entrant").isFalse();
  }

  @Test
  void onlyTheHoldersTokenReleasesTheLease() {
    assertThat(tryLease("leasesuite:#l:f:s1", "token-a", HOUR)).isTrue();

    assertThat(release("leasesuite:#l:f:s1", "token-b")).isFalse();
    assertThat(tryLease("leasesuite:#l:f:s1", "token-c", HOUR)).as("still held by a").isFalse();

    assertThat(release("leasesuite:#l:f:s1", "token-a")).isTrue();
    assertThat(release("leasesuite:#l:f:s1", "token-a")).as("released once").isFalse();
    assertThat(tryLease("leasesuite:#l:f:s1", "token-c", HOUR)).isTrue();
  }

  @Test
  void releasingALeaseNobodyHoldsReturnsFalse() {
    assertThat(release("leasesuite:#l:f:never", "token-a")).isFalse();
    assertThat(tryLease("leasesuite:#l:f:never", "token-b", HOUR)).isTrue();
  }

  @Test
  void aLeaseExpiresAfterItsTtlAndTheExpiredHolderCannotReleaseItsSuccessors()
      throws InterruptedException {
    assertThat(tryLease("leasesuite:#l:f:s1", "token-a", Duration.ofSeconds(1))).isTrue();
    assertThat(tryLease("leasesuite:#l:f:s2", "token-a", HOUR)).isTrue();

    advanceTime(Duration.ofMillis(2_500));

    assertThat(tryLease("leasesuite:#l:f:s1", "token-b", HOUR)).as("expired").isTrue();
    assertThat(tryLease("leasesuite:#l:f:s2", "token-b", HOUR)).as("an hour's lease").isFalse();
    assertThat(release("leasesuite:#l:f:s1", "token-a")).isFalse();
    assertThat(tryLease("leasesuite:#l:f:s1", "token-c", HOUR)).as("still held by b").isFalse();
    assertThat(release("leasesuite:#l:f:s1", "token-b")).isTrue();
  }

  @Test
  void ofSixteenConcurrentAcquirersExactlyOneWinsEveryRound() throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      String key = "leasesuite:#l:race:n" + round;
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Boolean>> racers = new ArrayList<>();
      for (int i = 0; i < RACERS; i++) {
        String token = "token-" + round + "-" + i;
        racers.add(pool.submit(() -> {
          start.await();
          return await(backend.tryLease(key, token, HOUR));
        }));
      }
      start.countDown();
      int winners = 0;
      for (Future<Boolean> racer : racers) {
        winners += racer.get(operationTimeout().toMillis() * 2, TimeUnit.MILLISECONDS) ? 1 : 0;
      }
      assertThat(winners).as("winners of round " + round).isEqualTo(1);
    }
  }

  @Test
  void leasesOnDifferentKeysAndEntriesStayApart() {
    await(backend.set("leasesuite:f:s1", bytes("value"), HOUR));
    assertThat(tryLease("leasesuite:#l:f:s1", "token-a", HOUR)).isTrue();
    assertThat(tryLease("leasesuite:#l:f:s2", "token-a", HOUR)).isTrue();

    assertThat(await(backend.get("leasesuite:f:s1"))).isEqualTo(bytes("value"));
    assertThat(release("leasesuite:#l:f:s1", "token-a")).isTrue();
    assertThat(await(backend.get("leasesuite:f:s1"))).isEqualTo(bytes("value"));
    assertThat(tryLease("leasesuite:#l:f:s2", "token-b", HOUR)).isFalse();
  }

  @Test
  void leaseKeysOf250CharactersAndTokensOf64AreKeptApart() {
    String head = "leasesuite:#l:f:s";
    String a = head + "a".repeat(250 - head.length());
    String b = head + "a".repeat(249 - head.length()) + "b";
    String token = "t".repeat(63);
    assertThat(tryLease(a, token + "1", HOUR)).isTrue();
    assertThat(tryLease(b, token + "2", HOUR)).isTrue();
    assertThat(release(a, token + "2")).isFalse();
    assertThat(release(a, token + "1")).isTrue();
    assertThat(release(b, token + "2")).isTrue();
  }

  // ------------------------------------------------------------- through TierCaches (processes)

  @Test
  void throughTierCachesWithALeaseOneOfSixProcessesComputesAndTheOthersGetItsResult()
      throws Exception {
    AtomicInteger computations = new AtomicInteger();
    List<CachedFunction1<String, String>> processes = new ArrayList<>();
    for (int i = 0; i < PROCESSES; i++) {
      LeasingBackend own = i == 0 ? backend : newBackend();
      processes.add(tierCacheOn(own, TimeSource.system()).function("report", String.class)
          .lease(Duration.ofSeconds(30))
          .of((String day) -> {
            computations.incrementAndGet();
            // return only once every process has taken the lease or found it taken and waits
            awaitTrue(() -> sum(processes, LeaseStats::waits) + sum(processes, LeaseStats::leads) == PROCESSES);
            return "report " + day;
          }));
    }

    assertThat(callAtOnce(processes, "mon")).hasSize(PROCESSES).containsOnly("report mon");

    assertThat(computations).hasValue(1);
    assertThat(sum(processes, LeaseStats::leads)).isEqualTo(1);
    assertThat(sum(processes, LeaseStats::waitHits)).isEqualTo(PROCESSES - 1);
    assertThat(sum(processes, s -> s.takeovers() + s.timeouts() + s.failures())).isZero();
    assertThat(processes.stream().mapToLong(f -> f.cacheInfo().l2Hits()).sum()).isEqualTo(PROCESSES - 1);
    assertThat(processes.stream().mapToLong(f -> f.cacheInfo().l2Misses()).sum()).isEqualTo(1);
  }

  @Test
  void throughTierCachesWithoutALeaseAllSixProcessesCompute() throws Exception {
    AtomicInteger computations = new AtomicInteger();
    CountDownLatch allComputing = new CountDownLatch(PROCESSES);
    List<CachedFunction1<String, String>> processes = new ArrayList<>();
    for (int i = 0; i < PROCESSES; i++) {
      LeasingBackend own = i == 0 ? backend : newBackend();
      processes.add(tierCacheOn(own, TimeSource.system()).function("report", String.class)
          .of((String day) -> {
            computations.incrementAndGet();
            allComputing.countDown();
            awaitTrue(() -> allComputing.getCount() == 0); // all six compute at the same time
            return "report " + day;
          }));
    }

    assertThat(callAtOnce(processes, "mon")).hasSize(PROCESSES).containsOnly("report mon");
    assertThat(computations).hasValue(PROCESSES);
  }

  @Test
  void throughTierCachesAHolderThatOutlivesTheWaitLetsTheOtherComputeAfterIt() throws Exception {
    AtomicInteger computations = new AtomicInteger();
    CountDownLatch holderComputing = new CountDownLatch(1);
    CountDownLatch holderMayReturn = new CountDownLatch(1);
    CachedFunction1<String, String> holder = tierCacheOn(backend, TimeSource.system())
        .function("report", String.class).lease(Duration.ofSeconds(1), HOUR)
        .of((String day) -> {
          computations.incrementAndGet();
          holderComputing.countDown();
          awaitTrue(() -> holderMayReturn.getCount() == 0);
          return "slow " + day;
        });
    TimeSource clock = waitingClock();
    TierCache otherCache = tierCacheOn(newBackend(), clock);
    // an entry computed while the channel does not deliver yet lives at most its bound from the
    // computation's start, which this clock passes while waiting: let the channel deliver first
    awaitTrue(() -> otherCache.coherence().delivering());
    CachedFunction1<String, String> other = otherCache
        .function("report", String.class).lease(Duration.ofSeconds(1), HOUR)
        .of((String day) -> {
          computations.incrementAndGet();
          return "own " + day;
        });

    Future<String> slow = pool.submit(() -> holder.apply("mon"));
    awaitTrue(() -> holderComputing.getCount() == 0);
    long before = clock.nanoTime();
    assertThat(other.apply("mon")).isEqualTo("own mon");
    assertThat(clock.nanoTime() - before).as("waited the lease's wait")
        .isGreaterThanOrEqualTo(Duration.ofSeconds(1).toNanos());
    holderMayReturn.countDown();
    assertThat(slow.get(operationTimeout().toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("slow mon");

    assertThat(computations).hasValue(2);
    assertThat(holder.leaseStats()).isEqualTo(new LeaseStats(1, 0, 0, 0, 0, 0));
    assertThat(other.leaseStats()).isEqualTo(new LeaseStats(0, 1, 0, 0, 1, 0));
    assertThat(other.cacheInfo()).isEqualTo(new CacheInfo(0, 1, 0, 1, 128, 1));
  }

  @Test
  void throughTierCachesAHolderWhoseComputationFailsHandsTheLeaseToAWaiter() throws Exception {
    AtomicInteger computations = new AtomicInteger();
    CountDownLatch holderComputing = new CountDownLatch(1);
    List<CachedFunction1<String, String>> waiter = new ArrayList<>();
    CachedFunction1<String, String> holder = tierCacheOn(backend, TimeSource.system())
        .function("report", String.class).lease(Duration.ofSeconds(30))
        .of((String day) -> {
          computations.incrementAndGet();
          holderComputing.countDown();
          awaitTrue(() -> waiter.get(0).leaseStats().waits() + waiter.get(0).leaseStats().leads() == 1);
          throw new IllegalStateException("database down");
        });
    waiter.add(tierCacheOn(newBackend(), TimeSource.system()).function("report", String.class)
        .lease(Duration.ofSeconds(30))
        .of((String day) -> {
          computations.incrementAndGet();
          return "own " + day;
        }));

    Future<String> failing = pool.submit(() -> holder.apply("mon"));
    awaitTrue(() -> holderComputing.getCount() == 0);
    assertThat(waiter.get(0).apply("mon")).isEqualTo("own mon");
    try {
      failing.get(operationTimeout().toMillis(), TimeUnit.MILLISECONDS);
      throw new AssertionError("the holder's call should have failed");
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(IllegalStateException.class).hasMessage("database down");
    }

    assertThat(computations).hasValue(2);
    assertThat(waiter.get(0).leaseStats()).isEqualTo(new LeaseStats(0, 1, 0, 1, 0, 0));
  }

  // ----------------------------------------------------------------------------- helpers

  /**
   * Awaits {@code tryLease} on the backend under test.
   *
   * @param key the key the lease guards
   * @param token the lease holder's token
   * @param ttl how long the lease lasts unless released
   * @return true if the lease was taken
   */
  protected final boolean tryLease(String key, String token, Duration ttl) {
    Boolean taken = await(backend.tryLease(key, token, ttl));
    assertThat(taken).as("tryLease result").isNotNull();
    return taken;
  }

  /**
   * Awaits {@code releaseLease} on the backend under test.
   *
   * @param key the key the lease guards
   * @param token the lease holder's token
   * @return true if this call ended the lease
   */
  protected final boolean release(String key, String token) {
    Boolean released = await(backend.releaseLease(key, token));
    assertThat(released).as("releaseLease result").isNotNull();
    return released;
  }

  /**
   * The backend under test in the current test.
   *
   * @return the backend under test
   */
  protected final LeasingBackend backend() {
    return backend;
  }

  /**
   * Waits for {@code stage} for at most {@link #operationTimeout()}; failure fails the test.
   *
   * @param <T> the stage's value type
   * @param stage the backend operation to wait for
   * @return the stage's value
   */
  protected final <T> T await(CompletionStage<T> stage) {
    Duration timeout = operationTimeout();
    try {
      return stage.toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError(backend.describe() + ": operation failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError(backend.describe() + ": operation did not complete within " + timeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /**
   * A {@code TierCache} standing in for one process: namespace {@code leasesuite}, and an L2
   * timeout of {@link #operationTimeout()} so that only real failures, never a slow machine, end
   * a read or a lease request.
   */
  private TierCache tierCacheOn(LeasingBackend b, TimeSource clock) {
    return TierCache.builder().namespace("leasesuite").backend(TierCache.DEFAULT, b)
        .l2Timeout(operationTimeout()).timeSource(clock).build();
  }

  private List<String> callAtOnce(List<CachedFunction1<String, String>> processes, String day)
      throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    List<Future<String>> calls = new ArrayList<>();
    for (CachedFunction1<String, String> f : processes) {
      calls.add(pool.submit(() -> {
        start.await();
        return f.apply(day);
      }));
    }
    start.countDown();
    List<String> results = new ArrayList<>();
    for (Future<String> call : calls) {
      results.add(call.get(60, TimeUnit.SECONDS));
    }
    return results;
  }

  private static long sum(List<CachedFunction1<String, String>> fs, ToLongFunction<LeaseStats> field) {
    return fs.stream().mapToLong(f -> field.applyAsLong(f.leaseStats())).sum();
  }

  /** Waits up to 30 s for {@code condition}; fails loudly if it never holds. */
  private static void awaitTrue(BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("condition never held within 30 s");
      }
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
