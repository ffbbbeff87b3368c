package io.tiercache;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.backend.Backend;
import io.tiercache.backend.InMemoryBackend;
import io.tiercache.coherence.ChannelLag;
import io.tiercache.coherence.InvalidationChannel;
import io.tiercache.coherence.InvalidationMessage;
import io.tiercache.coherence.LocalInvalidationChannel;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Coherent L1s over the embedded store: two {@code TierCache}s sharing one {@link InMemoryBackend}
 * stand in for two processes; every invalidation made in one reaches the other's L1 before it
 * returns (the embedded channel is synchronous, so no waiting is needed).
 */
class CoherenceTest {
  private final ManualTimeSource time = new ManualTimeSource();
  private final InMemoryBackend shared = InMemoryBackend.builder().timeSource(time).build();
  private final TierCache processA = process(shared);
  private final TierCache processB = process(shared);
  private final AtomicInteger computations = new AtomicInteger();
  private final ExecutorService pool = Executors.newSingleThreadExecutor();

  private TierCache process(Backend backend) {
    return TierCache.builder().namespace("shop").backend("default", backend).timeSource(time).build();
  }

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  private CachedFunction1<Integer, String> price(TierCache in) {
    return in.function("price", String.class).of((Integer sku) -> "p" + sku + "v" + computations.incrementAndGet());
  }

  private CachedFunction1<Integer, String> tagged(TierCache in) {
    return in.function("tagged", String.class)
        .prefix(args -> "shop" + ((Integer) args[0] % 2))
        .tags(args -> List.of("sku:" + args[0], "catalog"))
        .of((Integer sku) -> "t" + sku + "v" + computations.incrementAndGet());
  }

  @Test
  void anInvalidationByHandleDropsTheOtherProcessCopyBeforeItReturns() {
    CachedFunction1<Integer, String> a = price(processA);
    CachedFunction1<Integer, String> b = price(processB);
    assertThat(a.apply(1)).isEqualTo("p1v1");
    assertThat(b.apply(1)).isEqualTo("p1v1"); // L2 hit, now in b's L1
    assertThat(b.apply(2)).isEqualTo("p2v2");
    assertThat(b.cacheInfo()).isEqualTo(new CacheInfo(0, 2, 1, 1, 128, 2));

    assertThat(a.invalidate(1)).isTrue();

    assertThat(b.cacheInfo().l1CurrSize()).isEqualTo(1); // only sku 2 is left
    assertThat(b.apply(1)).isEqualTo("p1v3");
    assertThat(b.apply(2)).isEqualTo("p2v2");
    assertThat(b.cacheInfo()).isEqualTo(new CacheInfo(1, 3, 1, 2, 128, 2));
    CoherenceInfo info = processB.coherence();
    assertThat(info.received()).isEqualTo(1);
    assertThat(info.entriesDropped()).isEqualTo(1);
    assertThat(info.flushes()).isZero();
    assertThat(info.stalenessBound()).isEqualTo(Duration.ZERO);
    assertThat(info.delivering()).isTrue();
    assertThat(processA.coherence().published()).isEqualTo(1);
    assertThat(processA.coherence().received()).isZero(); // never its own message
  }

  @Test
  void theLagCountsTheRoundTripsOfThisProcesssOwnMessagesOnly() {
    CachedFunction1<Integer, String> a = price(processA);
    CachedFunction1<Integer, String> b = price(processB);
    assertThat(processA.coherence().lag()).isEqualTo(ChannelLag.NONE);
    a.invalidate(1);
    a.invalidate(2);
    a.cacheClear();
    b.invalidate(3);

    ChannelLag lagA = processA.coherence().lag();
    ChannelLag lagB = processB.coherence().lag();
    assertThat(processA.coherence().published()).isEqualTo(3);
    assertThat(lagA.count()).isEqualTo(3);
    assertThat(lagB.count()).isEqualTo(1);
    assertThat(lagA.max()).isLessThanOrEqualTo(lagA.total());
    assertThat(lagB.max()).isEqualTo(lagB.total());
  }

