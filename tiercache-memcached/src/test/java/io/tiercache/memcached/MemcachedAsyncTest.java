package io.tiercache.memcached;

import static io.tiercache.memcached.TestSupport.awaitWritesLanded;
import static io.tiercache.memcached.TestSupport.join;
import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.AsyncCachedFunction2;
import io.tiercache.CacheInfo;
import io.tiercache.TierCache;
import io.tiercache.testkit.MemcachedLauncher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Async cached functions on two real memcached servers: a value computed through one
 * {@code TierCache} is an async L2 hit in another with its own connections.
 */
class MemcachedAsyncTest {
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

  @AfterEach
  void close() {
    backends.forEach(MemcachedBackend::close);
  }

  private MemcachedBackend newBackend() {
    MemcachedBackend b = TestSupport.backendOn(servers).build();
    backends.add(b);
    return b;
  }

  private AsyncCachedFunction2<String, Integer, String> quote(MemcachedBackend backend) {
    TierCache cache = TierCache.builder().namespace("async").backend("default", backend)
        .l2Timeout(Duration.ofSeconds(5)).build();
    return cache.function("quote", String.class)
        .ofAsync((String sku, Integer qty) -> CompletableFuture.supplyAsync(
            () -> sku + "x" + qty + "@v" + computations.incrementAndGet()));
  }

  @Test
  void aValueComputedByOneProcessIsAnAsyncL2HitInAnother() throws Exception {
    MemcachedBackend backendA = newBackend();
    join(backendA.clear());
    AsyncCachedFunction2<String, Integer, String> a = quote(backendA);
    AsyncCachedFunction2<String, Integer, String> b = quote(newBackend());

    assertThat(a.apply("A-1", 3).get(10, TimeUnit.SECONDS)).isEqualTo("A-1x3@v1");
    awaitWritesLanded(backendA);
    CompletableFuture<String> first = b.apply("A-1", 3);
    CompletableFuture<String> joined = b.apply("A-1", 3);
    assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("A-1x3@v1");
    assertThat(joined.get(10, TimeUnit.SECONDS)).isEqualTo("A-1x3@v1");
    assertThat(b.cacheInfo()).isEqualTo(new CacheInfo(1, 1, 1, 0, 128, 1));
    assertThat(computations).hasValue(1);
    assertThat(a.l2ErrorCount()).isZero();
    assertThat(b.l2ErrorCount()).isZero();
  }
}
