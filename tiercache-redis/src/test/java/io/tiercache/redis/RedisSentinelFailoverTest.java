package io.tiercache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.CacheInfo;
import io.tiercache.CachedFunction1;
import io.tiercache.CoherenceInfo;
import io.tiercache.TierCache;
import io.tiercache.testkit.RedisSentinelSetup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A Sentinel failover under a {@code TierCache}: a master, its replica and three sentinels (quorum
 * two, down-after 1 s); the master is killed with {@code SIGKILL}, the sentinels promote the
 * replica, and the backends, which found the master through the sentinels, follow it by themselves.
 * Meanwhile every call returns its exact value (L2 trouble costs a computation, never an
 * exception); afterwards L2 hits resume on the new master, which has the entries the old one had
 * replicated, and the invalidation channel delivers again through it. The time from the kill to the
 * promotion and to the first L2 hits again is printed (not asserted: timing belongs to benchmarks).
 */
class RedisSentinelFailoverTest {
  private static final int KEYS = 20;
  /** Bound of every wait for the failover: Sentinel's own delays are a few seconds. */
  private static final Duration FAILOVER_WAIT = Duration.ofSeconds(60);

  private final List<AutoCloseable> toClose = new ArrayList<>();
  private RedisSentinelSetup sentinel;

  @BeforeEach
  void startSentinel() {
    sentinel = RedisSentinelSetup.start(RedisSentinelSetup.Settings.defaults().withSentinels(3));
  }

