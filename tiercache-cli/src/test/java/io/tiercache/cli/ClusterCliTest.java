package io.tiercache.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.CachedFunction1;
import io.tiercache.TierCache;
import io.tiercache.redis.RedisBackend;
import io.tiercache.redis.RedisClusterFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** health, invalidate, keys and inspect against a real 3-master Redis Cluster, seeds given with --redis-cluster. */
class ClusterCliTest {

  @Test
  void healthInvalidateKeysAndInspectOnACluster() {
    try (RedisClusterFixture cluster = new RedisClusterFixture();
        RedisBackend backend = RedisBackend.connectCluster(cluster.uris());
        TierCache cache = TierCache.builder().namespace("cl").backend(TierCache.DEFAULT, backend)
            .l2Timeout(Duration.ofSeconds(5)).build()) {
      List<String> seeds = new ArrayList<>();
      for (String uri : cluster.uris()) {
        seeds.add("--redis-cluster");
        seeds.add(uri);
      }
      AtomicInteger computed = new AtomicInteger();
      CachedFunction1<Integer, String> price = cache.function("price", String.class)
          .tags(a -> List.of("sku:" + a[0]))
          .of((Integer sku) -> "p" + sku + "#" + computed.incrementAndGet());
      // Entries computed before the channel delivers live only one bound in L1 (the coherence
      // rule); wait for it, so the entries stay until the invalidation drops one.
      assertThat(Waits.delivering(cache, Duration.ofSeconds(10))).as("the channel delivers: %s", cache.coherence())
          .isTrue();
      for (int sku = 0; sku < 6; sku++) { // keys on every master
        price.apply(sku);
      }

      Cli.Result health = Cli.run(with(seeds, "health", "-n", "cl"));
      assertThat(health.out()).as(health.toString()).isEqualTo(
          "backend    " + backend.describe() + ": UP, connected to " + backend.describe().replaceAll("^redis\\(|\\)$", "")
              + "\nnamespace  cl\n"
              + "channel    delivering; other processes' L1s drop invalidated entries within 1 s\n"
              + "status     healthy\n");
      assertThat(health.code()).isEqualTo(ExitCodes.OK);

      Cli.Result keys = Cli.until(Duration.ofSeconds(10), r -> r.out().lines().count() == 6,
          with(seeds, "keys", "-n", "cl", "--match", "price:*"));
      assertThat(keys.out().lines().sorted())
          .containsExactly("price:n0", "price:n1", "price:n2", "price:n3", "price:n4", "price:n5");

      Cli.Result inspect = Cli.run(with(seeds, "inspect", "-n", "cl", "price:n3"));
      assertThat(inspect.out()).contains("payload    JSON string: \"p3#4\"\n").endsWith("status     live\n");

      Cli.Result invalidate = Cli.run(with(seeds, "invalidate", "-n", "cl", "--tag", "sku:3"));
      assertThat(invalidate.out()).isEqualTo("invalidated tag 'sku:3' in namespace 'cl' (" + backend.describe()
          + ")\npublished to the other processes: their L1s drop it within 1 s\n");
      assertThat(invalidate.code()).isEqualTo(ExitCodes.OK);
      assertThat(Waits.until(Duration.ofSeconds(10), () -> cache.coherence().entriesDropped() == 1))
          .as("this process's L1 dropped sku 3: %s %s", price.cacheInfo(), cache.coherence()).isTrue();
      assertThat(price.apply(3)).isEqualTo("p3#7");
      assertThat(price.apply(2)).isEqualTo("p2#3");
    }
  }

  private static String[] with(List<String> seeds, String command, String... more) {
    List<String> all = new ArrayList<>(List.of(command));
    all.addAll(seeds);
    all.addAll(List.of(more));
    return all.toArray(new String[0]);
  }
}
