package io.tiercache.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.TierCache;
import io.tiercache.backend.InMemoryBackend;
import io.tiercache.memcached.MemcachedBackend;
import io.tiercache.testkit.MemcachedLauncher;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/** The health of embedded and memcached backends (Redis's is shown over HTTP in TierCacheActuatorTest). */
class TierCacheHealthIndicatorTest {

  @Test
  void anEmbeddedBackendIsUpAndNeverDegradedByItsInJvmChannel() {
    try (TierCache cache = TierCache.builder().backend("local", InMemoryBackend.create()).build()) {
      Health health = new TierCacheHealthIndicator(cache, "local").health();
      assertThat(health.getStatus()).isEqualTo(Status.UP);
      assertThat(health.getDetails()).isEqualTo(Map.of("alias", "local",
          "backend", "in-memory(10000 entries)", "state", "UP", "l2Errors", 0L));
    }
  }

  @Test
  void aMemcachedBackendIsUpWithItsServerThenDownWhenTheServerStops() throws Exception {
    try (MemcachedLauncher server = new MemcachedLauncher().start();
        MemcachedBackend backend = MemcachedBackend.connect(server.address());
        TierCache cache = TierCache.builder().backend("mc", backend).build()) {
      TierCacheHealthIndicator indicator = new TierCacheHealthIndicator(cache, "mc");
      Health up = indicator.health();
      assertThat(up.getStatus()).isEqualTo(Status.UP);
      assertThat(up.getDetails()).containsEntry("state", "UP")
          .containsEntry("message", "1 of 1 servers connected");

      server.stop();
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      Health down = indicator.health();
      while (!down.getStatus().equals(Status.DOWN) && System.nanoTime() < deadline) {
        Thread.onSpinWait();
        down = indicator.health();
      }
      assertThat(down.getStatus()).isEqualTo(Status.DOWN);
      assertThat(down.getDetails()).containsEntry("state", "DISCONNECTED")
          .containsEntry("message", "0 of 1 servers connected");
    }
  }
}
