package io.tiercache.memcached;

import io.tiercache.backend.Backend;
import io.tiercache.testkit.MemcachedLauncher;
import io.tiercache.testkit.ServerBackendConformanceSuite;
import io.tiercache.testkit.ServerControl;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The backend contract on one real memcached server (ASCII protocol), which folsom serves without a
 * ketama ring; the outage tests stop and restart it.
 */
class MemcachedSingleServerConformanceTest extends ServerBackendConformanceSuite {
  private static List<MemcachedLauncher> servers;

  @BeforeAll
  static void startServers() {
    servers = TestSupport.startServers(1);
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
