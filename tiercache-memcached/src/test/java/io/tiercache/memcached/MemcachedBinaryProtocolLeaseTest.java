package io.tiercache.memcached;

import io.tiercache.backend.LeasingBackend;
import io.tiercache.testkit.LeaseSuite;
import io.tiercache.testkit.MemcachedLauncher;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The lease suite over memcached's binary protocol (add answers EXISTS, delete takes a CAS). */
class MemcachedBinaryProtocolLeaseTest extends LeaseSuite {
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
  protected LeasingBackend createBackend() {
    return TestSupport.backendOn(servers).protocol(MemcachedBackend.Protocol.BINARY).build();
  }

  @Override
  protected void cleanUp(LeasingBackend backend) {
    try {
      super.cleanUp(backend);
    } finally {
      ((MemcachedBackend) backend).close();
    }
  }
}
