package io.tiercache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.backend.LeasingBackend;
import io.tiercache.testkit.LeaseSuite;
import io.tiercache.testkit.RedisServerLauncher;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The lease suite on a Redis backend with a key prefix: leases live under the prefix too. */
class PrefixedRedisLeaseTest extends LeaseSuite {
  private static RedisServerLauncher redis;
  private static RawRedis raw;

  @BeforeAll
  static void startRedis() {
    redis = new RedisServerLauncher().start();
    raw = RawRedis.to(redis.uri());
  }

  @AfterAll
  static void stopRedis() {
    raw.close();
    redis.close();
  }

  @Override
  protected LeasingBackend createBackend() {
    return RedisBackend.builder().uri(redis.uri()).keyPrefix("app1:").build();
  }

  @Override
  protected void cleanUp(LeasingBackend backend) {
    try {
      super.cleanUp(backend);
    } finally {
      ((RedisBackend) backend).close();
    }
  }

  @Test
  void theLeaseKeyCarriesThePrefixAndAnUnprefixedKeyIsAnotherLease() {
    assertThat(tryLease("leasesuite:#l:f:s1", "token-a", Duration.ofSeconds(30))).isTrue();
    assertThat(raw.sync().exists("app1:leasesuite:#l:f:s1")).isEqualTo(1);
    raw.sync().set("leasesuite:#l:f:s2", "other".getBytes());
    assertThat(tryLease("leasesuite:#l:f:s2", "token-a", Duration.ofSeconds(30))).isTrue();
    assertThat(release("leasesuite:#l:f:s2", "token-a")).isTrue();
    assertThat(raw.sync().get("leasesuite:#l:f:s2")).isEqualTo("other".getBytes());
    raw.sync().del("leasesuite:#l:f:s2");
  }
}
