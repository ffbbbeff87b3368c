package io.tiercache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Invalidation by tag and by prefix reaches exactly the L1 entries that carry them, through L1's
 * index by tag key, after evictions and replacements changed what L1 holds.
 */
class L1TagIndexTest {
  private final ManualTimeSource time = new ManualTimeSource();
  private final TierCache cache = TierCache.builder().timeSource(time).build();
  private final AtomicInteger computations = new AtomicInteger();

  @Test
  void invalidateTagsDropsExactlyTheHeldEntriesCarryingTheTag() {
    CachedFunction1<Integer, String> items = cache.function("items", String.class).l1MaxSize(100)
        .tags(args -> List.of("mod3:" + (Integer) args[0] % 3, "all"))
        .of((Integer id) -> "item " + id + " v" + computations.incrementAndGet());
    for (int id = 0; id < 200; id++) {
      items.apply(id); // 0..99 are evicted by 100..199
    }
    assertThat(items.cacheInfo().l1CurrSize()).isEqualTo(100);

    assertThat(cache.invalidateTags("mod3:0")).isTrue();
    // 102, 105, ..., 198: 33 entries
    assertThat(items.cacheInfo().l1CurrSize()).isEqualTo(67);
    for (int id = 0; id < 200; id++) {
      assertThat(items.contains(id)).as("id %d", id).isEqualTo(id >= 100 && id % 3 != 0);
    }
    assertThat(cache.invalidateTags("absent")).isTrue();
    assertThat(items.cacheInfo().l1CurrSize()).isEqualTo(67);

    assertThat(items.apply(102)).isEqualTo("item 102 v201"); // recomputed
    assertThat(items.apply(101)).isEqualTo("item 101 v102"); // still held
    assertThat(items.cacheInfo().l1CurrSize()).isEqualTo(68);
    assertThat(cache.invalidateTags("all")).isTrue();
    assertThat(items.cacheInfo().l1CurrSize()).isZero();
  }

  @Test
  void invalidatePrefixDropsExactlyTheEntriesUnderIt() {
    CachedFunction2<String, Integer, String> pages = cache.function("pages", String.class)
        .prefix(args -> "shelf:" + args[0])
        .of((String shelf, Integer page) -> shelf + "/" + page + " v" + computations.incrementAndGet());
    for (int page = 0; page < 50; page++) {
      pages.apply("a", page);
      pages.apply("b", page);
    }
    assertThat(pages.apply("a", 7)).isEqualTo("a/7 v15");

    assertThat(pages.invalidatePrefix("a", 0)).isTrue();
    assertThat(pages.cacheInfo().l1CurrSize()).isEqualTo(50);
    for (int page = 0; page < 50; page++) {
      assertThat(pages.contains("a", page)).isFalse();
      assertThat(pages.contains("b", page)).isTrue();
    }
    assertThat(pages.apply("a", 7)).isEqualTo("a/7 v101");
    assertThat(cache.invalidatePrefix("shelf:b")).isTrue();
    assertThat(pages.cacheInfo().l1CurrSize()).isEqualTo(1);
  }
}
