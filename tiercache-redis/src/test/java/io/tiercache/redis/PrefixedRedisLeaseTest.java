package io.tiercache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.backend.LeasingBackend;
import io.tiercache.testkit.LeaseSuite;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The lease suite on a Redis backend with a key prefix: leases live under the prefix too. */
class PrefixedRedisLeaseTest extends LeaseSuite {
  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();

  @Override
  protected LeasingBackend createBackend() {
    return redis.closeAfterTest(RedisBackend.builder().uri(redis.uri()).keyPrefix("app1:").build());
  }

  @Test
  void theLeaseKeyCarriesThePrefixAndAnUnprefixedKeyIsAnotherLease() {
    assertThat(tryLease("leasesuite:#l:f:s1", "token-a", Duration.ofSeconds(30))).isTrue();
    assertThat(redis.raw().sync().exists("app1:leasesuite:#l:f:s1")).isEqualTo(1);
    redis.raw().sync().set("leasesuite:#l:f:s2", "other".getBytes());
    assertThat(tryLease("leasesuite:#l:f:s2", "token-a", Duration.ofSeconds(30))).isTrue();
    assertThat(release("leasesuite:#l:f:s2", "token-a")).isTrue();
    assertThat(redis.raw().sync().get("leasesuite:#l:f:s2")).isEqualTo("other".getBytes());
    redis.raw().sync().del("leasesuite:#l:f:s2");
  }
}
