package io.tiercache.memcached;

import static io.tiercache.memcached.TestSupport.awaitWritesLanded;
import static io.tiercache.memcached.TestSupport.join;
import static org.assertj.core.api.Assertions.assertThat;

import com.spotify.folsom.MemcacheClient;
import com.spotify.folsom.MemcacheClientBuilder;
import com.spotify.folsom.MemcacheStatus;
import io.tiercache.CacheInfo;
import io.tiercache.CachedFunction1;
import io.tiercache.CachedFunction2;
import io.tiercache.TierCache;
import io.tiercache.testkit.MemcachedLauncher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * tiercache end to end on two real memcached servers: each "process" is a {@link TierCache} with
 * its own {@link MemcachedBackend} (its own connections), as two JVMs would have.
 */
class MemcachedTierCacheTest {
  private static List<MemcachedLauncher> servers;

  private final List<MemcachedBackend> backends = new ArrayList<>();
  private final AtomicInteger computations = new AtomicInteger();

  @BeforeAll
  static void startServers() {
    servers = TestSupport.startServers(2);
  }

  @AfterAll
  static void stopServers() {
    TestSupport.closeAll(servers);
  }

  @BeforeEach
  void flush() {
    MemcachedBackend b = newBackend();
    join(b.clear());
  }

  @AfterEach
  void close() {
    backends.forEach(MemcachedBackend::close);
  }

  private MemcachedBackend newBackend() {
    MemcachedBackend b = TestSupport.backendOn(servers).build();
    backends.add(b);
    return b;
  }

  /** A process: its own TierCache on its own connections to the shared servers. */
  private static TierCache process(io.tiercache.backend.Backend backend) {
    return TierCache.builder().namespace("shop").backend("default", backend)
        .l2Timeout(Duration.ofSeconds(5)).build();
  }

  private CachedFunction2<String, Integer, String> quote(TierCache cache) {
    return cache.function("quote", String.class).of((String sku, Integer qty) -> {
      int n = computations.incrementAndGet();
      return sku + "x" + qty + "@v" + n;
    });
  }

  @Test
  void aValueComputedByOneProcessIsAnL2HitInAnother() {
    MemcachedBackend backendA = newBackend();
    CachedFunction2<String, Integer, String> a = quote(process(backendA));
    CachedFunction2<String, Integer, String> b = quote(process(newBackend()));

    assertThat(a.apply("A-1", 3)).isEqualTo("A-1x3@v1");
    assertThat(a.cacheInfo()).isEqualTo(new CacheInfo(0, 1, 0, 1, 128, 1));
    awaitWritesLanded(backendA); // A's write is not awaited by the call

    assertThat(b.apply("A-1", 3)).isEqualTo("A-1x3@v1");
    assertThat(b.cacheInfo()).isEqualTo(new CacheInfo(0, 1, 1, 0, 128, 1));
    assertThat(b.apply("A-1", 3)).isEqualTo("A-1x3@v1");
    assertThat(b.cacheInfo()).isEqualTo(new CacheInfo(1, 1, 1, 0, 128, 1));
    assertThat(b.apply("A-1", 4)).isEqualTo("A-1x4@v2");
    assertThat(b.cacheInfo()).isEqualTo(new CacheInfo(1, 2, 1, 1, 128, 2));
    assertThat(computations).hasValue(2);
    assertThat(a.l2ErrorCount()).isZero();
    assertThat(b.l2ErrorCount()).isZero();
  }

  @Test
  void memcachedOffersNoCoherenceSoAnotherProcessKeepsItsL1Copy() {
    MemcachedBackend backendA = newBackend();
    TierCache processB = process(newBackend());
    CachedFunction2<String, Integer, String> a = quote(process(backendA));
    CachedFunction2<String, Integer, String> b = quote(processB);
    a.apply("A-1", 3);
    awaitWritesLanded(backendA);
    assertThat(b.apply("A-1", 3)).isEqualTo("A-1x3@v1");

    assertThat(a.invalidate("A-1", 3)).isTrue();

    assertThat(b.apply("A-1", 3)).isEqualTo("A-1x3@v1"); // B's L1 copy: no channel told it
    assertThat(b.cacheInfo()).isEqualTo(new CacheInfo(1, 1, 1, 0, 128, 1));
    assertThat(processB.coherence().incoherentBackends()).hasSize(1);
    assertThat(processB.coherence().coherentBackends()).isEmpty();
    assertThat(processB.coherence().stalenessBound()).isNull();
  }

