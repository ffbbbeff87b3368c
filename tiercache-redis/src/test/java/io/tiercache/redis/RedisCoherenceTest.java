package io.tiercache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.KillArgs;
import io.tiercache.AsyncCachedFunction1;
import io.tiercache.CacheInfo;
import io.tiercache.CachedFunction1;
import io.tiercache.CoherenceInfo;
import io.tiercache.TierCache;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Coherent L1s over Redis pub/sub: two {@code TierCache}s, each on its own {@link RedisBackend}
 * (its own connections, as two processes have), share one real redis-server. Every wait is bounded
 * by the documented guarantee ({@code 2 × heartbeat}); a loss of the channel (connection killed,
 * output buffer overflow, hung server) flushes L1.
 */
class RedisCoherenceTest {
  /**
   * The default heartbeat, for the tests that expect no loss: a shorter one leaves less room for
   * the pauses of a loaded build machine, which would (rightly) count as losses.
   */
  private static final Duration CALM = Duration.ofMillis(500);
  /** For the tests of losses, so they are detected sooner. */
  private static final Duration FAST = Duration.ofMillis(200);
  private Duration heartbeat = CALM;
  /** The documented bound: {@code 2 × heartbeat}. */
  private Duration bound() {
    return heartbeat.multipliedBy(2);
  }
  /** For a loss, the bound counts from the last message that arrived; scheduling adds a little. */
  private Duration lossWait() {
    return bound().plusSeconds(1);
  }

  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();

  /** Closed after each test, before the extension closes their backends. */
  private final List<TierCache> caches = new ArrayList<>();
  private final AtomicInteger version = new AtomicInteger();
  private RedisBackend backendA;
  private RedisBackend backendB;
  private TierCache processA;
  private TierCache processB;

  @BeforeEach
  void twoProcesses() {
    backendA = backend();
    backendB = backend();
    processA = process(backendA);
    processB = process(backendB);
  }

  @AfterEach
  void closeCaches() {
    for (int i = caches.size() - 1; i >= 0; i--) {
      caches.get(i).close();
    }
  }

  /** Replaces the two processes by two with the {@link #FAST} heartbeat. */
  private void fast() {
    heartbeat = FAST;
    backendA = backend();
    backendB = backend();
    processA = process(backendA);
    processB = process(backendB);
  }

  private RedisBackend backend() {
    return redis.closeAfterTest(
        RedisBackend.builder().uri(redis.uri()).invalidationHeartbeat(heartbeat).build());
  }

  private TierCache process(RedisBackend backend) {
    // the bound counts from an invalidation whose Redis command completed: wait for it even on a
    // loaded machine (the default l2Timeout, 100 ms, may return first)
    TierCache cache = TierCache.builder().namespace("coh").backend(TierCache.DEFAULT, backend)
        .l2Timeout(Duration.ofSeconds(5)).build();
    caches.add(cache);
    Eventually.waitFor("the channel delivers", Duration.ofSeconds(10), () -> cache.coherence().delivering());
    return cache;
  }

  /** A function whose value is the current "truth" (a version number the test bumps). */
  private CachedFunction1<Integer, String> price(TierCache in) {
    return in.function("price", String.class)
        .tags(args -> List.of("sku:" + args[0], "catalog"))
        .prefix(args -> "shop" + ((Integer) args[0] % 2))
        .of((Integer sku) -> "p" + sku + "@" + version.get());
  }

