package io.tiercache.examples.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.TierCache;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cache.CacheManager;
import org.springframework.context.ConfigurableApplicationContext;

class BootExampleApplicationTest {

  @Test
  void theBootExampleCachesOnTwoLayersFromItsPropertiesAsItsOutputSays() {
    ByteArrayOutputStream started = new ByteArrayOutputStream();
    PrintStream console = System.out;
    System.setOut(new PrintStream(started, true, StandardCharsets.UTF_8));
    ConfigurableApplicationContext context;
    try {
      context = new SpringApplicationBuilder(BootExampleApplication.class).run();
    } finally {
      System.setOut(console);
    }
    try (context) {
      assertThat(started.toString(StandardCharsets.UTF_8)).containsSubsequence(
          "title twice -> 1 lookups so far",
          "after @CacheEvict, title -> Dune (2nd edition), 2 lookups so far",
          "cache manager: TierCacheManager",
          "titles statistics: CacheInfo[l1Hits=1, l1Misses=2, l2Hits=0, l2Misses=2, l1MaxSize=1000, l1CurrSize=1]");
      TierCache tierCache = context.getBean(TierCache.class);
      assertThat(tierCache.backends().get("default").describe()).isEqualTo("in-memory(10000 entries)");

      // a second walk-through: the title is in L1, so only the evict costs a lookup
      ByteArrayOutputStream again = new ByteArrayOutputStream();
      BootExampleApplication.run(context.getBean(Catalog.class), context.getBean(CacheManager.class),
          new PrintStream(again, true, StandardCharsets.UTF_8));
      assertThat(again.toString(StandardCharsets.UTF_8)).containsSubsequence(
          "title twice -> 2 lookups so far",
          "after @CacheEvict, title -> Dune (2nd edition), 3 lookups so far");
    }
  }
}