  @Test
  void anL2HitIsOneGetCommandAndNothingElse() throws Exception {
    List<CommandCountingProxy> proxies = new ArrayList<>();
    List<String> addresses = new ArrayList<>();
    try {
      for (MemcachedLauncher server : servers) {
        CommandCountingProxy proxy = new CommandCountingProxy(server.host(), server.port());
        proxies.add(proxy);
        addresses.add(proxy.address());
      }
      // Both processes name the servers alike (here: by the proxies' addresses), as they must.
      MemcachedBackend filler = MemcachedBackend.builder().servers(addresses).build();
      MemcachedBackend reader = MemcachedBackend.builder().servers(addresses).build();
      backends.add(filler);
      backends.add(reader);
      CachedFunction1<Integer, String> fill = process(filler).function("hit", String.class)
          .l1MaxSize(0).of((Integer n) -> "h" + n);
      for (int n = 0; n < 10; n++) {
        fill.apply(n);
      }
      awaitWritesLanded(filler);
      CachedFunction1<Integer, String> hits = process(reader).function("hit", String.class)
          .l1MaxSize(0).of((Integer n) -> "computed, not a hit: " + n);
      proxies.forEach(CommandCountingProxy::reset);

      for (int n = 0; n < 10; n++) {
        assertThat(hits.apply(n)).isEqualTo("h" + n);
      }

      assertThat(hits.cacheInfo()).isEqualTo(new CacheInfo(0, 10, 10, 0, 0, 0));
      int gets = 0;
      for (CommandCountingProxy proxy : proxies) {
        gets += proxy.commands("get").size();
        assertThat(proxy.commands("set")).isEmpty();
        assertThat(proxy.commands("delete")).isEmpty();
      }
      assertThat(gets).as("one get per call").isEqualTo(10);
    } finally {
      for (CommandCountingProxy proxy : proxies) {
        proxy.close();
      }
    }
  }

  /**
   * Tag validation costs one round trip: an L2 hit of an entry with two tags is one backend
   * {@code getMany} of the entry and both tag versions, which is one multi-get ({@code get k1 k2})
   * to each server holding some of those keys, and nothing else (counted by the proxies).
   */
  @Test
  void anL2HitWithTwoTagsIsOneMultiGetToEachServerHoldingItsKeys() throws Exception {
    List<CommandCountingProxy> proxies = new ArrayList<>();
    List<String> addresses = new ArrayList<>();
    try {
      for (MemcachedLauncher server : servers) {
        CommandCountingProxy proxy = new CommandCountingProxy(server.host(), server.port());
        proxies.add(proxy);
        addresses.add(proxy.address());
      }
      MemcachedBackend filler = MemcachedBackend.builder().servers(addresses).build();
      MemcachedBackend reader = MemcachedBackend.builder().servers(addresses).build();
      backends.add(filler);
      backends.add(reader);
      int calls = 40; // entry keys on both servers, whichever ports the servers got
      CachedFunction1<Integer, String> fill = process(filler).function("tagged", String.class)
          .l1MaxSize(0).tags("catalog", "prices").of((Integer n) -> "t" + n);
      for (int n = 0; n < calls; n++) {
        fill.apply(n);
      }
      awaitWritesLanded(filler);
      RecordingBackend recorder = new RecordingBackend(reader);
      CachedFunction1<Integer, String> hits = process(recorder).function("tagged", String.class)
          .l1MaxSize(0).tags("catalog", "prices").of((Integer n) -> "computed, not a hit: " + n);

      Set<String> serversAsked = new HashSet<>();
      for (int n = 0; n < calls; n++) {
        recorder.forgetReads();
        proxies.forEach(CommandCountingProxy::reset);

        assertThat(hits.apply(n)).isEqualTo("t" + n);

        assertThat(recorder.getKeys()).isEmpty();
        assertThat(recorder.getManyBatches()).as("backend reads of call %d", n).hasSize(1);
        List<String> batch = recorder.getManyBatches().get(0);
        assertThat(batch).as("the entry and its two tag versions").hasSize(3);
        for (CommandCountingProxy proxy : proxies) {
          List<String> expected = new ArrayList<>();
          for (String key : batch) {
            if (reader.serverOf(key).equals(proxy.address())) {
              expected.add(MemcachedBackend.memcachedKey(key));
            }
          }
          List<String> gets = proxy.commands("get");
          if (expected.isEmpty()) {
            assertThat(gets).as("call %d, %s", n, proxy.address()).isEmpty();
          } else {
            serversAsked.add(proxy.address());
            assertThat(gets).as("call %d, %s", n, proxy.address()).hasSize(1);
            List<String> asked = List.of(gets.get(0).trim().split(" +"));
            assertThat(asked.subList(1, asked.size())).containsExactlyInAnyOrderElementsOf(expected);
          }
          assertThat(proxy.commands("set")).isEmpty();
          assertThat(proxy.commands("delete")).isEmpty();
        }
      }
      assertThat(serversAsked).as("servers read from").hasSize(2);
      assertThat(hits.cacheInfo()).isEqualTo(new CacheInfo(0, calls, calls, 0, 0, 0));
      assertThat(hits.l2ErrorCount()).isZero();
    } finally {
      for (CommandCountingProxy proxy : proxies) {
        proxy.close();
      }
    }
  }