  @Test
  void everyKindOfInvalidationReachesTheOtherProcessWithinTheBound() {
    CachedFunction1<Integer, String> a = price(processA);
    CachedFunction1<Integer, String> b = price(processB);
    CachedFunction1<Integer, String> bOther = processB.function("other", String.class)
        .key(args -> "other:" + args[0]).of((Integer i) -> "o" + i + "@" + version.get());
    CachedFunction1<Integer, String> aOther = processA.function("other", String.class)
        .key(args -> "other:" + args[0]).of((Integer i) -> "o" + i + "@" + version.get());
    for (int sku = 1; sku <= 6; sku++) {
      a.apply(sku);
    }
    Eventually.waitFor("a's writes landed", Duration.ofSeconds(5),
        () -> a.contains(6) && redis.raw().sync().dbsize() >= 6);
    for (int sku = 1; sku <= 6; sku++) {
      assertThat(b.apply(sku)).isEqualTo("p" + sku + "@0"); // L2 hits, now in b's L1
    }
    bOther.apply(1);
    assertThat(b.cacheInfo()).isEqualTo(new CacheInfo(0, 6, 6, 0, 128, 6));
    version.set(1);

    assertThat(a.invalidate(1)).isTrue(); // by the handle: sku 1
    Eventually.waitFor("b dropped sku 1", bound(), () -> b.cacheInfo().l1CurrSize() == 5);
    assertThat(b.apply(1)).isEqualTo("p1@1");

    processA.invalidateTags("sku:3"); // by tag: sku 3
    Eventually.waitFor("b dropped sku 3", bound(), () -> b.cacheInfo().l1CurrSize() == 5);
    processA.invalidatePrefix("shop0"); // by prefix: skus 2, 4, 6
    Eventually.waitFor("b dropped skus 2, 4, 6", bound(), () -> b.cacheInfo().l1CurrSize() == 2);
    assertThat(b.apply(2)).isEqualTo("p2@1");
    assertThat(b.apply(3)).isEqualTo("p3@1");
    assertThat(b.apply(5)).isEqualTo("p5@0"); // untouched: still an L1 hit

    processA.invalidateKey("other:1"); // by explicit key
    Eventually.waitFor("b dropped other:1", bound(), () -> bOther.cacheInfo().l1CurrSize() == 0);
    assertThat(bOther.apply(1)).isEqualTo("o1@1");

    version.set(2);
    assertThat(a.refresh(5)).isEqualTo("p5@2"); // by refresh: b must serve the new value
    Eventually.waitFor("b serves the refreshed value", bound(), () -> b.apply(5).equals("p5@2"));

    aOther.cacheClear(); // by clear: "other" only
    Eventually.waitFor("b's 'other' L1 emptied", bound(), () -> bOther.cacheInfo().l1CurrSize() == 0);
    assertThat(b.cacheInfo().l1CurrSize()).isGreaterThan(0);

    // counted after it is applied: the clear's count may trail the emptied L1 by a moment
    Eventually.waitFor("b counted six messages", bound(), () -> processB.coherence().received() == 6);
    CoherenceInfo info = processB.coherence();
    assertThat(info.received()).isEqualTo(6);
    assertThat(info.flushes()).isZero();
    assertThat(info.stalenessBound()).isEqualTo(bound());
    assertThat(info.coherentBackends()).containsExactly(backendB.describe());
    assertThat(processA.coherence().published()).isEqualTo(6);
  }

  @Test
  void asyncFunctionsInvalidateAndRefreshAcrossProcessesWithinTheBound() throws Exception {
    AsyncCachedFunction1<Integer, String> a = processA.function("quote", String.class)
        .ofAsync((Integer sku) -> CompletableFuture.completedFuture("q" + sku + "@" + version.get()));
    AsyncCachedFunction1<Integer, String> b = processB.function("quote", String.class)
        .ofAsync((Integer sku) -> CompletableFuture.completedFuture("q" + sku + "@" + version.get()));
    CachedFunction1<Integer, String> syncA = process(backendA).function("quote", String.class)
        .of((Integer sku) -> "q" + sku + "@" + version.get());
    assertThat(a.apply(1).get(5, TimeUnit.SECONDS)).isEqualTo("q1@0");
    Eventually.waitFor("a's write landed", Duration.ofSeconds(5),
        () -> redis.raw().sync().dbsize() >= 1);
    assertThat(b.apply(1).get(5, TimeUnit.SECONDS)).isEqualTo("q1@0"); // an L2 hit, now in b's L1
    assertThat(b.cacheInfo()).isEqualTo(new CacheInfo(0, 1, 1, 0, 128, 1));
    version.set(1);

    assertThat(a.invalidate(1)).isTrue();
    Eventually.waitFor("b dropped its copy", bound(), () -> b.cacheInfo().l1CurrSize() == 0);
    assertThat(b.apply(1).get(5, TimeUnit.SECONDS)).isEqualTo("q1@1");
    version.set(2);

    assertThat(a.refresh(1).get(5, TimeUnit.SECONDS)).isEqualTo("q1@2");
    Eventually.waitFor("b dropped its copy again", bound(), () -> b.cacheInfo().l1CurrSize() == 0);
    // the refreshed value: from L2, or computed again by b if b dropped it from L2 on the refresh
    // message because b had written that key itself (see "B's own late write" in docs/coherence.md)
    assertThat(b.apply(1).get(5, TimeUnit.SECONDS)).isEqualTo("q1@2");
    Eventually.waitFor("the value in L2", Duration.ofSeconds(5), () -> syncA.contains(1));
    version.set(3);

    assertThat(syncA.invalidate(1)).isTrue(); // a synchronous function on the same entries, elsewhere
    Eventually.waitFor("b dropped its copy a third time", bound(), () -> b.cacheInfo().l1CurrSize() == 0);
    assertThat(b.apply(1).get(5, TimeUnit.SECONDS)).isEqualTo("q1@3");
  }

