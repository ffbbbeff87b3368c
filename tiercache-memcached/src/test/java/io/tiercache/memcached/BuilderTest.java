package io.tiercache.memcached;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Configuration checks and the arithmetic that needs no server. */
class BuilderTest {

  @Test
  void parsesServerAddresses() {
    assertThat(ServerAddress.parse("cache-1:11311")).isEqualTo(new ServerAddress("cache-1", 11311));
    assertThat(ServerAddress.parse(" cache-1 ")).isEqualTo(new ServerAddress("cache-1", 11211));
    assertThat(ServerAddress.parse("[::1]:11311")).isEqualTo(new ServerAddress("::1", 11311));
    assertThat(ServerAddress.parse("[::1]")).isEqualTo(new ServerAddress("::1", 11211));
    assertThat(new ServerAddress("::1", 5).toString()).isEqualTo("[::1]:5");
    assertThat(new ServerAddress("10.0.0.1", 5).toString()).isEqualTo("10.0.0.1:5");
  }

  @Test
  void rejectsMalformedAddressesNamingThem() {
    for (String bad : new String[] {"", ":11211", "host:", "host:0", "host:70000", "host:port",
        "::1:11211", "[::1", "[::1]x", "a b:1", "http://x:1"}) {
      assertThatThrownBy(() -> MemcachedBackend.builder().servers(bad))
          .as(bad).isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> MemcachedBackend.builder().servers("host:port"))
        .hasMessageContaining("'host:port'");
  }

  @Test
  void rejectsDuplicateServersAndAnEmptyList() {
    assertThatThrownBy(() -> MemcachedBackend.builder().servers("a:1", "b:2", "a:1"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a:1");
    assertThatThrownBy(() -> MemcachedBackend.builder().build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("servers");
  }

  @Test
  void rejectsNonsensicalSettings() {
    MemcachedBackend.Builder b = MemcachedBackend.builder();
    assertThatThrownBy(() -> b.operationTimeout(Duration.ZERO))
        .hasMessageContaining("operationTimeout");
    assertThatThrownBy(() -> b.connectTimeout(Duration.ofMillis(-1)))
        .hasMessageContaining("connectTimeout");
    assertThatThrownBy(() -> b.maxItemSize(1023)).hasMessageContaining("1024");
    assertThatThrownBy(() -> b.connectionsPerServer(0))
        .hasMessageContaining("connectionsPerServer");
    assertThatThrownBy(() -> b.maxOutstandingRequests(0))
        .hasMessageContaining("maxOutstandingRequests");
    assertThatThrownBy(() -> b.reconnectBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .hasMessageContaining("below min");
  }

  @Test
  void ttlIsRoundedUpToSecondsPlusOneSoMemcachedNeverDropsAnEntryEarly() {
    assertThat(MemcachedBackend.expirySeconds(Duration.ZERO)).isZero();
    assertThat(MemcachedBackend.expirySeconds(null)).isZero();
    assertThat(MemcachedBackend.expirySeconds(Duration.ofMillis(1))).isEqualTo(2);
    assertThat(MemcachedBackend.expirySeconds(Duration.ofSeconds(1))).isEqualTo(2);
    assertThat(MemcachedBackend.expirySeconds(Duration.ofMillis(1_500))).isEqualTo(3);
    assertThat(MemcachedBackend.expirySeconds(Duration.ofDays(30))).isEqualTo(2_592_001);
    assertThat(MemcachedBackend.expirySeconds(Duration.ofDays(365 * 200)))
        .isEqualTo(Integer.MAX_VALUE);
    assertThatThrownBy(() -> MemcachedBackend.expirySeconds(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
