package io.tiercache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.backend.Backend;
import io.tiercache.testkit.RedisServerLauncher;
import io.tiercache.testkit.ServerBackendConformanceSuite;
import io.tiercache.testkit.ServerControl;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The conformance suite with a key prefix, so clear takes the {@code SCAN MATCH} + {@code UNLINK}
 * path; plus what a prefix promises: keys carry it in Redis, and clear leaves every other key alone,
 * even keys that a glob reading of the prefix would match.
 */
class PrefixedRedisBackendConformanceTest extends ServerBackendConformanceSuite {
  /** Glob metacharacters on purpose: they must be matched literally. */
  private static final String PREFIX = "app*[1]?:";

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
  protected Backend createBackend() {
    return RedisBackend.builder().uri(redis.uri()).keyPrefix(PREFIX).build();
  }

  @Override
  protected ServerControl serverControl() {
    return ServerControl.of(redis);
  }

  @Override
  protected void cleanUp(Backend backend) {
    try {
      super.cleanUp(backend);
      raw.sync().flushdb();
    } finally {
      ((RedisBackend) backend).close();
    }
  }

  @Test
  void keysCarryThePrefixInRedis() {
    set("k", bytes("v"), Backend.NO_EXPIRY);
    await(backend().setMany(Map.of("m", bytes("w")), Duration.ofMinutes(1)));

    assertThat(raw.sync().get(PREFIX + "k")).isEqualTo(bytes("v"));
    assertThat(raw.sync().get(PREFIX + "m")).isEqualTo(bytes("w"));
    assertThat(raw.sync().get("k")).isNull();
    assertThat(getMany(List.of("k", "m"))).containsOnlyKeys("k", "m");
  }

  @Test
  void clearDeletesOnlyKeysWithThisPrefixAmongThousandsOfOthers() {
    for (int i = 0; i < 2_500; i++) {
      raw.sync().set("other:" + i, bytes("o" + i));
      set("mine:" + i, bytes("m" + i), Backend.NO_EXPIRY);
    }
    String[] lookalikes = {"appX[1]?:k", "app*1x:k", "app*[1]?", "APP*[1]?:k", "k"};
    for (String key : lookalikes) {
      raw.sync().set(key, bytes(key));
    }
    try (RedisBackend otherPrefix = RedisBackend.builder().uri(redis.uri()).keyPrefix("app2:").build()) {
      await(otherPrefix.set("k", bytes("other backend"), Backend.NO_EXPIRY));

      await(backend().clear());

      assertThat(raw.sync().keys(PREFIX.replace("*", "\\*").replace("[", "\\[")
          .replace("]", "\\]").replace("?", "\\?") + "*")).isEmpty();
      assertThat(raw.sync().dbsize()).isEqualTo(2_500 + lookalikes.length + 1);
      for (String key : lookalikes) {
        assertThat(raw.sync().get(key)).as(key).isEqualTo(key.getBytes(StandardCharsets.UTF_8));
      }
      assertThat(await(otherPrefix.get("k"))).isEqualTo(bytes("other backend"));
      assertThat(raw.sync().get("other:2499")).isEqualTo(bytes("o2499"));
    }
  }
}
