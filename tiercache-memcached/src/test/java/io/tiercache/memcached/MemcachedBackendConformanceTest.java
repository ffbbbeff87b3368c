package io.tiercache.memcached;

import io.tiercache.backend.Backend;
import io.tiercache.testkit.MemcachedLauncher;
import io.tiercache.testkit.ServerBackendConformanceSuite;
import io.tiercache.testkit.ServerControl;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The backend contract, on a pool of three real memcached servers (ASCII protocol, the default):
 * every batch spans servers, {@code clear()} flushes all three, and the outage tests stop and
 * restart all three.
 */
class MemcachedBackendConformanceTest extends ServerBackendConformanceSuite {
  private static List<MemcachedLauncher> servers;

  @BeforeAll
  static void startServers() {
    servers = TestSupport.startServers(3);
  }

  @AfterAll
  static void stopServers() {
    TestSupport.closeAll(servers);
  }

  @Override
  protected Backend createBackend() {
    return TestSupport.backendOn(servers).build();
  }

  @Override
  protected ServerControl serverControl() {
    return ServerControl.of(servers);
  }

  @Override
  protected void cleanUp(Backend backend) {
    try {
      super.cleanUp(backend);
    } finally {
      ((MemcachedBackend) backend).close();
    }
  }
}
