package io.tiercache.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.CachedFunction1;
import io.tiercache.TierCache;
import io.tiercache.memcached.MemcachedBackend;
import io.tiercache.testkit.MemcachedLauncher;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The commands against a real memcached: invalidate, inspect and health work; listing keys and the
 * channel are not offered, with a clear line and exit code 5.
 */
class MemcachedCliTest {
  private static MemcachedLauncher server;

  @BeforeAll
  static void start() {
    server = new MemcachedLauncher().start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static MemcachedBackend backend() {
    MemcachedBackend backend = MemcachedBackend.connect(server.address());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (backend.connectedServers().isEmpty()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("memcached not connected within 10 s");
      }
      Thread.onSpinWait();
    }
    return backend;
  }

  @Test
  void invalidateByKeyDeletesTheEntryInL2AndSaysThereIsNoChannel() {
    try (MemcachedBackend backend = backend();
        TierCache cache = TierCache.builder().namespace("mc").backend(TierCache.DEFAULT, backend)
            .l2Timeout(Duration.ofSeconds(5)).build()) {
      AtomicInteger computed = new AtomicInteger();
      CachedFunction1<Integer, String> price = cache.function("price", String.class)
          .of((Integer sku) -> "p" + sku + "#" + computed.incrementAndGet());
      assertThat(price.apply(1)).isEqualTo("p1#1");
      awaitStored(backend, "mc:price:n1");

      Cli.Result inspect = Cli.run("inspect", "--memcached", server.address(), "-n", "mc", "price:n1");
      assertThat(inspect.out()).isEqualTo("key        mc:price:n1\n"
          + "backend    " + backend.describe() + "\n"
          + "size       23 bytes (header 17, payload 6)\n"
          + "type       fingerprint " + String.format("%08x",
              io.tiercache.codec.Envelope.fingerprint("jackson-json", "java.lang.String")) + "\n"
          + "expires    never\n"
          + "tags       0\n"
          + "payload    JSON string: \"p1#1\"\n"
          + "status     live\n");
      assertThat(inspect.code()).isEqualTo(ExitCodes.OK);

      Cli.Result result = Cli.run("invalidate", "--memcached", server.address(), "-n", "mc", "--key", "price:n1");
      assertThat(result.out()).isEqualTo("invalidated key 'price:n1' in namespace 'mc' (" + backend.describe() + ")\n"
          + "no invalidation channel: other processes' L1 copies live until their L1 TTL\n");
      assertThat(result.code()).isEqualTo(ExitCodes.OK);
      assertThat(get(backend, "mc:price:n1")).isNull();

      Cli.Result again = Cli.run("invalidate", "--memcached", server.address(), "-n", "mc", "--key", "price:n1");
      assertThat(again.code()).isEqualTo(ExitCodes.DEGRADED_OR_NOT_FOUND);
      Cli.Result gone = Cli.run("inspect", "--memcached", server.address(), "-n", "mc", "price:n1");
      assertThat(gone.out()).endsWith("entry      none\n");
      assertThat(gone.code()).isEqualTo(ExitCodes.DEGRADED_OR_NOT_FOUND);
    }
  }

  @Test
  void healthNamesTheServersAndTheMissingChannel() throws Exception {
    Cli.Result result = Cli.run("health", "--memcached", server.address(), "-n", "mc");
    assertThat(result.out()).isEqualTo(
        "backend    memcached(ascii)[" + server.address() + "]: 1 of 1 servers connected\n"
            + "namespace  mc\n"
            + "channel    none: this backend has no invalidation channel; other processes' L1 copies live"
            + " until their TTL\n"
            + "status     healthy\n");
    assertThat(result.code()).isEqualTo(ExitCodes.OK);

    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String down = "127.0.0.1:" + port;
    Cli.Result partial = Cli.run("health", "--memcached", server.address() + "," + down, "--timeout", "1s");
    assertThat(partial.out()).startsWith("backend    memcached(ascii)[" + server.address() + ", " + down
        + " (down)]: 1 of 2 servers connected (down: " + down + ")\n").endsWith("status     DEGRADED\n");
    assertThat(partial.code()).isEqualTo(ExitCodes.DEGRADED_OR_NOT_FOUND);

    Cli.Result unreachable = Cli.run("health", "--memcached", down, "--timeout", "1s");
    assertThat(unreachable.err()).isEqualTo("tiercache: cannot connect to memcached at " + down + " within 1 s\n");
    assertThat(unreachable.code()).isEqualTo(ExitCodes.UNREACHABLE);
  }

  @Test
  void keysStatsWithoutProcessesAndWatchAreNotOfferedOnMemcached() {
    Cli.Result keys = Cli.run("keys", "--memcached", server.address());
    assertThat(keys.err()).isEqualTo("tiercache: memcached offers no way to list keys: cannot list a namespace's entries\n");
    assertThat(keys.code()).isEqualTo(ExitCodes.UNSUPPORTED);

    Cli.Result watch = Cli.run("watch", "--memcached", server.address());
    assertThat(watch.err()).startsWith("tiercache: memcached(ascii)[").endsWith(" has no invalidation channel\n");
    assertThat(watch.code()).isEqualTo(ExitCodes.UNSUPPORTED);

    Cli.Result usage = Cli.run("health", "--memcached", server.address(), "--user", "x");
    assertThat(usage.err()).isEqualTo("tiercache: --user, --password, --password-env, --cacert and --key-prefix"
        + " are for Redis, not --memcached\n");
    assertThat(usage.code()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void statsOnMemcachedReadsTheNamedProcesses() {
    try (MemcachedBackend backend = backend();
        TierCache cache = TierCache.builder().namespace("mcs").backend(TierCache.DEFAULT, backend)
            .publishStats(Duration.ofMillis(100), "worker-7").build()) {
      CachedFunction1<Integer, String> price = cache.function("price", String.class).of((Integer sku) -> "p" + sku);
      price.apply(1);
      price.apply(1);
      String expected = ""
          + "process                  function           L1 hits   L1 miss  L1 hit   L2 hits   L2 miss  L2 hit\n"
          + "worker-7                 price                    1         1   50.0%         0         1    0.0%\n"
          + "worker-7                 (all)                    1         1   50.0%         0         1    0.0%\n"
          + "total                    (all)                    1         1   50.0%         0         1    0.0%\n";
      Cli.until(Duration.ofSeconds(10), r -> r.out().equals(expected),
          "stats", "--memcached", server.address(), "-n", "mcs", "--process", "worker-7");
      Cli.Result unnamed = Cli.run("stats", "--memcached", server.address(), "-n", "mcs");
      assertThat(unnamed.err()).isEqualTo("tiercache: memcached offers no way to list keys: cannot find the processes"
          + " that publish statistics (name them with --process)\n");
      assertThat(unnamed.code()).isEqualTo(ExitCodes.UNSUPPORTED);
    }
  }

  private static byte[] get(MemcachedBackend backend, String key) {
    return backend.get(key).toCompletableFuture().join();
  }

  private static void awaitStored(MemcachedBackend backend, String key) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (get(backend, key) == null) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(key + " not stored within 10 s");
      }
      Thread.onSpinWait();
    }
  }
}
