package io.tiercache.memcached;

import static io.tiercache.memcached.TestSupport.awaitTrue;
import static io.tiercache.memcached.TestSupport.awaitWritesLanded;
import static io.tiercache.memcached.TestSupport.failureOf;
import static io.tiercache.memcached.TestSupport.join;
import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.CacheInfo;
import io.tiercache.CachedFunction1;
import io.tiercache.TierCache;
import io.tiercache.backend.Backend;
import io.tiercache.testkit.MemcachedLauncher;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A pool of three real memcached servers: keys spread over all of them, a server that dies costs
 * only its own keys, and it rejoins when it comes back.
 */
class MemcachedPoolTest {
  private static final int KEYS = 300;
  private static final int THREADS = 4;

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

  @BeforeEach
  void connect() {
    for (MemcachedLauncher server : servers) {
      if (!server.isRunning()) {
        server.start(); // a failed test may have left one stopped
      }
    }
    backend = TestSupport.backendOn(servers).build();
    awaitTrue(() -> backend.connectedServers().size() == 3, "all three servers are connected");
    join(backend.clear());
  }

  @AfterEach
  void disconnect() {
    backend.close();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * For each running server's address, which of {@code keys} it holds, asked of the servers
   * themselves.
   */
  private static Map<String, Set<String>> whereKeysLive(List<String> keys) {
    Map<String, Set<String>> held = new LinkedHashMap<>();
    for (MemcachedLauncher server : servers) {
      if (!server.isRunning()) {
        continue;
      }
      try (RawMemcached raw = RawMemcached.to(server)) {
        held.put(server.address(), raw.getMany(keys).keySet());
      }
    }
    return held;
  }

  @Test
  void keysSpreadOverEveryServerEachKeyOnTheServerTheRingNames() {
    List<String> keys = new ArrayList<>();
    Map<String, byte[]> entries = new HashMap<>();
    for (int i = 0; i < KEYS; i++) {
      keys.add("spread:" + i);
      entries.put("spread:" + i, bytes("v" + i));
    }
    join(backend.setMany(entries, Backend.NO_EXPIRY));

    Map<String, Set<String>> held = whereKeysLive(keys);

    Set<String> union = new HashSet<>();
    for (Map.Entry<String, Set<String>> server : held.entrySet()) {
      assertThat(server.getValue()).as("keys on %s", server.getKey()).hasSizeGreaterThan(KEYS / 10);
      for (String key : server.getValue()) {
        assertThat(union.add(key)).as("%s on one server only", key).isTrue();
        assertThat(backend.serverOf(key)).as(key).isEqualTo(server.getKey());
      }
    }
    assertThat(union).hasSize(KEYS);
    assertThat(join(backend.getMany(keys))).hasSize(KEYS);
  }

  @Test
  void getManySendsOneMultiGetToEachServer() throws Exception {
    List<CommandCountingProxy> proxies = new ArrayList<>();
    List<String> addresses = new ArrayList<>();
    try {
      for (MemcachedLauncher server : servers) {
        CommandCountingProxy proxy = new CommandCountingProxy(server.host(), server.port());
        proxies.add(proxy);
        addresses.add(proxy.address());
      }
      MemcachedBackend proxied = MemcachedBackend.builder().servers(addresses)
          .connectTimeout(Duration.ofSeconds(3)).build();
      try {
        List<String> keys = new ArrayList<>();
        Map<String, byte[]> entries = new HashMap<>();
        for (int i = 0; i < 120; i++) {
          keys.add("multi:" + i);
          if (i % 2 == 0) {
            entries.put("multi:" + i, bytes("v" + i));
          }
        }
        join(proxied.setMany(entries, Backend.NO_EXPIRY));
        proxies.forEach(CommandCountingProxy::reset);

        Map<String, byte[]> found = join(proxied.getMany(keys));

        assertThat(found).hasSize(60);
        int keysAsked = 0;
        for (CommandCountingProxy proxy : proxies) {
          List<String> gets = proxy.commands("get");
          assertThat(gets).as("get commands sent through %s", proxy.address()).hasSize(1);
          keysAsked += gets.get(0).trim().split(" +").length - 1; // folsom writes "get  k1 k2"
        }
        assertThat(keysAsked).as("every key asked once, of one server").isEqualTo(120);
      } finally {
        proxied.close();
      }
    } finally {
      for (CommandCountingProxy proxy : proxies) {
        proxy.close();
      }
    }
  }

  @Test
  void clearFlushesEveryServer() {
    Map<String, byte[]> entries = new HashMap<>();
    for (int i = 0; i < 60; i++) {
      entries.put("flush:" + i, bytes("v"));
    }
    join(backend.setMany(entries, Backend.NO_EXPIRY));
    assertThat(whereKeysLive(List.copyOf(entries.keySet())).values())
        .allSatisfy(held -> assertThat(held).isNotEmpty());

    join(backend.clear());

    assertThat(whereKeysLive(List.copyOf(entries.keySet())).values())
        .allSatisfy(held -> assertThat(held).isEmpty());
  }

  @Test
  void whileAServerIsDownItsKeysFailFastAreNotSentElsewhereAndBatchesTouchingItFail() {
    MemcachedLauncher victim = servers.get(0);
    String down = victim.address();
    String onVictim = keyOn(down, "down:");
    String elsewhere = keyOn(servers.get(1).address(), "up:");
    join(backend.set(elsewhere, bytes("up"), Backend.NO_EXPIRY));

    victim.stop();
    awaitTrue(() -> !backend.connectedServers().contains(down), down + " is seen down");

    assertThat(backend.describe()).contains(down + " (down)");
    assertThat(failureOf(backend.get(onVictim))).isNotNull();
    assertThat(failureOf(backend.set(onVictim, bytes("x"), Backend.NO_EXPIRY))).isNotNull();
    assertThat(failureOf(backend.getMany(List.of(elsewhere, onVictim))))
        .as("a batch that needs the dead server fails whole").isNotNull();
    assertThat(failureOf(backend.clear())).as("flush_all cannot reach it").isNotNull();
    assertThat(join(backend.get(elsewhere))).as("flushed, since clear() flushed the live servers")
        .isNull();
    join(backend.set(elsewhere, bytes("up again"), Backend.NO_EXPIRY));
    assertThat(join(backend.getMany(List.of(elsewhere)))).containsOnlyKeys(elsewhere);
    assertThat(whereKeysLive(List.of(onVictim)).values())
        .as("the dead server's key was not redirected to another server")
        .allSatisfy(held -> assertThat(held).isEmpty());

    victim.start();
    awaitTrue(() -> backend.connectedServers().contains(down), down + " rejoins");
    join(backend.set(onVictim, bytes("back"), Backend.NO_EXPIRY));
    assertThat(join(backend.get(onVictim))).isEqualTo(bytes("back"));
    assertThat(whereKeysLive(List.of(onVictim)).get(down)).containsExactly(onVictim);
  }

  private String keyOn(String server, String prefix) {
    for (int i = 0; ; i++) {
      if (backend.serverOf(prefix + i).equals(server)) {
        return prefix + i;
      }
    }
  }

  /**
   * The scenario: a cached function on the pool, called from several threads; one server
   * is killed mid-run, later restarted. L1 is off so that every call goes to memcached.
   */
  @Test
  void aServerKilledUnderLoadCostsOnlyItsKeysAndHitsResumeWhenItIsBack() throws Exception {
    RecordingBackend recorder = new RecordingBackend(backend);
    TierCache cache = TierCache.builder().namespace("outage").backend("default", recorder)
        .l2Timeout(Duration.ofSeconds(5)) // only real failures, never a slow test machine, miss
        .build();
    Map<Integer, AtomicInteger> computations = new ConcurrentHashMap<>();
    CachedFunction1<Integer, String> value = cache.function("value", String.class).l1MaxSize(0)
        .of((Integer k) -> {
          computations.computeIfAbsent(k, x -> new AtomicInteger()).incrementAndGet();
          return "value-" + k;
        });

    // Fill: one call per key, learning the L2 key the engine used for it.
    Map<Integer, String> l2Keys = new HashMap<>();
    for (int k = 0; k < KEYS; k++) {
      int before = recorder.setKeys().size();
      assertThat(value.apply(k)).isEqualTo("value-" + k);
      assertThat(recorder.setKeys()).hasSize(before + 1);
      l2Keys.put(k, recorder.setKeys().get(before));
    }
    awaitWritesLanded(backend);
    Map<String, Set<String>> held = whereKeysLive(List.copyOf(l2Keys.values()));
    MemcachedLauncher victim = servers.get(1);
    Set<Integer> victimKeys = new HashSet<>();
    for (Map.Entry<Integer, String> e : l2Keys.entrySet()) {
      String server = backend.serverOf(e.getValue());
      assertThat(held.get(server)).as("%s stored on %s", e.getValue(), server)
          .contains(e.getValue());
      if (server.equals(victim.address())) {
        victimKeys.add(e.getKey());
      }
    }
    assertThat(held.values()).as("every server holds some keys")
        .allSatisfy(keys -> assertThat(keys).hasSizeGreaterThan(KEYS / 10));
    assertThat(computations.values()).allSatisfy(n -> assertThat(n).hasValue(1));

    // Load from several threads; the victim is killed mid-run.
    List<String> wrong = Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean killed = new AtomicBoolean();
    CountDownLatch warmedUp = new CountDownLatch(THREADS);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    List<Future<?>> workers = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      long seed = t;
      workers.add(pool.submit(() -> {
        List<Integer> order = new ArrayList<>(l2Keys.keySet());
        Random random = new Random(seed);
        int roundsAfterKill = 0;
        boolean signalled = false;
        while (roundsAfterKill < 2) {
          boolean wasKilled = killed.get();
          Collections.shuffle(order, random);
          for (int k : order) {
            String v = value.apply(k);
            if (!("value-" + k).equals(v)) {
              wrong.add(k + " -> " + v);
            }
          }
          if (!signalled) {
            warmedUp.countDown(); // one full round before the kill
            signalled = true;
          }
          if (wasKilled) {
            roundsAfterKill++;
          }
        }
        return null;
      }));
    }
    assertThat(warmedUp.await(60, TimeUnit.SECONDS)).isTrue();
    victim.stop();
    killed.set(true);
    try {
      for (Future<?> worker : workers) {
        worker.get(60, TimeUnit.SECONDS); // rethrows any exception a call let through
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(wrong).as("calls that returned a wrong value").isEmpty();
    for (int k = 0; k < KEYS; k++) {
      if (victimKeys.contains(k)) {
        assertThat(computations.get(k).get()).as("key %d of the dead server recomputed", k)
            .isGreaterThan(1);
      } else {
        assertThat(computations.get(k)).as("key %d of a live server", k).hasValue(1);
      }
    }

    // One sequential pass while it is down: exactly its keys miss and recompute.
    Map<Integer, Integer> before = snapshot(computations);
    CacheInfo infoBefore = value.cacheInfo();
    long errorsBefore = value.l2ErrorCount();
    for (int k = 0; k < KEYS; k++) {
      assertThat(value.apply(k)).isEqualTo("value-" + k);
    }
    assertThat(delta(before, computations)).isEqualTo(ones(victimKeys));
    assertThat(value.cacheInfo()).isEqualTo(new CacheInfo(infoBefore.l1Hits(),
        infoBefore.l1Misses() + KEYS, infoBefore.l2Hits() + KEYS - victimKeys.size(),
        infoBefore.l2Misses() + victimKeys.size(), 0, 0));
    assertThat(value.l2ErrorCount() - errorsBefore).as("failed reads (and writes) of its keys")
        .isBetween((long) victimKeys.size(), 2L * victimKeys.size());
    assertThat(whereKeysLive(victimKeyNames(victimKeys, l2Keys)).values())
        .as("no key of the dead server was written to another one")
        .allSatisfy(keys -> assertThat(keys).isEmpty());

    // Back (empty, as a restarted memcached is): it rejoins, its keys are computed once more,
    // then every call is a hit again.
    victim.start();
    awaitTrue(() -> backend.connectedServers().contains(victim.address()), "the server rejoins");
    before = snapshot(computations);
    for (int k = 0; k < KEYS; k++) {
      assertThat(value.apply(k)).isEqualTo("value-" + k);
    }
    assertThat(delta(before, computations)).isEqualTo(ones(victimKeys));
    awaitWritesLanded(backend);
    assertThat(whereKeysLive(victimKeyNames(victimKeys, l2Keys)).get(victim.address()))
        .hasSize(victimKeys.size());

    before = snapshot(computations);
    infoBefore = value.cacheInfo();
    for (int k = 0; k < KEYS; k++) {
      assertThat(value.apply(k)).isEqualTo("value-" + k);
    }
    assertThat(delta(before, computations)).isEmpty();
    assertThat(value.cacheInfo()).isEqualTo(new CacheInfo(infoBefore.l1Hits(),
        infoBefore.l1Misses() + KEYS, infoBefore.l2Hits() + KEYS, infoBefore.l2Misses(), 0, 0));
  }

  private static List<String> victimKeyNames(Set<Integer> victimKeys, Map<Integer, String> l2Keys) {
    List<String> names = new ArrayList<>();
    victimKeys.forEach(k -> names.add(l2Keys.get(k)));
    return names;
  }

  private static Map<Integer, Integer> snapshot(Map<Integer, AtomicInteger> counts) {
    Map<Integer, Integer> copy = new HashMap<>();
    counts.forEach((k, n) -> copy.put(k, n.get()));
    return copy;
  }

  /** The keys whose count changed, with by how much. */
  private static Map<Integer, Integer> delta(Map<Integer, Integer> before,
      Map<Integer, AtomicInteger> now) {
    Map<Integer, Integer> changed = new HashMap<>();
    now.forEach((k, n) -> {
      int d = n.get() - before.getOrDefault(k, 0);
      if (d != 0) {
        changed.put(k, d);
      }
    });
    return changed;
  }

  private static Map<Integer, Integer> ones(Set<Integer> keys) {
    Map<Integer, Integer> m = new HashMap<>();
    keys.forEach(k -> m.put(k, 1));
    return m;
  }
}