  @AfterEach
  void stopEverything() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
    sentinel.close();
  }

  private static String square(int k) {
    return k + " squared is " + k * k;
  }

  private RedisBackend backend() {
    RedisBackend backend = RedisBackend.connect(sentinel.uri());
    toClose.add(backend);
    assertThat(backend.awaitUp(Duration.ofSeconds(10))).as("backend up").isTrue();
    return backend;
  }

  private TierCache cache(RedisBackend backend) {
    TierCache cache = TierCache.builder().namespace("failover").backend(TierCache.DEFAULT, backend)
        .build();
    toClose.add(cache);
    Eventually.waitFor("the channel delivers", Duration.ofSeconds(10),
        () -> cache.coherence().delivering());
    return cache;
  }

  /** Calls {@code f} on every key and checks each value; returns how many calls were L2 hits. */
  private static long callEach(CachedFunction1<Integer, String> f) {
    long hitsBefore = f.cacheInfo().l2Hits();
    for (int k = 0; k < KEYS; k++) {
      assertThat(f.apply(k)).isEqualTo(square(k));
    }
    return f.cacheInfo().l2Hits() - hitsBefore;
  }

  @Test
  void aFailoverCostsComputationsOnlyAndL2HitsAndInvalidationsResumeThroughThePromotedReplica() {
    AtomicInteger computations = new AtomicInteger();
    TierCache processA = cache(backend());
    TierCache processB = cache(backend());
    // L1 off: every call reads L2, so each shows whether L2 works
    CachedFunction1<Integer, String> f = processA.function("square", String.class).l1MaxSize(0)
        .of((Integer k) -> {
          computations.incrementAndGet();
          return square(k);
        });
    AtomicInteger version = new AtomicInteger();
    CachedFunction1<Integer, String> priceA = processA.function("price", String.class)
        .of((Integer sku) -> "p" + sku + "@" + version.get());
    CachedFunction1<Integer, String> priceB = processB.function("price", String.class)
        .of((Integer sku) -> "p" + sku + "@" + version.get());

    assertThat(callEach(f)).isZero();
    assertThat(priceB.apply(1)).isEqualTo("p1@0");
    try (RawRedis replica = RawRedis.to(sentinel.replica().uri())) {
      // what the failover keeps is what reached the replica
      Eventually.waitFor("the replica holds every entry", Duration.ofSeconds(10),
          () -> replica.sync().keys("failover:square:*").size() == KEYS
              && replica.sync().keys("failover:price:*").size() == 1);
    }
    assertThat(callEach(f)).as("L2 hits before the failover").isEqualTo(KEYS);
    assertThat(computations).hasValue(KEYS);
    assertThat(f.cacheInfo()).isEqualTo(new CacheInfo(0, 2L * KEYS, KEYS, KEYS, 0, 0));
    assertThat(f.l2ErrorCount()).isZero();

    String oldMaster = sentinel.master().address();
    String newMaster = sentinel.replica().address();
    assertThat(sentinel.masterAddress()).isEqualTo(oldMaster);
    long killed = System.nanoTime();
    sentinel.master().processHandle().orElseThrow().destroyForcibly(); // SIGKILL: a crash
    Eventually.waitFor("the old master's process is gone", Duration.ofSeconds(10),
        () -> !sentinel.master().isRunning());

    // Until the backend reaches the promoted replica: every call right, computed when L2 fails.
    long rounds = 0;
    long promotedNanos = 0;
    long deadline = System.nanoTime() + FAILOVER_WAIT.toNanos();
    while (true) {
      rounds++;
      long hits = callEach(f); // throws (failing the test) on a wrong value or an exception
      if (promotedNanos == 0 && newMaster.equals(sentinel.masterAddress())) {
        promotedNanos = System.nanoTime() - killed;
      }
      if (hits == KEYS) {
        break;
      }
      assertThat(System.nanoTime() - deadline).as("L2 hits resume within " + FAILOVER_WAIT)
          .isNegative();
      Eventually.sleep(Duration.ofMillis(20));
    }
    long hitsAgainNanos = System.nanoTime() - killed;
    sentinel.awaitMaster(newMaster, FAILOVER_WAIT);
    if (promotedNanos == 0) {
      promotedNanos = System.nanoTime() - killed;
    }

    CacheInfo info = f.cacheInfo();
    long calls = (2 + rounds) * KEYS;
    assertThat(info.l1Hits()).isZero();
    assertThat(info.l1Misses()).isEqualTo(calls);
    assertThat(info.l2Hits() + info.l2Misses()).isEqualTo(calls);
    assertThat(computations.get()).as("every L2 miss computed, nothing else").isEqualTo(info.l2Misses());
    assertThat(info.l2Misses()).as("the failover cost computations").isGreaterThan(KEYS);
    assertThat(f.l2ErrorCount()).as("the failover was met as L2 failures").isPositive();

    int computedBefore = computations.get();
    assertThat(callEach(f)).as("L2 hits on the new master").isEqualTo(KEYS);
    assertThat(computations).hasValue(computedBefore);
    try (RawRedis promoted = RawRedis.to(sentinel.replica().uri())) {
      assertThat(promoted.sync().info("replication")).contains("role:master");
      assertThat(promoted.sync().keys("failover:square:*")).hasSize(KEYS);
    }

    // Coherence: the channels lost their subscriptions (L1s flushed), then deliver again through
    // the new master, and an invalidation reaches the other process within the bound.
    Eventually.waitFor("both channels deliver again", FAILOVER_WAIT,
        () -> processA.coherence().delivering() && processB.coherence().delivering());
    long deliveringAgainNanos = System.nanoTime() - killed;
    CoherenceInfo coherenceB = processB.coherence();
    assertThat(coherenceB.flushes()).as("the lost channel flushed L1").isPositive();
    assertThat(coherenceB.lastFlushReason()).isNotNull();
    assertThat(priceA.apply(1)).isEqualTo("p1@0"); // from L2: replicated before the failover
    assertThat(priceA.cacheInfo().l2Hits()).isEqualTo(1);
    assertThat(priceB.apply(1)).isEqualTo("p1@0"); // L1 was flushed: from L2 again, now in L1
    Eventually.waitFor("processB holds sku 1 in L1", Duration.ofSeconds(10),
        () -> priceB.cacheInfo().l1CurrSize() == 1);
    long receivedBefore = processB.coherence().received();
    version.set(1);
    assertThat(priceA.invalidate(1)).isTrue();
    // the channel counts a message after applying it: once the count moved, the entry is gone
    // (waiting for the entry instead, then reading the count, raced with that increment)
    Eventually.waitFor("processB received the invalidation", processB.coherence().stalenessBound(),
        () -> processB.coherence().received() == receivedBefore + 1);
    assertThat(priceB.cacheInfo().l1CurrSize()).as("processB dropped sku 1").isZero();
    assertThat(priceB.apply(1)).isEqualTo("p1@1");

    System.out.printf("sentinel failover (3 sentinels, quorum 2, down-after %d ms): master %s killed,"
            + " replica %s promoted (as seen by the test) after %.0f ms, L2 hits again after %.0f ms"
            + " (%d rounds of %d calls, %d of them computed), both invalidation channels delivering again"
            + " after %.0f ms; last flush reason: %s%n",
        sentinel.settings().downAfter().toMillis(), oldMaster, newMaster, promotedNanos / 1e6,
        hitsAgainNanos / 1e6, rounds, KEYS, info.l2Misses() - KEYS, deliveringAgainNanos / 1e6,
        coherenceB.lastFlushReason());
  }
}
