package io.tiercache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.annotation.CacheDefaults;
import io.tiercache.annotation.Cached;
import io.tiercache.backend.InMemoryBackend;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code l1Policy} option: LRU stays the default, W-TinyLFU keeps a frequent key through a scan
 * that pushes it out of an exact LRU, and everything else a function does (statistics, the bound,
 * expiry, every kind of invalidation, {@code cacheClear}) counts exactly the same under it.
 */
class L1PolicyTest {
  private final ManualTimeSource time = new ManualTimeSource();
  private final TierCache l1Only = TierCache.builder().timeSource(time).build();
  private final InMemoryBackend l2 = InMemoryBackend.builder().timeSource(time).build();
  private final TierCache twoLayers = TierCache.builder().namespace("p").backend("default", l2).timeSource(time)
      .build();
  private final AtomicInteger computations = new AtomicInteger();

  @AfterEach
  void close() {
    l1Only.close();
    twoLayers.close();
  }

  private static CacheInfo info(long l1Hits, long l1Misses, long l2Hits, long l2Misses, long max, long size) {
    return new CacheInfo(l1Hits, l1Misses, l2Hits, l2Misses, max, size);
  }

  private String compute(int i) {
    computations.incrementAndGet();
    return "v" + i;
  }

  /**
   * 60 cold keys (so that Caffeine's frequency sketch, which starts once the cache is half full,
   * counts from here on), then hot key 0 ten times, a scan of 1,000 new keys once each, then key 0
   * again. L1 holds 100 entries.
   */
  private static void hotKeyThenScan(IntConsumer call) {
    for (int i = 1; i <= 60; i++) {
      call.accept(i);
    }
    for (int i = 0; i < 10; i++) {
      call.accept(0);
    }
    for (int i = 61; i <= 1_060; i++) {
      call.accept(i);
    }
    call.accept(0);
  }

  @Test
  void lruIsTheDefaultAndAScanPushesTheHotKeyOut() {
    CachedFunction1<Integer, String> f = l1Only.function("f", String.class).l1MaxSize(100).of(this::compute);
    hotKeyThenScan(f::apply);
    assertThat(computations).hasValue(1_062);
    assertThat(f.cacheInfo()).isEqualTo(info(9, 1_062, 0, 1_062, 100, 100));
  }

  @Test
  void wTinyLfuKeepsTheHotKeyThroughTheScan() {
    CachedFunction1<Integer, String> f = l1Only.function("f", String.class).l1MaxSize(100)
        .l1Policy(L1Policy.W_TINY_LFU).of(this::compute);
    hotKeyThenScan(f::apply);
    assertThat(computations).hasValue(1_061);
    assertThat(f.cacheInfo()).isEqualTo(info(10, 1_061, 0, 1_061, 100, 100));
  }

  @Test
  void asyncWTinyLfuKeepsTheHotKeyThroughTheScan() {
    AsyncCachedFunction1<Integer, String> f = l1Only.function("f", String.class).l1MaxSize(100)
        .l1Policy(L1Policy.W_TINY_LFU)
        .ofAsync((Integer i) -> CompletableFuture.completedFuture(compute(i)));
    hotKeyThenScan(i -> f.apply(i).join());
    assertThat(computations).hasValue(1_061);
    assertThat(f.cacheInfo()).isEqualTo(info(10, 1_061, 0, 1_061, 100, 100));
  }

  @Test
  void theBoundHoldsOnceTheCallsReturn() {
    CachedFunction1<Integer, String> f = l1Only.function("f", String.class).l1MaxSize(10)
        .l1Policy(L1Policy.W_TINY_LFU).of(this::compute);
    for (int i = 0; i < 500; i++) {
      assertThat(f.apply(i)).isEqualTo("v" + i);
    }
    assertThat(f.cacheInfo()).isEqualTo(info(0, 500, 0, 500, 10, 10));
  }

  @Test
  void anExpiredEntryIsNeitherServedNorCounted() {
    CachedFunction1<Integer, String> f = l1Only.function("f", String.class).l1MaxSize(10)
        .l1Policy(L1Policy.W_TINY_LFU).ttl(Duration.ofSeconds(10)).of(this::compute);
    f.apply(1);
    time.advance(Duration.ofSeconds(5));
    f.apply(2);
    f.apply(1);
    assertThat(f.cacheInfo()).isEqualTo(info(1, 2, 0, 2, 10, 2));

    time.advance(Duration.ofSeconds(5)); // 1 expires now, 2 in 5 s
    assertThat(f.cacheInfo()).isEqualTo(info(1, 2, 0, 2, 10, 1));
    assertThat(f.apply(1)).isEqualTo("v1");
    assertThat(f.apply(2)).isEqualTo("v2");
    assertThat(computations).hasValue(3);
    assertThat(f.cacheInfo()).isEqualTo(info(2, 3, 0, 3, 10, 2));
  }

  private CachedFunction1<Integer, String> item(L1Policy policy) {
    return twoLayers.function("item", String.class).l1MaxSize(10).l1Policy(policy)
        .key(args -> "item:" + args[0]).prefix("shelf").tags(args -> List.of("t" + args[0]))
        .of(this::compute);
  }

