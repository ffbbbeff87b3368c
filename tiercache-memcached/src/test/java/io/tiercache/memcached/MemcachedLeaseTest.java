package io.tiercache.memcached;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.CacheInfo;
import io.tiercache.CachedFunction1;
import io.tiercache.TierCache;
import io.tiercache.backend.LeasingBackend;
import io.tiercache.lease.LeaseStats;
import io.tiercache.testkit.LeaseSuite;
import io.tiercache.testkit.MemcachedLauncher;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The testkit's lease suite on three real memcached servers (ASCII protocol), each "process" on a
 * backend with its own connections; plus what a lease is on the server and the commands a miss
 * with a lease costs, from memcached's own {@code stats}.
 */
class MemcachedLeaseTest extends LeaseSuite {
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
  protected LeasingBackend createBackend() {
    return TestSupport.backendOn(servers).build();
  }

  @Override
  protected void cleanUp(LeasingBackend backend) {
    try {
      super.cleanUp(backend);
    } finally {
      ((MemcachedBackend) backend).close();
    }
  }

  private static MemcachedLauncher serverOf(MemcachedBackend backend, String key) {
    String address = backend.serverOf(key);
    return servers.stream().filter(s -> s.address().equals(address)).findFirst().orElseThrow();
  }

  @Test
  void aLeaseIsAnItemHoldingTheTokenWithTheTtlRoundedUp() {
    MemcachedBackend backend = (MemcachedBackend) backend();
    assertThat(tryLease("leasesuite:#l:f:s1", "token-a", Duration.ofMillis(1_500))).isTrue();
    try (RawMemcached raw = RawMemcached.to(serverOf(backend, "leasesuite:#l:f:s1"))) {
      assertThat(new String(raw.get("leasesuite:#l:f:s1"), StandardCharsets.UTF_8)).isEqualTo("token-a");
      assertThat(raw.remainingTtl("leasesuite:#l:f:s1")).isBetween(1L, 3L); // 1.5 s -> 2 s, + 1 s
    }
  }

  @Test
  void aMissWithALeaseIsGetAddSetThenGetsAndACasDeleteOnTheServers() {
    MemcachedBackend backend = (MemcachedBackend) backend();
    CachedFunction1<Long, Long> square = TierCache.builder().namespace("rt")
        .backend(TierCache.DEFAULT, backend).l2Timeout(operationTimeout()).build()
        .function("square", Long.class).l1MaxSize(0).lease(Duration.ofMillis(200))
        .of((Long x) -> x * x);
    Map<String, Long> before = stats();

    assertThat(square.apply(7L)).isEqualTo(49L);
    AtomicLong ownGets = new AtomicLong();
    TestSupport.awaitTrue(() -> {
      ownGets.addAndGet(2);
      boolean released = await(backend.get("rt:#l:square:n7")) == null;
      boolean written = await(backend.get("rt:square:n7")) != null;
      return released && written;
    }, "the lease is released and the value written");
    Map<String, Long> miss = minus(stats(), before);
    // get (miss), add (the lease), set (the value), gets + cas-guarded delete (the release; folsom
    // sends it as a cas that expires the item at once), besides the test's own gets
    assertThat(miss).isEqualTo(Map.of("cmd_get", 2L + ownGets.get(), "cmd_set", 3L, "cas_hits", 1L));
    assertThat(square.leaseStats()).isEqualTo(new LeaseStats(1, 0, 0, 0, 0, 0));

    before = stats();
    assertThat(square.apply(7L)).isEqualTo(49L);
    assertThat(minus(stats(), before)).isEqualTo(Map.of("cmd_get", 1L, "cmd_set", 0L, "cas_hits", 0L));
    assertThat(square.cacheInfo()).isEqualTo(new CacheInfo(0, 2, 1, 1, 0, 0));
  }

  private static Map<String, Long> stats() {
    Map<String, Long> total = new TreeMap<>();
    for (MemcachedLauncher server : servers) {
      try (RawMemcached raw = RawMemcached.to(server)) {
        for (String name : List.of("cmd_get", "cmd_set", "cas_hits")) {
          total.merge(name, Long.parseLong(raw.stat(name)), Long::sum);
        }
      }
    }
    return total;
  }

  private static Map<String, Long> minus(Map<String, Long> after, Map<String, Long> before) {
    Map<String, Long> diff = new TreeMap<>();
    after.forEach((name, n) -> diff.put(name, n - before.get(name)));
    return diff;
  }
}
