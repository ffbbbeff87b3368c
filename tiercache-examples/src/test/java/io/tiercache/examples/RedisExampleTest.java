package io.tiercache.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.testkit.RedisServerLauncher;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The Redis example prints what docs/redis.md says it prints, against a redis-server it starts. */
class RedisExampleTest {

  @Test
  void theExampleShowsAnL2HitAcrossProcessesAndTheInvalidationReachingTheOtherL1() throws Exception {
    try (RedisServerLauncher redis = new RedisServerLauncher().start()) {
      ByteArrayOutputStream buffer = new ByteArrayOutputStream();
      new RedisExample(new PrintStream(buffer, true, StandardCharsets.UTF_8), redis.uri()).run();
      String[] lines = buffer.toString(StandardCharsets.UTF_8).split(System.lineSeparator());
      assertThat(lines).hasSize(7);
      assertThat(lines[0]).isEqualTo("1. A: sku-42 costs 600 cents  (computed: 1 query)");
      assertThat(lines[1]).isEqualTo("2. B: sku-42 costs 600 cents  (an L2 hit: still 1 query)");
      assertThat(lines[2]).isEqualTo(
          "   B CacheInfo[l1Hits=0, l1Misses=1, l2Hits=1, l2Misses=0, l1MaxSize=128, l1CurrSize=1]");
      // the delay is measured, so only its form is fixed; the wait behind it is bounded by 5 s
      assertThat(lines[3]).matches(
          "3\\. A invalidates tag 'catalog': B's L1 copy is gone after \\d+\\.\\d ms \\(bound 1000 ms\\)");
      assertThat(lines[4]).isEqualTo("4. B: sku-42 costs 600 cents  (computed again: 2 queries)");
      assertThat(lines[5]).isEqualTo(
          "   B CacheInfo[l1Hits=0, l1Misses=2, l2Hits=1, l2Misses=1, l1MaxSize=128, l1CurrSize=1]");
      assertThat(lines[6]).isEqualTo("   B received 2 invalidation(s), dropped 1 L1 entry(ies), flushes 0");
    }
  }
}