  @Test
  void delayUntilTheOtherProcessStopsServingTheOldValue() {
    CachedFunction1<Integer, String> a = processA.function("delay", String.class)
        .of((Integer sku) -> "d" + sku + "@" + version.get());
    CachedFunction1<Integer, String> b = processB.function("delay", String.class)
        .of((Integer sku) -> "d" + sku + "@" + version.get());
    int rounds = 500;
    long[] delays = new long[rounds];
    for (int i = 0; i < rounds; i++) {
      int sku = i;
      a.apply(sku);
      Eventually.waitFor("a's write landed: " + redis.raw().sync().keys("*"), Duration.ofSeconds(5),
          () -> redis.raw().sync().exists("coh:delay:n" + sku) == 1);
      b.apply(sku);
      assertThat(b.cacheInfo().l1CurrSize()).isEqualTo(1);
      version.incrementAndGet();

      a.invalidate(sku);
      long returned = System.nanoTime();
      long limit = returned + bound().toNanos();
      while (b.cacheInfo().l1CurrSize() != 0) {
        if (System.nanoTime() - limit > 0) {
          throw new AssertionError("b still holds the old value " + bound() + " after invalidate returned");
        }
        Thread.onSpinWait();
      }
      delays[i] = System.nanoTime() - returned;
      assertThat(b.apply(sku)).isEqualTo("d" + sku + "@" + version.get());
      b.cacheClear();
    }
    Arrays.sort(delays);
    System.out.printf("coherence delay over redis pub/sub (%d invalidations, from invalidate returning"
            + " in A to B's L1 dropping the entry): p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, max %.3f ms;"
            + " bound %d ms%n", rounds, delays[rounds / 2] / 1e6, delays[rounds * 9 / 10] / 1e6,
        delays[rounds * 99 / 100] / 1e6, delays[rounds - 1] / 1e6, bound().toMillis());
    assertThat(processB.coherence().flushes()).isZero();
  }

  private CachedFunction1<Integer, String> filledB() {
    CachedFunction1<Integer, String> b = processB.function("f", String.class)
        .of((Integer i) -> "f" + i + "@" + version.get());
    for (int i = 0; i < 10; i++) {
      b.apply(i);
    }
    assertThat(b.cacheInfo().l1CurrSize()).isEqualTo(10);
    return b;
  }

  private long clientId(String name) {
    for (String line : redis.raw().sync().clientList().split("\n")) {
      if (line.contains(" name=" + name + " ")) {
        for (String field : line.split(" ")) {
          if (field.startsWith("id=")) {
            return Long.parseLong(field.substring(3));
          }
        }
      }
    }
    throw new AssertionError("no client named " + name + " in\n" + redis.raw().sync().clientList());
  }

  @Test
  void killingThePubSubConnectionFlushesL1UntilTheChannelDeliversAgain() {
    fast();
    CachedFunction1<Integer, String> b = filledB();
    String name = backendB.channelOf("coh").clientName();

    long killed = redis.raw().sync().clientKill(KillArgs.Builder.id(clientId(name)));
    long start = System.nanoTime();

    assertThat(killed).isEqualTo(1);
    Eventually.waitFor("b flushed", lossWait(), () -> processB.coherence().flushes() >= 1);
    System.out.printf("CLIENT KILL of the pub/sub connection: L1 flushed after %.1f ms (%s)%n",
        (System.nanoTime() - start) / 1e6, processB.coherence().lastFlushReason());
    assertThat(b.cacheInfo().l1CurrSize()).isZero();
    assertThat(processB.coherence().lastFlushReason()).contains("pub/sub connection");
    assertThat(processA.coherence().flushes()).isZero(); // a's channel was not touched

    Eventually.waitFor("the channel delivers again", Duration.ofSeconds(10),
        () -> processB.coherence().delivering());
    assertThat(clientId(name)).isNotEqualTo(0); // Lettuce reconnected and subscribed again
    b.apply(1);
    assertThat(b.cacheInfo().l1CurrSize()).isEqualTo(1);
    CachedFunction1<Integer, String> a = processA.function("f", String.class)
        .of((Integer i) -> "f" + i + "@" + version.get());
    a.invalidate(1);
    Eventually.waitFor("invalidations reach b again", bound(), () -> b.cacheInfo().l1CurrSize() == 0);
  }

