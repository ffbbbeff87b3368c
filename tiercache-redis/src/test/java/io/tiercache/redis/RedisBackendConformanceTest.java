package io.tiercache.redis;

import io.tiercache.backend.Backend;
import io.tiercache.testkit.BackendConformanceSuite;
import io.tiercache.testkit.RedisServerLauncher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The testkit's conformance suite against a real standalone redis-server, one new backend (own
 * client and threads, default options) per test; clear is {@code FLUSHDB ASYNC}.
 */
class RedisBackendConformanceTest extends BackendConformanceSuite {
  private static RedisServerLauncher redis;

  @BeforeAll
  static void startRedis() {
    redis = new RedisServerLauncher().start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @Override
  protected Backend createBackend() {
    return RedisBackend.connect(redis.uri());
  }

  @Override
  protected void cleanUp(Backend backend) {
    try {
      super.cleanUp(backend);
    } finally {
      ((RedisBackend) backend).close();
    }
  }
}