  @Test
  void garbageWrittenUnderTheKeyByAnotherClientIsAMissCountedAsAnError() throws Exception {
    MemcachedBackend backendA = newBackend();
    RecordingBackend recorder = new RecordingBackend(backendA);
    CachedFunction2<String, Integer, String> a = quote(process(recorder));
    assertThat(a.apply("A-1", 3)).isEqualTo("A-1x3@v1");
    awaitWritesLanded(backendA);
    assertThat(recorder.setKeys()).hasSize(1);
    String key = recorder.setKeys().get(0);
    byte[] stored = join(backendA.get(key));
    assertThat(stored).isNotNull();

    byte[] garbage = new byte[64];
    new Random(7).nextBytes(garbage);
    byte[][] corruptions = {garbage, Arrays.copyOf(stored, stored.length / 2), new byte[0],
        "{\"json\":\"but not a frame\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8)};
    int expectedComputations = 1;
    for (byte[] corrupt : corruptions) {
      writeWithTheRawClient(backendA.serverOf(key), MemcachedBackend.memcachedKey(key), corrupt);
      CachedFunction2<String, Integer, String> b = quote(process(newBackend()));

      expectedComputations++;
      assertThat(b.apply("A-1", 3)).isEqualTo("A-1x3@v" + expectedComputations);
      assertThat(b.cacheInfo()).isEqualTo(new CacheInfo(0, 1, 0, 1, 128, 1));
      assertThat(b.l2ErrorCount()).as("corrupt bytes of length %d", corrupt.length).isEqualTo(1);
    }
    assertThat(computations).hasValue(expectedComputations);
  }

  private static void writeWithTheRawClient(String server, String key, byte[] bytes)
      throws Exception {
    String[] hostPort = server.split(":");
    MemcacheClient<byte[]> raw = MemcacheClientBuilder.newByteArrayClient()
        .withAddress(hostPort[0], Integer.parseInt(hostPort[1])).connectAscii();
    try {
      raw.awaitFullyConnected(5, TimeUnit.SECONDS);
      assertThat(raw.set(key, bytes, 0).toCompletableFuture().get(5, TimeUnit.SECONDS))
          .isEqualTo(MemcacheStatus.OK);
    } finally {
      raw.shutdown();
    }
  }

  @Test
  void aResultTooLargeForMemcachedIsReturnedButNotCached() {
    MemcachedBackend backendA = MemcachedBackend.builder().servers(servers.get(0).address(),
        servers.get(1).address()).maxItemSize(1 << 20).build();
    MemcachedBackend backendB = MemcachedBackend.builder().servers(servers.get(1).address(),
        servers.get(0).address()).maxItemSize(1 << 20).build();
    backends.add(backendA);
    backends.add(backendB);
    String huge = "h".repeat(3 << 19); // 1.5 MB: over the 1 MiB both backends are told about
    CachedFunction1<Integer, String> a = process(backendA).function("report", String.class)
        .of((Integer n) -> {
          computations.incrementAndGet();
          return huge + n;
        });
    CachedFunction1<Integer, String> b = process(backendB).function("report", String.class)
        .of((Integer n) -> {
          computations.incrementAndGet();
          return huge + n;
        });

    assertThat(a.apply(1)).isEqualTo(huge + 1);
    awaitWritesLanded(backendA);
    assertThat(b.apply(1)).isEqualTo(huge + 1);

    assertThat(computations).as("B found nothing in L2").hasValue(2);
    assertThat(b.cacheInfo()).isEqualTo(new CacheInfo(0, 1, 0, 1, 128, 1));
    assertThat(backendA.oversizedValuesSkipped()).isEqualTo(1);
    assertThat(backendB.oversizedValuesSkipped()).isEqualTo(1);
    assertThat(a.l2ErrorCount()).as("skipping is not a failure").isZero();
    assertThat(b.l2ErrorCount()).isZero();
  }

  @Test
  void aTtlOverThirtyDaysReachesMemcachedAndTheValueIsShared() {
    MemcachedBackend backendA = newBackend();
    RecordingBackend recorder = new RecordingBackend(backendA);
    CachedFunction1<Integer, String> a = process(recorder).function("yearly", String.class)
        .ttl(Duration.ofDays(45)).of((Integer n) -> "y" + n + "@" + computations.incrementAndGet());
    CachedFunction1<Integer, String> b = process(newBackend()).function("yearly", String.class)
        .ttl(Duration.ofDays(45)).of((Integer n) -> "y" + n + "@" + computations.incrementAndGet());

    assertThat(a.apply(2026)).isEqualTo("y2026@1");
    awaitWritesLanded(backendA);
    assertThat(b.apply(2026)).isEqualTo("y2026@1");
    assertThat(b.cacheInfo()).isEqualTo(new CacheInfo(0, 1, 1, 0, 128, 1));

    String key = recorder.setKeys().get(0);
    MemcachedLauncher holder = servers.stream()
        .filter(s -> s.address().equals(backendA.serverOf(key))).findFirst().orElseThrow();
    try (RawMemcached raw = RawMemcached.to(holder)) {
      assertThat(raw.remainingTtl(key)).isBetween(45 * 86_400L - 5, 45 * 86_400L + 5);
    }
  }
}
