package io.tiercache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.backend.Backend;
import io.tiercache.testkit.RedisServerLauncher;
import io.tiercache.testkit.ServerBackendConformanceSuite;
import io.tiercache.testkit.ServerControl;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The conformance suite against a real 3-master Redis Cluster (the backend gets one seed and
 * discovers the rest), its outage tests stopping and restarting all three masters; plus proof that
 * the keys really spread over the three masters and that a prefixed clear reaches all of them.
 */
class RedisClusterConformanceTest extends ServerBackendConformanceSuite {
  private static RedisClusterFixture cluster;

  @BeforeAll
  static void startCluster() {
    cluster = new RedisClusterFixture();
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  @Override
  protected Backend createBackend() {
    return RedisBackend.connectCluster(cluster.uris()[0]);
  }

  @Override
  protected ServerControl serverControl() {
    return cluster.control();
  }

  @Override
  protected void cleanUp(Backend backend) {
    try {
      super.cleanUp(backend);
    } finally {
      ((RedisBackend) backend).close();
    }
  }

  @Test
  void invalidationsReachTheOtherProcessOverTheCluster() {
    try (RedisBackend backendA = RedisBackend.connectCluster(cluster.uris()[0]);
        RedisBackend backendB = RedisBackend.connectCluster(cluster.uris()[2]);
        io.tiercache.TierCache a = io.tiercache.TierCache.builder().namespace("ccoh").backend("default", backendA).build();
        io.tiercache.TierCache b = io.tiercache.TierCache.builder().namespace("ccoh").backend("default", backendB).build()) {
      java.time.Duration bound = java.time.Duration.ofSeconds(1); // 2 x the default heartbeat
      assertThat(b.coherence().stalenessBound()).isEqualTo(bound);
      Eventually.waitFor("both channels deliver", java.time.Duration.ofSeconds(15),
          () -> a.coherence().delivering() && b.coherence().delivering());
      java.util.concurrent.atomic.AtomicInteger version = new java.util.concurrent.atomic.AtomicInteger();
      io.tiercache.CachedFunction1<Integer, String> fa = a.function("f", String.class)
          .of((Integer i) -> i + "@" + version.get());
      io.tiercache.CachedFunction1<Integer, String> fb = b.function("f", String.class)
          .of((Integer i) -> i + "@" + version.get());
      for (int i = 0; i < 20; i++) { // keys on all three masters
        fb.apply(i);
      }
      assertThat(fb.cacheInfo().l1CurrSize()).isEqualTo(20);
      version.set(1);
      for (int i = 0; i < 20; i++) {
        fa.invalidate(i);
        int left = 19 - i;
        Eventually.waitFor("b dropped key " + i, bound, () -> fb.cacheInfo().l1CurrSize() == left);
      }
      assertThat(fb.apply(7)).isEqualTo("7@1");
      a.invalidateTags("nothing-tagged");
      Eventually.waitFor("b received all", bound, () -> b.coherence().received() == 21);
      assertThat(b.coherence().flushes()).isZero();
    }
  }

  @Test
  void describeNamesTheClusterSeed() {
    assertThat(backend().describe()).isEqualTo("redis(cluster " + cluster.nodes.get(0).address() + ")");
  }

  @Test
  void batchesSpreadOverAllThreeMastersAndComeBackWhole() {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    for (int i = 0; i < 300; i++) {
      entries.put("spread:" + i, bytes("v" + i));
    }
    await(backend().setMany(entries, Backend.NO_EXPIRY));

    long total = 0;
    for (RedisServerLauncher node : cluster.nodes) {
      long held = RedisClusterFixture.dbsize(node);
      assertThat(held).as("keys on " + node.address()).isGreaterThan(50);
      total += held;
    }
    assertThat(total).isEqualTo(300);
    Map<String, byte[]> found = getMany(new ArrayList<>(entries.keySet()));
    assertThat(found).hasSize(300);
    entries.forEach((k, v) -> assertThat(found.get(k)).as(k).isEqualTo(v));
  }

  @Test
  void prefixedClearDeletesItsKeysOnEveryMasterAndNothingElse() {
    try (RedisBackend prefixed = RedisBackend.builder().cluster(cluster.uris()).keyPrefix("p1:").build()) {
      Map<String, byte[]> mine = new LinkedHashMap<>();
      for (int i = 0; i < 300; i++) {
        mine.put("k" + i, bytes("mine " + i));
        set("k" + i, bytes("unprefixed " + i), Backend.NO_EXPIRY);
      }
      await(prefixed.setMany(mine, Backend.NO_EXPIRY));
      for (RedisServerLauncher node : cluster.nodes) {
        assertThat(RedisClusterFixture.dbsize(node)).isGreaterThan(100);
      }

      await(prefixed.clear());

      assertThat(await(prefixed.getMany(List.copyOf(mine.keySet())))).isEmpty();
      long total = 0;
      for (RedisServerLauncher node : cluster.nodes) {
        total += RedisClusterFixture.dbsize(node);
      }
      assertThat(total).isEqualTo(300);
      assertThat(get("k299")).isEqualTo(bytes("unprefixed 299"));
    }
  }
}
