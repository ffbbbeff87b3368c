package io.tiercache.redis;

import io.tiercache.backend.Backend;
import io.tiercache.testkit.ServerBackendConformanceSuite;
import io.tiercache.testkit.ServerControl;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The testkit's conformance suite against a real standalone redis-server, one new backend (own
 * client and threads, default options) per test; clear is {@code FLUSHDB ASYNC}. The outage tests
 * stop and restart that redis-server.
 */
class RedisBackendConformanceTest extends ServerBackendConformanceSuite {
  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();

  @Override
  protected Backend createBackend() {
    return redis.closeAfterTest(RedisBackend.connect(redis.uri()));
  }

  @Override
  protected ServerControl serverControl() {
    return ServerControl.of(redis.launcher());
  }
}
