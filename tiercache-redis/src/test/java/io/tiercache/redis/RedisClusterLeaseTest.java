package io.tiercache.redis;

import io.tiercache.backend.LeasingBackend;
import io.tiercache.testkit.LeaseSuite;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The lease suite on a real 3-master Redis Cluster: leases of different keys land on different
 * masters; the release script runs on the master that owns its one key.
 */
class RedisClusterLeaseTest extends LeaseSuite {
  private static RedisClusterFixture cluster;

  @BeforeAll
  static void startCluster() {
    cluster = new RedisClusterFixture();
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  @Override
  protected LeasingBackend createBackend() {
    return RedisBackend.connectCluster(cluster.uris()[0]);
  }

  @Override
  protected void cleanUp(LeasingBackend backend) {
    try {
      super.cleanUp(backend);
    } finally {
      ((RedisBackend) backend).close();
    }
  }
}