  @Test
  void tagsPrefixesAndExplicitKeysReachTheOtherProcess() {
    CachedFunction1<Integer, String> a = tagged(processA);
    CachedFunction1<Integer, String> b = tagged(processB);
    CachedFunction1<Integer, String> explicit = processB.function("explicit", String.class)
        .key(args -> "item:" + args[0]).of((Integer i) -> "e" + i + "v" + computations.incrementAndGet());
    for (int i = 1; i <= 4; i++) {
      a.apply(i);
      b.apply(i); // L2 hits, all in b's L1
    }
    explicit.apply(7);
    assertThat(b.cacheInfo()).isEqualTo(new CacheInfo(0, 4, 4, 0, 128, 4));

    processA.invalidateTags("sku:3");
    assertThat(b.cacheInfo().l1CurrSize()).isEqualTo(3);
    processA.invalidatePrefix("shop0"); // skus 2 and 4
    assertThat(b.cacheInfo().l1CurrSize()).isEqualTo(1);
    assertThat(b.apply(1)).isEqualTo("t1v1"); // untouched, an L1 hit
    assertThat(b.apply(2)).isEqualTo("t2v6");
    assertThat(b.cacheInfo()).isEqualTo(new CacheInfo(1, 5, 4, 1, 128, 2));

    processA.invalidateKey("item:7");
    assertThat(explicit.cacheInfo().l1CurrSize()).isZero();
    processA.invalidateTags("catalog");
    assertThat(b.cacheInfo().l1CurrSize()).isZero();
    assertThat(processB.coherence().received()).isEqualTo(4);
    assertThat(processB.coherence().entriesDropped()).isEqualTo(1 + 2 + 1 + 2);
  }

  @Test
  void aRefreshInOneProcessIsWhatTheOtherServesNext() {
    CachedFunction1<Integer, String> a = price(processA);
    CachedFunction1<Integer, String> b = price(processB);
    a.apply(1);
    assertThat(b.apply(1)).isEqualTo("p1v1");

    assertThat(a.refresh(1)).isEqualTo("p1v2");

    assertThat(b.apply(1)).isEqualTo("p1v2"); // its copy was dropped; L2 has the new value
    assertThat(b.cacheInfo()).isEqualTo(new CacheInfo(0, 2, 2, 0, 128, 1));
    assertThat(computations).hasValue(2);
  }

  @Test
  void cacheClearEmptiesThatFunctionsL1EverywhereAndNoOther() {
    CachedFunction1<Integer, String> a = price(processA);
    CachedFunction1<Integer, String> b = price(processB);
    CachedFunction1<Integer, String> bOther = tagged(processB);
    b.apply(1);
    b.apply(2);
    bOther.apply(1);

    a.cacheClear();

    assertThat(b.cacheInfo()).isEqualTo(new CacheInfo(0, 2, 0, 2, 128, 0)); // statistics stay
    assertThat(bOther.cacheInfo().l1CurrSize()).isEqualTo(1);
    assertThat(b.apply(1)).isEqualTo("p1v1"); // from L2: clearing L1 leaves L2
  }

  @Test
  void aComputationInFlightWhenTheOtherProcessInvalidatesDoesNotKeepItsResult() throws Exception {
    CountDownLatch computing = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CachedFunction1<Integer, String> a = price(processA);
    CachedFunction1<Integer, String> b = processB.function("price", String.class).of((Integer sku) -> {
      computing.countDown();
      Latches.await(release);
      return "old";
    });
    Future<String> call = pool.submit(() -> b.apply(1));
    Latches.await(computing);
    assertThat(a.invalidate(1)).isFalse(); // nothing stored yet anywhere
    release.countDown();
    assertThat(call.get(10, TimeUnit.SECONDS)).isEqualTo("old"); // its own caller gets it

    assertThat(b.cacheInfo().l1CurrSize()).isZero();
    assertThat(shared.estimatedSize()).isZero(); // the L2 write was taken back
    assertThat(a.apply(1)).isEqualTo("p1v1");
  }