  @Test
  void everyInvalidationReachesAWTinyLfuL1() {
    CachedFunction1<Integer, String> f = item(L1Policy.W_TINY_LFU);
    for (int i = 1; i <= 4; i++) {
      f.apply(i);
    }
    assertThat(f.cacheInfo()).isEqualTo(info(0, 4, 0, 4, 10, 4));

    f.invalidate(1);
    assertThat(f.cacheInfo().l1CurrSize()).isEqualTo(3);
    assertThat(twoLayers.invalidateKey("shelf:item:2")).isTrue();
    assertThat(f.cacheInfo().l1CurrSize()).isEqualTo(2);
    assertThat(twoLayers.invalidateTags("t3")).isTrue();
    assertThat(f.cacheInfo().l1CurrSize()).isEqualTo(1);
    for (int i = 1; i <= 4; i++) {
      f.apply(i);
    }
    // 1, 2, 3 computed again (their L2 entries are gone or stale), 4 an L1 hit
    assertThat(computations).hasValue(7);
    assertThat(f.cacheInfo()).isEqualTo(info(1, 7, 0, 7, 10, 4));

    assertThat(twoLayers.invalidatePrefix("shelf")).isTrue();
    assertThat(f.cacheInfo().l1CurrSize()).isZero();
    f.apply(4);
    assertThat(computations).hasValue(8);

    f.cacheClear();
    assertThat(f.cacheInfo()).isEqualTo(info(0, 0, 0, 0, 10, 0));
    f.apply(4); // L1 is empty, L2 still holds it
    assertThat(computations).hasValue(8);
    assertThat(f.cacheInfo()).isEqualTo(info(0, 1, 1, 0, 10, 1));
  }

  @Test
  void aWTinyLfuL1NeedsABound() {
    assertThatThrownBy(() -> l1Only.function("f", String.class).l1Policy(L1Policy.W_TINY_LFU).l1Unbounded()
        .of(this::compute))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cached function 'f': l1Policy(W_TINY_LFU) chooses which entries a full L1 evicts, so it"
            + " needs a bounded L1, but l1Unbounded() never evicts; set l1MaxSize(n) with n >= 1, or keep the"
            + " default l1Policy(LRU)");
    assertThatThrownBy(() -> l1Only.function("g", String.class).l1MaxSize(0).l1Policy(L1Policy.W_TINY_LFU)
        .of(this::compute))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cached function 'g': l1Policy(W_TINY_LFU) chooses which entries a full L1 evicts, so it"
            + " needs a bounded L1, but l1MaxSize(0) turns L1 off; set l1MaxSize(n) with n >= 1, or keep the"
            + " default l1Policy(LRU)");
    assertThatThrownBy(() -> l1Only.function("h", String.class).l1Policy(null))
        .isInstanceOf(NullPointerException.class).hasMessage("l1Policy");
    // LRU takes both
    assertThat(l1Only.function("i", String.class).l1Unbounded().l1Policy(L1Policy.LRU).of(this::compute)
        .cacheInfo()).isEqualTo(info(0, 0, 0, 0, CacheInfo.UNBOUNDED, 0));
  }

  public interface Catalog {
    @Cached(l1MaxSize = 100, l1Only = true)
    String lru(int id);

    @Cached(l1MaxSize = 100, l1Only = true, l1Policy = L1Policy.W_TINY_LFU)
    String tinyLfu(int id);
  }

  @CacheDefaults(l1MaxSize = 100, l1Policy = L1Policy.W_TINY_LFU)
  public interface TinyLfuCatalog {
    @Cached(l1Only = true)
    String inherited(int id);

    @Cached(l1Only = true, l1Policy = L1Policy.LRU)
    String overridden(int id);
  }

  public interface TwoPolicies {
    @Cached(l1Policy = {L1Policy.LRU, L1Policy.W_TINY_LFU})
    String both(int id);
  }

  public interface UnboundedTinyLfu {
    @Cached(l1MaxSize = Cached.UNBOUNDED, l1Policy = L1Policy.W_TINY_LFU)
    String all(int id);
  }

  private final class Source implements Catalog, TinyLfuCatalog, TwoPolicies, UnboundedTinyLfu {
    @Override
    public String lru(int id) {
      return compute(id);
    }

    @Override
    public String tinyLfu(int id) {
      return compute(id);
    }

    @Override
    public String inherited(int id) {
      return compute(id);
    }

    @Override
    public String overridden(int id) {
      return compute(id);
    }

    @Override
    public String both(int id) {
      return compute(id);
    }

    @Override
    public String all(int id) {
      return compute(id);
    }
  }

  @Test
  void cachedMethodsTakeThePolicyFromTheAnnotationOrTheClassDefaults() {
    Catalog catalog = l1Only.proxy(Catalog.class, new Source());
    hotKeyThenScan(catalog::lru);
    assertThat(computations).hasValue(1_062);
    hotKeyThenScan(catalog::tinyLfu);
    assertThat(computations).hasValue(1_062 + 1_061);

    TinyLfuCatalog defaults = l1Only.proxy(TinyLfuCatalog.class, new Source());
    computations.set(0);
    hotKeyThenScan(defaults::inherited);
    assertThat(computations).hasValue(1_061);
    hotKeyThenScan(defaults::overridden);
    assertThat(computations).hasValue(1_061 + 1_062);
  }

  @Test
  void aCachedMethodWithAPolicyItCannotHaveIsRefusedWhenTheProxyIsMade() {
    assertThatThrownBy(() -> l1Only.proxy(TwoPolicies.class, new Source()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("TwoPolicies.both")
        .hasMessageEndingWith(": l1Policy takes at most one policy, got [LRU, W_TINY_LFU]");
    assertThatThrownBy(() -> l1Only.proxy(UnboundedTinyLfu.class, new Source()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("l1Policy(W_TINY_LFU)")
        .hasMessageContaining("l1Unbounded() never evicts");
  }
}
