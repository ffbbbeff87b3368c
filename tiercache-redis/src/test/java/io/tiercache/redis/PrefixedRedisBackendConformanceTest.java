package io.tiercache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.backend.Backend;
import io.tiercache.testkit.ServerBackendConformanceSuite;
import io.tiercache.testkit.ServerControl;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The conformance suite with a key prefix, so clear takes the {@code SCAN MATCH} + {@code UNLINK}
 * path; plus what a prefix promises: keys carry it in Redis, and clear leaves every other key alone,
 * even keys that a glob reading of the prefix would match.
 */
class PrefixedRedisBackendConformanceTest extends ServerBackendConformanceSuite {
  /** Glob metacharacters on purpose: they must be matched literally. */
  private static final String PREFIX = "app*[1]?:";

  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();

  @Override
  protected Backend createBackend() {
    return redis.closeAfterTest(RedisBackend.builder().uri(redis.uri()).keyPrefix(PREFIX).build());
  }

  @Override
  protected ServerControl serverControl() {
    return ServerControl.of(redis.launcher());
  }

  @Test
  void keysCarryThePrefixInRedis() {
    set("k", bytes("v"), Backend.NO_EXPIRY);
    await(backend().setMany(Map.of("m", bytes("w")), Duration.ofMinutes(1)));

    assertThat(redis.raw().sync().get(PREFIX + "k")).isEqualTo(bytes("v"));
    assertThat(redis.raw().sync().get(PREFIX + "m")).isEqualTo(bytes("w"));
    assertThat(redis.raw().sync().get("k")).isNull();
    assertThat(getMany(List.of("k", "m"))).containsOnlyKeys("k", "m");
  }

  @Test
  void clearDeletesOnlyKeysWithThisPrefixAmongThousandsOfOthers() {
    for (int i = 0; i < 2_500; i++) {
      redis.raw().sync().set("other:" + i, bytes("o" + i));
      set("mine:" + i, bytes("m" + i), Backend.NO_EXPIRY);
    }
    String[] lookalikes = {"appX[1]?:k", "app*1x:k", "app*[1]?", "APP*[1]?:k", "k"};
    for (String key : lookalikes) {
      redis.raw().sync().set(key, bytes(key));
    }
    try (RedisBackend otherPrefix = RedisBackend.builder().uri(redis.uri()).keyPrefix("app2:").build()) {
      await(otherPrefix.set("k", bytes("other backend"), Backend.NO_EXPIRY));

      await(backend().clear());

      assertThat(redis.raw().sync().keys(PREFIX.replace("*", "\\*").replace("[", "\\[")
          .replace("]", "\\]").replace("?", "\\?") + "*")).isEmpty();
      assertThat(redis.raw().sync().dbsize()).isEqualTo(2_500 + lookalikes.length + 1);
      for (String key : lookalikes) {
        assertThat(redis.raw().sync().get(key)).as(key)
            .isEqualTo(key.getBytes(StandardCharsets.UTF_8));
      }
      assertThat(await(otherPrefix.get("k"))).isEqualTo(bytes("other backend"));
      assertThat(redis.raw().sync().get("other:2499")).isEqualTo(bytes("o2499"));
    }
  }
}
