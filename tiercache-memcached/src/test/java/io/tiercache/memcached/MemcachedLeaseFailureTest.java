package io.tiercache.memcached;

import static io.tiercache.memcached.TestSupport.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.CacheInfo;
import io.tiercache.CachedFunction1;
import io.tiercache.TierCache;
import io.tiercache.lease.LeaseStats;
import io.tiercache.testkit.MemcachedLauncher;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * On three real servers, the lease of an entry may live on another server than the entry: with
 * that server stopped, reads work but the lease fails at once, so calls compute (counted, never
 * thrown), and once the server is back the lease works again.
 */
class MemcachedLeaseFailureTest {
  private static List<MemcachedLauncher> servers;
  private MemcachedBackend backend;

  @BeforeAll
  static void startServers() {
    servers = TestSupport.startServers(3);
  }

  @AfterAll
  static void stopServers() {
    TestSupport.closeAll(servers);
  }

  @AfterEach
  void closeBackend() {
    if (backend != null) {
      backend.close();
    }
    for (MemcachedLauncher server : servers) {
      if (!server.isRunning()) {
        server.start();
      }
    }
  }

  @Test
  void whileTheLeaseServerIsDownCallsComputeAndOnceItIsBackTheLeaseWorks() {
    backend = TestSupport.backendOn(servers).build();
    AtomicInteger computations = new AtomicInteger();
    CachedFunction1<Integer, String> report = TierCache.builder().namespace("lf")
        .backend(TierCache.DEFAULT, backend).l2Timeout(Duration.ofSeconds(3)).build()
        .function("report", String.class).l1MaxSize(0).lease(Duration.ofSeconds(30))
        .of((Integer day) -> "report " + day + " #" + computations.incrementAndGet());
    int day = 0;
    while (backend.serverOf("lf:report:n" + day).equals(backend.serverOf("lf:#l:report:n" + day))) {
      day++; // an entry whose lease lives on another server
    }
    String leaseServer = backend.serverOf("lf:#l:report:n" + day);
    MemcachedLauncher victim = servers.stream().filter(s -> s.address().equals(leaseServer)).findFirst()
        .orElseThrow();

    victim.stop();
    awaitTrue(() -> !backend.connectedServers().contains(leaseServer), "the backend sees the server gone");
    assertThat(report.apply(day)).isEqualTo("report " + day + " #1");
    assertThat(report.leaseStats()).isEqualTo(new LeaseStats(0, 0, 0, 0, 0, 1));
    assertThat(report.cacheInfo()).isEqualTo(new CacheInfo(0, 1, 0, 1, 0, 0));
    assertThat(report.l2ErrorCount()).isEqualTo(1);

    victim.start();
    awaitTrue(() -> backend.connectedServers().contains(leaseServer), "the server rejoins");
    int next = day + 1000;
    assertThat(report.apply(next)).isEqualTo("report " + next + " #2");
    assertThat(report.leaseStats()).isEqualTo(new LeaseStats(1, 0, 0, 0, 0, 1));
    awaitTrue(() -> TestSupport.join(backend.get("lf:report:n" + next)) != null, "the value is written");
    assertThat(report.apply(next)).as("an L2 hit").isEqualTo("report " + next + " #2");
    assertThat(computations).hasValue(2);
  }
}
