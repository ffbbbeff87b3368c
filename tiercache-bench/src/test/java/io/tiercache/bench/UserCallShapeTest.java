package io.tiercache.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Cache;
import io.tiercache.CacheInfo;
import io.tiercache.CachedFunction2;
import io.tiercache.TierCache;
import io.tiercache.bench.UserCallShape.FindKey;
import io.tiercache.coherence.LocalInvalidationChannel;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The issue-13 call shape is what it says: every function and store answers {@code find}, the
 * discarding L2 keeps nothing and its channel is live, and the heap harness fills each store with
 * exactly its entries and reports them as ratios.
 */
class UserCallShapeTest {

  @Test
  void idsAreDistinctOutsideTheLongCacheAndFixedBySeed() {
    long[] ids = UserCallShape.ids(1_000, 42);
    assertThat(Arrays.stream(ids).distinct().count()).isEqualTo(1_000);
    assertThat(Arrays.stream(ids).allMatch(id -> id >= 1_000)).isTrue();
    assertThat(UserCallShape.ids(1_000, 42)).containsExactly(ids);
  }

  @Test
  void everyFunctionAndPeerAnswersFind() {
    TierCache cache = TierCache.builder().build();
    Cache<FindKey, String> caffeine = UserCallShape.caffeine(16);
    for (int f = 0; f < UserCallShape.MAX_FUNCTIONS; f++) {
      CachedFunction2<Long, String, String> fn = UserCallShape.tiercache(cache, f, 16);
      var async = UserCallShape.tiercacheAsync(cache, f, 16);
      for (int i = 0; i < 8; i++) {
        long id = 5_000 + i;
        String category = UserCallShape.category(i);
        String expected = UserCallShape.find(id, category);
        assertThat(fn.apply(id, category)).isSameAs(expected);
        assertThat(fn.apply(id, category)).isSameAs(expected);
        assertThat(async.apply(id, category).join()).isSameAs(expected);
        assertThat(caffeine.get(new FindKey(id, category), UserCallShape::load)).isSameAs(expected);
      }
      assertThat(fn.cacheInfo()).isEqualTo(new CacheInfo(8, 8, 0, 8, 16, 8));
    }
  }

  @Test
  void theDiscardingL2KeepsNothingAndItsChannelReachesOtherL1s() {
    LocalInvalidationChannel channel = new LocalInvalidationChannel("test");
    CachedFunction2<Long, String, String> one = UserCallShape.tiercache(TierCache.builder()
        .backend(TierCache.DEFAULT, UserCallShape.discardingBackend(channel)).build(), 0, 16);
    CachedFunction2<Long, String, String> two = UserCallShape.tiercache(TierCache.builder()
        .backend(TierCache.DEFAULT, UserCallShape.discardingBackend(channel)).build(), 0, 16);
    one.apply(5_000L, "books");
    two.apply(5_000L, "books");
    assertThat(one.cacheInfo()).isEqualTo(new CacheInfo(0, 1, 0, 1, 16, 1)); // no L2 hit
    assertThat(two.cacheInfo()).isEqualTo(new CacheInfo(0, 1, 0, 1, 16, 1));
    assertThat(one.invalidate(5_000L, "books")).isTrue(); // its L1 held the entry
    assertThat(one.cacheInfo().l1CurrSize()).isZero();
    assertThat(two.cacheInfo().l1CurrSize()).isZero(); // dropped through the channel

    CachedFunction2<Long, String, String> alone = UserCallShape.tiercache(TierCache.builder()
        .backend(TierCache.DEFAULT, UserCallShape.discardingBackend(null)).build(), 0, 16);
    alone.apply(5_000L, "books");
    assertThat(alone.cacheInfo()).isEqualTo(new CacheInfo(0, 1, 0, 1, 16, 1));
  }

  @Test
  void theHeapHarnessFillsEveryStoreWithEveryEntry() {
    long[] ids = UserCallShape.ids(1_000, 7);
    Map<String, Function<long[], Object>> stores = HeapPerEntry.stores();
    assertThat(stores.keySet()).containsExactly("floor: ConcurrentHashMap + record key",
        "Caffeine, same options", "tiercache, L1 only", "tiercache, L2 without channel",
        "tiercache, L2 with channel");
    List<Object> filled = stores.values().stream().map(s -> s.apply(ids)).toList();
    assertThat(((ConcurrentHashMap<?, ?>) filled.get(0))).hasSize(1_000);
    assertThat(((Cache<?, ?>) filled.get(1)).estimatedSize()).isEqualTo(1_000);
    for (Object f : filled.subList(2, 5)) {
      assertThat(((CachedFunction2<?, ?, ?>) f).cacheInfo().l1CurrSize()).isEqualTo(1_000);
    }
  }

  @Test
  void theTableGivesRatiosToCaffeineAndTheFloor() {
    String md = HeapPerEntry.markdown(List.of(
        new HeapPerEntry.Measured("floor: ConcurrentHashMap + record key", new double[] {70, 64}),
        new HeapPerEntry.Measured("Caffeine, same options", new double[] {100, 96}),
        new HeapPerEntry.Measured("tiercache, L1 only", new double[] {150, 144})));
    assertThat(md.lines()).containsExactly(
        "| store (1,000,000 entries) | B/entry | x Caffeine | x floor | rounds |",
        "|---|---:|---:|---:|---|",
        "| floor: ConcurrentHashMap + record key | 64.0 | 0.67x | 1.00x | 70.0, 64.0 |",
        "| Caffeine, same options | 96.0 | 1.00x | 1.50x | 100.0, 96.0 |",
        "| tiercache, L1 only | 144.0 | 1.50x | 2.25x | 150.0, 144.0 |");
  }
}