  @Test
  void anOutputBufferOverflowFlushesL1() {
    fast();
    CachedFunction1<Integer, String> b = filledB();
    redis.raw().sync().configSet("client-output-buffer-limit", "pubsub 1024 0 0");
    try {
      String[] tags = new String[200];
      for (int i = 0; i < tags.length; i++) {
        tags[i] = "t" + i + "-" + "x".repeat(200);
      }
      processA.invalidateTags(tags); // one message of about 45 KB: over the limit, Redis drops b
      Eventually.waitFor("b flushed", lossWait(), () -> processB.coherence().flushes() >= 1);
    } finally {
      redis.raw().sync().configSet("client-output-buffer-limit", "pubsub 33554432 8388608 60");
    }
    assertThat(b.cacheInfo().l1CurrSize()).isZero();
    System.out.printf("pub/sub output buffer overflow: L1 flushed (%s)%n",
        processB.coherence().lastFlushReason());
    Eventually.waitFor("the channel delivers again", Duration.ofSeconds(10),
        () -> processB.coherence().delivering());
  }

  @Test
  void aHungRedisFlushesL1WithinTheBound() throws Exception {
    fast();
    CachedFunction1<Integer, String> b = filledB();
    long pid = redis.launcher().processHandle().orElseThrow().pid();
    signal("STOP", pid);
    try {
      long start = System.nanoTime();
      Eventually.waitFor("b flushed", lossWait(), () -> processB.coherence().flushes() >= 1);
      System.out.printf("hung redis (SIGSTOP), heartbeat %d ms: L1 flushed after %.1f ms (%s)%n",
          heartbeat.toMillis(), (System.nanoTime() - start) / 1e6, processB.coherence().lastFlushReason());
      assertThat(b.cacheInfo().l1CurrSize()).isZero();
      assertThat(processB.coherence().delivering()).isFalse();
      assertThat(b.apply(1)).isEqualTo("f1@0"); // computed (L2 times out), kept for at most the bound
      assertThat(b.cacheInfo().l1CurrSize()).isEqualTo(1);
    } finally {
      signal("CONT", pid);
    }
    Eventually.waitFor("the entry kept while the channel was down expired", lossWait(),
        () -> b.cacheInfo().l1CurrSize() == 0);
    Eventually.waitFor("the channel delivers again", Duration.ofSeconds(10),
        () -> processB.coherence().delivering());
  }

  @Test
  void garbageOnTheChannelIsALossNotAnError() {
    CachedFunction1<Integer, String> b = filledB();
    redis.raw().sync().publish("coh:#inv", "garbage".getBytes(StandardCharsets.UTF_8));
    Eventually.waitFor("b flushed", lossWait(), () -> processB.coherence().flushes() >= 1);
    assertThat(processB.coherence().lastFlushReason()).contains("unreadable");
    assertThat(b.cacheInfo().l1CurrSize()).isZero();
    Eventually.waitFor("the channel delivers again", Duration.ofSeconds(10),
        () -> processB.coherence().delivering());
    assertThat(b.apply(3)).isEqualTo("f3@0");
  }

  @Test
  void aProcessThatLeavesSaysGoodbyeAndCausesNoFlush() throws Exception {
    CachedFunction1<Integer, String> b = filledB();
    RedisBackend third = RedisBackend.builder().uri(redis.uri()).invalidationHeartbeat(heartbeat).build();
    TierCache processC = TierCache.builder().namespace("coh").backend(TierCache.DEFAULT, third).build();
    Eventually.waitFor("c delivers", Duration.ofSeconds(10), () -> processC.coherence().delivering());
    Eventually.sleep(heartbeat.multipliedBy(2)); // b has heard c
    String c = third.channelOf("coh").sender();
    processC.close();
    third.close();
    Eventually.sleep(bound().multipliedBy(2));
    CoherenceInfo info = processB.coherence();
    if (info.flushes() == 0) {
      assertThat(b.cacheInfo().l1CurrSize()).isEqualTo(10);
    } else { // a pause of this loaded machine may flush, but never c's departure
      assertThat(info.lastFlushReason()).doesNotContain(c);
    }
  }

  private static void signal(String signal, long pid) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(kill.exitValue()).as("kill -" + signal).isZero();
  }
}
