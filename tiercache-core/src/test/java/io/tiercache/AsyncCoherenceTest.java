package io.tiercache;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.backend.Backend;
import io.tiercache.backend.InMemoryBackend;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Coherent L1s for async functions: the same guarantees as {@link CoherenceTest}, with async
 * functions on either side. Two {@code TierCache}s sharing one {@link InMemoryBackend} stand in
 * for two processes (its channel delivers before the invalidation returns).
 */
class AsyncCoherenceTest {
  private final ManualTimeSource time = new ManualTimeSource();
  private final InMemoryBackend shared = InMemoryBackend.builder().timeSource(time).build();
  private final ExecutorService pool = Executors.newFixedThreadPool(2);
  private final TierCache processA = process(shared);
  private final TierCache processB = process(shared);
  private final AtomicInteger computations = new AtomicInteger();

  private TierCache process(Backend backend) {
    return TierCache.builder().namespace("shop").backend("default", backend).timeSource(time)
        .executor(pool).build();
  }

  @AfterEach
  void stop() throws InterruptedException {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  private AsyncCachedFunction1<Integer, String> price(TierCache in) {
    return in.function("price", String.class).ofAsync((Integer sku) ->
        CompletableFuture.supplyAsync(() -> "p" + sku + "v" + computations.incrementAndGet(), pool));
  }

  private AsyncCachedFunction1<Integer, String> tagged(TierCache in) {
    return in.function("tagged", String.class)
        .prefix(args -> "shop" + ((Integer) args[0] % 2))
        .tags(args -> List.of("sku:" + args[0]))
        .ofAsync((Integer sku) -> CompletableFuture.completedFuture("t" + sku + "v" + computations.incrementAndGet()));
  }

  private static <T> T done(CompletableFuture<T> future) throws Exception {
    return future.get(10, TimeUnit.SECONDS);
  }

  @Test
  void anAsyncInvalidationDropsTheOtherProcessCopyAndASyncOneDropsAnAsyncCopy() throws Exception {
    AsyncCachedFunction1<Integer, String> a = price(processA);
    AsyncCachedFunction1<Integer, String> b = price(processB);
    assertThat(done(a.apply(1))).isEqualTo("p1v1");
    assertThat(done(b.apply(1))).isEqualTo("p1v1"); // an L2 hit, now in b's L1
    assertThat(done(b.apply(2))).isEqualTo("p2v2");
    assertThat(b.cacheInfo()).isEqualTo(new CacheInfo(0, 2, 1, 1, 128, 2));

    assertThat(a.invalidate(1)).isTrue();

    assertThat(b.cacheInfo().l1CurrSize()).isEqualTo(1); // only sku 2 is left
    assertThat(done(b.apply(1))).isEqualTo("p1v3");
    assertThat(processB.coherence().received()).isEqualTo(1);
    assertThat(processB.coherence().entriesDropped()).isEqualTo(1);

    CachedFunction1<Integer, String> syncA = processA.function("sync", String.class)
        .key(args -> "item:" + args[0]).of((Integer i) -> "s" + i);
    AsyncCachedFunction1<Integer, String> asyncB = processB.function("sync", String.class)
        .key(args -> "item:" + args[0]).ofAsync((Integer i) -> CompletableFuture.completedFuture("s" + i));
    syncA.apply(7);
    assertThat(done(asyncB.apply(7))).isEqualTo("s7"); // the same L2 key: an L2 hit
    assertThat(asyncB.cacheInfo().l1CurrSize()).isEqualTo(1);
    syncA.invalidate(7);
    assertThat(asyncB.cacheInfo().l1CurrSize()).isZero();
  }

  @Test
  void tagsAndPrefixesReachAsyncL1s() throws Exception {
    AsyncCachedFunction1<Integer, String> a = tagged(processA);
    AsyncCachedFunction1<Integer, String> b = tagged(processB);
    for (int i = 1; i <= 4; i++) {
      done(a.apply(i));
      done(b.apply(i)); // L2 hits, all in b's L1
    }
    assertThat(b.cacheInfo()).isEqualTo(new CacheInfo(0, 4, 4, 0, 128, 4));

    assertThat(a.invalidateTags(3)).isTrue();
    assertThat(b.cacheInfo().l1CurrSize()).isEqualTo(3);
    assertThat(a.invalidatePrefix(2)).isTrue(); // skus 2 and 4
    assertThat(b.cacheInfo().l1CurrSize()).isEqualTo(1);
    assertThat(done(b.apply(1))).isEqualTo("t1v1"); // untouched: an L1 hit
    assertThat(done(b.apply(2))).isEqualTo("t2v5");
    assertThat(processB.coherence().entriesDropped()).isEqualTo(1 + 2);
  }

  @Test
  void anAsyncRefreshIsWhatTheOtherProcessServesNext() throws Exception {
    AsyncCachedFunction1<Integer, String> a = price(processA);
    AsyncCachedFunction1<Integer, String> b = price(processB);
    done(a.apply(1));
    assertThat(done(b.apply(1))).isEqualTo("p1v1");

    assertThat(done(a.refresh(1))).isEqualTo("p1v2");

    assertThat(b.cacheInfo().l1CurrSize()).isZero();
    assertThat(done(b.apply(1))).isEqualTo("p1v2"); // L2 had the new value when b's copy went
    assertThat(b.cacheInfo()).isEqualTo(new CacheInfo(0, 2, 2, 0, 128, 1));
    assertThat(computations).hasValue(2);
  }

  @Test
  void anAsyncCacheClearEmptiesThatFunctionsL1Everywhere() throws Exception {
    AsyncCachedFunction1<Integer, String> a = price(processA);
    AsyncCachedFunction1<Integer, String> b = price(processB);
    done(b.apply(1));
    done(b.apply(2));

    a.cacheClear();

    assertThat(b.cacheInfo()).isEqualTo(new CacheInfo(0, 2, 0, 2, 128, 0)); // statistics stay
    assertThat(done(b.apply(1))).isEqualTo("p1v1"); // from L2
  }

  @Test
  void anAsyncComputationInFlightWhenTheOtherProcessInvalidatesDoesNotKeepItsResult() throws Exception {
    CompletableFuture<String> pending = new CompletableFuture<>();
    AsyncCachedFunction1<Integer, String> a = price(processA);
    AsyncCachedFunction1<Integer, String> b = processB.function("price", String.class)
        .ofAsync((Integer sku) -> pending);
    CompletableFuture<String> call = b.apply(1);
    assertThat(a.invalidate(1)).isFalse(); // nothing stored yet anywhere

    pending.complete("old");

    assertThat(done(call)).isEqualTo("old"); // its own caller gets it
    assertThat(b.cacheInfo().l1CurrSize()).isZero();
    assertThat(shared.estimatedSize()).isZero(); // the L2 write was taken back
    assertThat(done(a.apply(1))).isEqualTo("p1v1");
  }

  @Test
  void aLostChannelFlushesAsyncL1sAndCapsNewEntriesAtTheBound() throws Exception {
    TestChannels.SwitchableChannel channel = new TestChannels.SwitchableChannel();
    TierCache x = process(new TestChannels.WithChannel(shared, channel));
    AsyncCachedFunction1<Integer, String> f = price(x);
    done(f.apply(1));
    assertThat(f.cacheInfo().l1CurrSize()).isEqualTo(1);

    channel.listener.onLoss("test: connection lost");

    assertThat(f.cacheInfo().l1CurrSize()).isZero();
    assertThat(x.coherence().flushes()).isEqualTo(1);
    assertThat(done(f.apply(1))).isEqualTo("p1v1"); // from L2, kept at most the bound (1 s)
    assertThat(f.cacheInfo().l1CurrSize()).isEqualTo(1);
    time.advance(Duration.ofSeconds(1));
    assertThat(f.contains(1)).isTrue(); // still in L2
    assertThat(f.cacheInfo().l1CurrSize()).isZero(); // gone from L1 at the bound

    channel.listener.onRestored();
    done(f.apply(1));
    time.advance(Duration.ofHours(1)); // no TTL: kept until evicted or invalidated
    assertThat(f.cacheInfo().l1CurrSize()).isEqualTo(1);
  }
}
