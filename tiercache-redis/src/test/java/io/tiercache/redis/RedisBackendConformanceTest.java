package io.tiercache.redis;

import io.tiercache.backend.Backend;
import io.tiercache.testkit.RedisServerLauncher;
import io.tiercache.testkit.ServerBackendConformanceSuite;
import io.tiercache.testkit.ServerControl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The testkit's conformance suite against a real standalone redis-server, one new backend (own
 * client and threads, default options) per test; clear is {@code FLUSHDB ASYNC}. The outage tests
 * stop and restart that redis-server.
 */
class RedisBackendConformanceTest extends ServerBackendConformanceSuite {
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
  protected ServerControl serverControl() {
    return ServerControl.of(redis);
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
