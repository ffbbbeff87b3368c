package io.tiercache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.backend.Backend;
import io.tiercache.testkit.RedisSentinelSetup;
import io.tiercache.testkit.ServerBackendConformanceSuite;
import io.tiercache.testkit.ServerControl;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The testkit's conformance suite on a master found through Sentinel
 * ({@code redis-sentinel://127.0.0.1:N/0#mymaster}): a real master, its replica and one sentinel,
 * one new backend per test. The outage tests stop every process (the sentinel first, so it never
 * fails over meanwhile: what a failover does is {@link RedisSentinelFailoverTest}'s subject) and
 * start them again on the same ports; the backend, which lost the master and the sentinel, must
 * find the master through the sentinel again by itself. The down-after time is 5 s, longer than
 * the defaults' 1 s, so a slow moment of a loaded machine is not taken for a dead master.
 */
class RedisSentinelBackendConformanceTest extends ServerBackendConformanceSuite {
  private static RedisSentinelSetup sentinel;

  @BeforeAll
  static void startSentinel() {
    sentinel = RedisSentinelSetup.start(RedisSentinelSetup.Settings.defaults()
        .withDownAfter(Duration.ofSeconds(5)));
  }

  @AfterAll
  static void stopSentinel() {
    sentinel.close();
  }

  @Override
  protected Backend createBackend() {
    return RedisBackend.connect(sentinel.uri());
  }

  @Override
  protected ServerControl serverControl() {
    return sentinel.serverControl();
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
  void theBackendTalksToTheMasterTheSentinelNames() {
    RedisBackend redis = (RedisBackend) backend();
    assertThat(redis.awaitUp(Duration.ofSeconds(10))).isTrue();
    assertThat(redis.describe()).contains("sentinel mymaster via " + sentinel.sentinels().get(0).address());
    set("where", bytes("on the master"), Backend.NO_EXPIRY);
    try (RawRedis master = RawRedis.to(sentinel.master().uri())) {
      assertThat(master.sync().get("where")).isEqualTo(bytes("on the master"));
    }
    try (RawRedis replica = RawRedis.to(sentinel.replica().uri())) {
      Eventually.waitFor("the replica has the key", Duration.ofSeconds(10),
          () -> replica.sync().get("where") != null);
    }
  }
}