  @Test
  void withoutAChannelTheOtherProcessKeepsServingItsCopy() {
    InMemoryBackend incoherent = InMemoryBackend.builder().timeSource(time).coherence(false).build();
    TierCache x = process(incoherent);
    TierCache y = process(incoherent);
    CachedFunction1<Integer, String> a = price(x);
    CachedFunction1<Integer, String> b = price(y);
    a.apply(1);
    b.apply(1);
    a.invalidate(1);
    assertThat(b.apply(1)).isEqualTo("p1v1"); // stale until it expires or is evicted
    assertThat(y.coherence().incoherentBackends()).containsExactly(incoherent.describe());
    assertThat(y.coherence().stalenessBound()).isNull();

    TierCache off = TierCache.builder().namespace("shop").backend("default", shared).timeSource(time)
        .coherence(false).build();
    CachedFunction1<Integer, String> c = price(off);
    CachedFunction1<Integer, String> d = price(processA);
    d.apply(5);
    c.apply(5);
    d.invalidate(5);
    assertThat(c.apply(5)).isEqualTo("p5v2");
    assertThat(off.coherence().enabled()).isFalse();
  }

  @Test
  void aLostChannelFlushesL1AndNewEntriesLiveAtMostTheBoundUntilItDeliversAgain() {
    TestChannels.SwitchableChannel channel = new TestChannels.SwitchableChannel();
    Backend backend = new TestChannels.WithChannel(shared, channel);
    TierCache x = process(backend);
    CachedFunction1<Integer, String> f = price(x);
    f.apply(1);
    f.apply(1);
    assertThat(f.cacheInfo()).isEqualTo(new CacheInfo(1, 1, 0, 1, 128, 1));

    channel.listener.onLoss("test: connection lost");
    assertThat(f.cacheInfo().l1CurrSize()).isZero();
    CoherenceInfo info = x.coherence();
    assertThat(info.delivering()).isFalse();
    assertThat(info.flushes()).isEqualTo(1);
    assertThat(info.lastFlushReason()).isEqualTo("test: connection lost");
    assertThat(f.apply(1)).isEqualTo("p1v1"); // from L2, kept in L1 for at most the bound (1 s)
    assertThat(f.apply(1)).isEqualTo("p1v1");
    assertThat(f.cacheInfo()).isEqualTo(new CacheInfo(2, 2, 1, 1, 128, 1));
    time.advance(Duration.ofMillis(999));
    assertThat(f.cacheInfo().l1CurrSize()).isEqualTo(1);
    time.advance(Duration.ofMillis(1));
    assertThat(f.cacheInfo().l1CurrSize()).isZero();

    channel.listener.onRestored();
    f.apply(1);
    time.advance(Duration.ofHours(1)); // no TTL: kept until evicted or invalidated
    assertThat(f.cacheInfo().l1CurrSize()).isEqualTo(1);
    assertThat(x.coherence().delivering()).isTrue();

    x.close();
    assertThat(f.cacheInfo().l1CurrSize()).isZero();
    assertThat(channel.closed).isTrue();
    f.apply(1);
    assertThat(f.cacheInfo().l1CurrSize()).isEqualTo(1);
    time.advance(Duration.ofSeconds(1));
    assertThat(f.cacheInfo().l1CurrSize()).isZero(); // no channel: at most the bound
  }

  @Test
  void theLocalChannelNeverEchoesAndSurvivesAFailingListener() {
    LocalInvalidationChannel channel = new LocalInvalidationChannel("test");
    AtomicInteger got = new AtomicInteger();
    InvalidationChannel.Listener counting = new InvalidationChannel.Listener() {
      @Override
      public void onInvalidation(InvalidationMessage message) {
        got.incrementAndGet();
      }

      @Override
      public void onLoss(String reason) {}

      @Override
      public void onRestored() {}
    };
    List<String> losses = new java.util.ArrayList<>();
    InvalidationChannel.Listener failing = new InvalidationChannel.Listener() {
      @Override
      public void onInvalidation(InvalidationMessage message) {
        throw new IllegalStateException("broken listener");
      }

      @Override
      public void onLoss(String reason) {
        losses.add(reason);
      }

      @Override
      public void onRestored() {}
    };
    InvalidationChannel.Subscription one = channel.subscribe(counting);
    InvalidationChannel.Subscription two = channel.subscribe(counting);
    InvalidationChannel.Subscription three = channel.subscribe(failing);
    one.publish(InvalidationMessage.key("k")).toCompletableFuture().join();
    assertThat(got).hasValue(1); // not echoed to one
    assertThat(losses).containsExactly("applying an invalidation failed: java.lang.IllegalStateException: broken listener");
    two.close();
    three.close();
    one.publish(InvalidationMessage.key("k")).toCompletableFuture().join();
    assertThat(got).hasValue(1);
    assertThat(losses).hasSize(1);
  }
}
