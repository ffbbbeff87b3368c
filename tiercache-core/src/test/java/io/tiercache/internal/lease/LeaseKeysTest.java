package io.tiercache.internal.lease;

import io.tiercache.lease.LeasePolicy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.internal.key.L2KeyEncoder;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LeaseKeysTest {
  private final LeaseKeys keys = LeaseKeys.forNamespace("shop");

  @Test
  void aLeaseKeyIsTheEntryKeyUnderHashL() {
    assertThat(keys.of("shop:quote:sA-42,n3")).isEqualTo("shop:#l:quote:sA-42,n3");
    assertThat(keys.of("shop:users_by_state:CA")).isEqualTo("shop:#l:users_by_state:CA");
    assertThat(LeaseKeys.forNamespace("a b").of("a%20b:f:n1")).isEqualTo("a%20b:#l:f:n1");
  }

  @Test
  void longKeysStayWithinMemcachedRulesAndDistinct() {
    String a = "shop:f:s" + "x".repeat(242); // 250 characters, the longest entry key
    String b = "shop:f:s" + "x".repeat(241) + "y";
    assertThat(a).hasSize(L2KeyEncoder.MAX_KEY_LENGTH);
    String leaseA = keys.of(a);
    String leaseB = keys.of(b);
    assertThat(leaseA).hasSizeLessThanOrEqualTo(250).startsWith("shop:#l:f:sxxx").matches("[!-~]+");
    assertThat(leaseB).hasSizeLessThanOrEqualTo(250).isNotEqualTo(leaseA);
    String sha = LeaseKeys.forNamespaceHead("shop:", io.tiercache.KeyHashing.SHA_256).of(a);
    assertThat(sha).hasSize(180 + 1 + 64).startsWith("shop:#l:f:sxxx").isNotEqualTo(leaseA);
    String hashed = "#" + "0".repeat(32); // an entry key hashed whole
    assertThat(keys.of(hashed)).isEqualTo("shop:#l:" + hashed);
  }

  @Test
  void policiesAreCheckedWithTheParameterNamed() {
    assertThat(LeasePolicy.of(Duration.ofMillis(200))).isEqualTo(
        new LeasePolicy(Duration.ofMillis(200), Duration.ofMillis(600)));
    assertThatThrownBy(() -> new LeasePolicy(Duration.ofNanos(999_999), Duration.ofSeconds(1)))
        .hasMessage("lease wait must be at least 1 ms, got PT0.000999999S");
    assertThatThrownBy(() -> new LeasePolicy(Duration.ofSeconds(1), null)).hasMessage("lease ttl");
    assertThatThrownBy(() -> new LeasePolicy(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .hasMessageStartingWith("lease ttl (PT1S) must not be shorter than the lease wait (PT2S)");
  }
}
