package io.tiercache.memcached;

import static org.assertj.core.api.Assertions.fail;

import io.tiercache.testkit.MemcachedLauncher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Real memcached pools for the tests, and bounded waits (never timing assertions). */
final class TestSupport {
  /** What every launcher is given: room for the suite's 1 MiB value. */
  static final int MAX_ITEM_SIZE = 2 << 20;

  private TestSupport() {}

  /** Starts {@code n} memcached servers on free loopback ports. */
  static List<MemcachedLauncher> startServers(int n) {
    List<MemcachedLauncher> servers = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        servers.add(MemcachedLauncher.builder().maxItemSize(MAX_ITEM_SIZE).build().start());
      }
      return servers;
    } catch (RuntimeException | Error e) {
      closeAll(servers);
      throw e;
    }
  }

  static void closeAll(List<MemcachedLauncher> servers) {
    if (servers != null) {
      servers.forEach(MemcachedLauncher::close);
    }
  }

  /** A builder on {@code servers} that reconnects quickly (tests stop and start servers). */
  static MemcachedBackend.Builder backendOn(List<MemcachedLauncher> servers) {
    List<String> addresses = new ArrayList<>();
    servers.forEach(s -> addresses.add(s.address()));
    return MemcachedBackend.builder()
        .servers(addresses)
        .maxItemSize(MAX_ITEM_SIZE)
        .operationTimeout(Duration.ofSeconds(3))
        .connectTimeout(Duration.ofSeconds(3))
        .reconnectBackoff(Duration.ofMillis(10), Duration.ofMillis(100));
  }

  /** Polls {@code condition} every 10 ms for up to 15 s; fails the test if it never holds. */
  static void awaitTrue(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        fail("gave up waiting (15 s) until " + what);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted waiting until " + what);
      }
    }
  }

  /**
   * Waits until every request sent so far through {@code backend} has been answered: a get on
   * each connected server, which memcached answers after everything sent before it on that
   * connection (writes of cached functions are not awaited by the engine).
   */
  static void awaitWritesLanded(MemcachedBackend backend) {
    Map<String, String> probes = new HashMap<>();
    for (int i = 0; probes.size() < backend.servers().size(); i++) {
      probes.putIfAbsent(backend.serverOf("probe:" + i), "probe:" + i);
      if (i > 10_000) {
        throw new AssertionError("no probe key found for some server of " + backend.describe());
      }
    }
    for (String server : backend.connectedServers()) {
      try {
        backend.get(probes.get(server)).toCompletableFuture().get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new AssertionError("probe of " + server + " failed", e);
      }
    }
  }

  /** The stage's value, waiting at most 5 s; failures are rethrown as AssertionError. */
  static <T> T join(java.util.concurrent.CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("stage did not complete normally", e);
    }
  }

  /** The failure of a stage that must fail (within 10 s). */
  static Throwable failureOf(java.util.concurrent.CompletionStage<?> stage) {
    CompletableFuture<?> f = stage.toCompletableFuture();
    try {
      Object value = f.get(10, TimeUnit.SECONDS);
      throw new AssertionError("expected the stage to fail, but it completed with " + value);
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError("stage neither completed nor failed within 10 s", e);
    }
  }
}
