package io.tiercache.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.AclSetuserArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.tiercache.CacheInfo;
import io.tiercache.CachedFunction1;
import io.tiercache.TierCache;
import io.tiercache.codec.Envelope;
import io.tiercache.redis.RedisBackend;
import io.tiercache.testkit.RedisServerLauncher;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every command against a real redis-server, run in-process: exact printed text and exit codes.
 * Each test uses a namespace of its own.
 */
class RedisCliTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static RedisServerLauncher server;
  private static RedisClient client;
  private static StatefulRedisConnection<String, String> raw;

  @BeforeAll
  static void start() {
    server = new RedisServerLauncher().start();
    client = RedisClient.create(server.uri());
    raw = client.connect();
    raw.sync().aclSetuser("ops", AclSetuserArgs.Builder.on().addPassword("right-secret").allKeys()
        .allCommands().allChannels());
  }

  @AfterAll
  static void stop() {
    raw.close();
    client.shutdown();
    server.close();
  }

  private static String[] args(String command, String namespace, String... more) {
    String[] head = {command, "--redis", server.uri(), "-n", namespace};
    String[] all = Arrays.copyOf(head, head.length + more.length);
    System.arraycopy(more, 0, all, head.length, more.length);
    return all;
  }

  private static String redisDescription() {
    return "redis(" + server.address() + ")";
  }

  @Test
  void invalidateByTagDropsTheEntryInThisProcessAndPrintsWhatItDid() {
    try (RedisBackend backend = RedisBackend.connect(server.uri());
        TierCache cache = TierCache.builder().namespace("inv").backend(TierCache.DEFAULT, backend).build()) {
      AtomicInteger computed = new AtomicInteger();
      CachedFunction1<Integer, String> price = cache.function("price", String.class)
          .tags(a -> java.util.List.of("sku:" + a[0]))
          .of((Integer sku) -> "p" + sku + "#" + computed.incrementAndGet());
      assertThat(price.apply(1)).isEqualTo("p1#1");
      assertThat(price.apply(1)).isEqualTo("p1#1");

      Cli.Result result = Cli.run(args("invalidate", "inv", "--tag", "sku:1"));

      assertThat(result.err()).isEmpty();
      assertThat(result.out()).isEqualTo("invalidated tag 'sku:1' in namespace 'inv' (" + redisDescription() + ")\n"
          + "published to the other processes: their L1s drop it within 1 s\n");
      assertThat(result.code()).isEqualTo(ExitCodes.OK);
      waitFor(() -> price.cacheInfo().l1CurrSize() == 0);
      assertThat(price.apply(1)).isEqualTo("p1#2");
      assertThat(price.cacheInfo()).isEqualTo(new CacheInfo(1, 2, 0, 2, 128, 1));
    }
  }

  @Test
  void invalidateOfAKeyThatExistsNowhereSaysSoWithExitCode1() {
    Cli.Result result = Cli.run(args("invalidate", "none", "--key", "price:n404"));
    assertThat(result.out()).isEqualTo("no entry under key 'price:n404' in namespace 'none' ("
        + redisDescription() + ")\n");
    assertThat(result.err()).isEmpty();
    assertThat(result.code()).isEqualTo(ExitCodes.DEGRADED_OR_NOT_FOUND);
  }

  @Test
  void healthOfAReachableRedisWithItsChannel() {
    Cli.Result result = Cli.run(args("health", "health"));
    assertThat(result.out()).isEqualTo(
        "backend    " + redisDescription() + ": UP, connected to " + server.address() + "\n"
            + "namespace  health\n"
            + "channel    delivering; other processes' L1s drop invalidated entries within 1 s\n"
            + "status     healthy\n");
    assertThat(result.code()).isEqualTo(ExitCodes.OK);
  }

  @Test
  void aWrongPasswordGivesOneLineAndExitCode3AndNeverPrintsThePassword() {
    Cli.Result wrong = Cli.runWith(Map.of("PW", "wrong-secret"),
        args("health", "auth", "--user", "ops", "--password-env", "PW"));
    assertThat(wrong.out()).isEmpty();
    assertThat(wrong.err().lines().count()).as(wrong.toString()).isEqualTo(1);
    assertThat(wrong.err()).startsWith("tiercache: Redis at " + server.address()
        + " refused the credentials of its URI (").contains("WRONGPASS")
        .endsWith("): check the user name and password\n").doesNotContain("wrong-secret");
    assertThat(wrong.code()).isEqualTo(ExitCodes.AUTH_FAILED);

    Cli.Result right = Cli.runWith(Map.of("PW", "right-secret"),
        args("health", "auth", "--user", "ops", "--password-env", "PW"));
    assertThat(right.code()).as(right.toString()).isEqualTo(ExitCodes.OK);
    assertThat(right.out()).doesNotContain("right-secret").endsWith("status     healthy\n");
  }

  @Test
  void anUnreachableServerGivesOneLineAndExitCode4() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Cli.Result result = Cli.run("health", "--redis", "redis://127.0.0.1:" + port, "--timeout", "1s");
    assertThat(result.out()).isEmpty();
    assertThat(result.err().lines().count()).as(result.toString()).isEqualTo(1);
    assertThat(result.err()).startsWith("tiercache: cannot connect to Redis at 127.0.0.1:" + port + " (");
    assertThat(result.code()).isEqualTo(ExitCodes.UNREACHABLE);
  }

  @Test
  void noConnectionOptionIsAUsageError() {
    Cli.Result result = Cli.run("health");
    assertThat(result.err()).isEqualTo("tiercache: say where the cache is: --redis URI, --redis-cluster URI"
        + " (once per seed) or --memcached HOST:PORT\n");
    assertThat(result.code()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void inspectShowsTheEnvelopeOfAnEntryWithATag() {
    try (RedisBackend backend = RedisBackend.connect(server.uri());
        TierCache cache = TierCache.builder().namespace("insp").backend(TierCache.DEFAULT, backend)
            .l2Timeout(WAIT).build()) {
      CachedFunction1<Integer, String> price = cache.function("price", String.class)
          .tags("catalog").of((Integer sku) -> "p" + sku);
      assertThat(price.apply(7)).isEqualTo("p7");
      waitFor(() -> raw.sync().exists("insp:price:n7") == 1);

      Cli.Result result = Cli.run(args("inspect", "insp", "price:n7", "--type", "java.lang.String"));

      String fingerprint = String.format("%08x", Envelope.fingerprint("jackson-json", "java.lang.String"));
      assertThat(result.out()).as(result.toString()).matches(
          "key        insp:price:n7\n"
          + "backend    " + java.util.regex.Pattern.quote(redisDescription()) + "\n"
          + "size       46 bytes \\(header 42, payload 4\\)\n"
          + "type       fingerprint " + fingerprint + " \\(matches jackson-json java.lang.String\\)\n"
          + "expires    never\n"
          + "ttl        none in Redis\n"
          + "tags       1\n"
          + "  insp:#t:catalog  version [0-9a-f]+  current\n"
          + "payload    JSON string: \"p7\"\n"
          + "status     live\n");
      assertThat(result.code()).isEqualTo(ExitCodes.OK);

      assertThat(cache.invalidateTags("catalog")).isTrue();
      Cli.Result stale = Cli.run(args("inspect", "insp", "price:n7"));
      assertThat(stale.out()).containsPattern("  insp:#t:catalog  version [0-9a-f]+  CHANGED \\(now [0-9a-f]+\\)\n")
          .endsWith("status     stale: a tag changed since it was stored, a miss for every process\n");
      assertThat(stale.code()).isEqualTo(ExitCodes.DEGRADED_OR_NOT_FOUND);
    }
  }

  @Test
  void inspectReportsForeignAndCorruptBytesWithoutFailing() {
    raw.sync().set("foreign:price:n1", "{\"not\":\"ours\"}");
    Cli.Result foreign = Cli.run(args("inspect", "foreign", "price:n1"));
    assertThat(foreign.out()).isEqualTo("key        foreign:price:n1\n"
        + "backend    " + redisDescription() + "\n"
        + "size       14 bytes\n"
        + "entry      NOT a tiercache entry (foreign or corrupt bytes), starts with"
        + " 7b 22 6e 6f 74 22 3a 22 6f 75 72 73 22 7d\n");
    assertThat(foreign.err()).isEmpty();
    assertThat(foreign.code()).isEqualTo(ExitCodes.DEGRADED_OR_NOT_FOUND);

    // our magic and version, then a header that claims 3 tags and ends
    byte[] truncated = {0x74, 2, 0, 1, 2, 3, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 9};
    try (StatefulRedisConnection<String, byte[]> bytes = client.connect(RedisBackend.CODEC)) {
      bytes.sync().set("foreign:price:n2", truncated);
    }
    Cli.Result corrupt = Cli.run(args("inspect", "foreign", "price:n2"));
    assertThat(corrupt.out()).endsWith("size       19 bytes\n"
        + "entry      NOT a tiercache entry (foreign or corrupt bytes), starts with"
        + " 74 02 00 01 02 03 04 00 00 00 00 00 00 00 00 00 ...\n");
    assertThat(corrupt.code()).isEqualTo(ExitCodes.DEGRADED_OR_NOT_FOUND);

    Cli.Result missing = Cli.run(args("inspect", "foreign", "price:n3"));
    assertThat(missing.out()).endsWith("entry      none\n");
    assertThat(missing.code()).isEqualTo(ExitCodes.DEGRADED_OR_NOT_FOUND);
  }

  @Test
  void keysListsTheEntriesOfANamespaceOnlyWithAProgressLine() {
    for (int i = 0; i < 5; i++) {
      raw.sync().set("ks:price:n" + i, "x");
    }
    raw.sync().set("ks:#t:catalog", "x");
    raw.sync().set("ks:quote:n1", "x");
    raw.sync().set("other:price:n1", "x");
    raw.sync().set("app*[1]:ks:price:n9", "x"); // under a key prefix with glob characters

    Cli.Result prefixed = Cli.run(args("keys", "ks", "--key-prefix", "app*[1]:"));
    assertThat(prefixed.out()).isEqualTo("price:n9\n");

    Cli.Result all = Cli.run(args("keys", "ks", "--match", "price:*", "--count", "2", "--progress-every", "2"));
    assertThat(all.out().lines().sorted()).containsExactly("price:n0", "price:n1", "price:n2", "price:n3", "price:n4");
    assertThat(all.err()).startsWith("... about 2 keys examined, ");
    assertThat(all.code()).isEqualTo(ExitCodes.OK);

    Cli.Result limited = Cli.run(args("keys", "ks", "--limit", "2", "--progress-every", "1000000"));
    assertThat(limited.out().lines().count()).isEqualTo(2);
    assertThat(limited.err()).isEqualTo("stopped at --limit 2; there may be more\n");

    Cli.Result none = Cli.run(args("keys", "ks", "--match", "nothing:*"));
    assertThat(none.out()).isEmpty();
    assertThat(none.code()).isEqualTo(ExitCodes.DEGRADED_OR_NOT_FOUND);
  }

  @Test
  void statsShowsTheExactCountsOfAKnownCallSequence() {
    try (RedisBackend backend = RedisBackend.connect(server.uri());
        TierCache cache = TierCache.builder().namespace("st").backend(TierCache.DEFAULT, backend)
            .publishStats(Duration.ofMillis(100), "app-1").build()) {
      CachedFunction1<Integer, String> price = cache.function("price", String.class).of((Integer sku) -> "p" + sku);
      CachedFunction1<Integer, String> stock = cache.function("stock", String.class).of((Integer sku) -> "s" + sku);
      price.apply(1); // L1 miss, L2 miss
      price.apply(1); // L1 hit
      price.apply(1); // L1 hit
      price.apply(2); // L1 miss, L2 miss
      stock.apply(1); // L1 miss, L2 miss
      stock.invalidate(1);
      stock.apply(1); // L1 miss, L2 miss

      String expected = ""
          + "process                  function           L1 hits   L1 miss  L1 hit   L2 hits   L2 miss  L2 hit\n"
          + "app-1                    price                    2         2   50.0%         0         2    0.0%\n"
          + "app-1                    stock                    0         2    0.0%         0         2    0.0%\n"
          + "app-1                    (all)                    2         4   33.3%         0         4    0.0%\n"
          + "total                    (all)                    2         4   33.3%         0         4    0.0%\n";
      Cli.Result result = Cli.until(WAIT, r -> r.out().equals(expected), args("stats", "st"));
      assertThat(result.code()).isEqualTo(ExitCodes.OK);

      Cli.Result watch = Cli.run(args("stats", "st", "--watch", "--samples", "2", "--interval", "100ms"));
      assertThat(watch.out().replaceAll("(?m)^\\d\\d:\\d\\d:\\d\\d", "HH:MM:SS")).isEqualTo(""
          + "time     processes     calls   calls/s  L1 hit   L2 hits  L2 hit\n"
          + "HH:MM:SS         1         6         -   33.3%         0    0.0%\n"
          + "HH:MM:SS         1         6       0.0   33.3%         0    0.0%\n");
      assertThat(watch.code()).isEqualTo(ExitCodes.OK);
    }
    // closing the TierCache deletes its report
    Cli.Result gone = Cli.run(args("stats", "st"));
    assertThat(gone.out()).isEqualTo("no process publishes statistics in namespace 'st'"
        + " (enable TierCache.builder().publishStats(...))\n");
    assertThat(gone.code()).isEqualTo(ExitCodes.DEGRADED_OR_NOT_FOUND);
  }

  @Test
  void watchPrintsTheInvalidationsAndHeartbeatsOfTheChannel() throws Exception {
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    java.util.concurrent.CompletableFuture<Integer> watching = java.util.concurrent.CompletableFuture.supplyAsync(
        () -> TierCacheCli.commandLine(new java.io.PrintWriter(out), new java.io.PrintWriter(err), Map.of())
            .execute(args("watch", "wt", "--messages", "2", "--heartbeats")));
    waitFor(() -> out.toString().contains(" WATCHING "));
    try (RedisBackend backend = RedisBackend.connect(server.uri());
        TierCache cache = TierCache.builder().namespace("wt").backend(TierCache.DEFAULT, backend).build()) {
      waitFor(() -> cache.coherence().delivering());
      waitFor(() -> out.toString().contains(" HEARTBEAT from "));
      assertThat(cache.invalidateTags("catalog", "sku:1")).isTrue();
      assertThat(cache.invalidateKey("price:n1")).isFalse();
      assertThat(watching.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
    }
    String time = "\\d\\d:\\d\\d:\\d\\d ";
    java.util.List<String> lines = out.toString().lines().filter(l -> !l.contains(" HEARTBEAT from "))
        .map(l -> l.replaceFirst("^" + time, "")).toList();
    assertThat(lines).containsExactly("WATCHING redis pub/sub wt:#inv on " + redisDescription() + " (bound 1 s)", "TAGS wt:#t:catalog wt:#t:sku:1",
        "KEY wt:price:n1");
    assertThat(out.toString()).containsPattern("(?m)^" + time + "HEARTBEAT from \\S+$");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void thePasswordPromptReadsThePasswordWithoutPrintingIt() {
    java.io.InputStream stdin = System.in;
    java.io.PrintStream stdout = System.out;
    java.io.ByteArrayOutputStream prompt = new java.io.ByteArrayOutputStream();
    Cli.Result result;
    try {
      // no console under the test runner: picocli reads the answer from standard input then
      System.setIn(new java.io.ByteArrayInputStream("right-secret\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      System.setOut(new java.io.PrintStream(prompt, true, java.nio.charset.StandardCharsets.UTF_8));
      result = Cli.run(args("health", "prompt", "--user", "ops", "--password"));
    } finally {
      System.setIn(stdin);
      System.setOut(stdout);
    }
    assertThat(result.code()).as(result.toString()).isEqualTo(ExitCodes.OK);
    assertThat(prompt.toString(java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo("Enter value for --password (prompt for the Redis password (not echoed)): ");
    assertThat(result.out() + result.err()).doesNotContain("right-secret").endsWith("status     healthy\n");
  }

  @Test
  void aSentinelUriFindsTheMaster() {
    try (io.tiercache.testkit.RedisSentinelSetup sentinel = io.tiercache.testkit.RedisSentinelSetup.start(
        io.tiercache.testkit.RedisSentinelSetup.Settings.defaults())) {
      Cli.Result result = Cli.run("health", "--redis", sentinel.uri(), "-n", "sen", "--timeout", "10s");
      assertThat(result.code()).as(result.toString()).isEqualTo(ExitCodes.OK);
      assertThat(result.out()).startsWith("backend    redis(").contains(": UP, connected to ")
          .endsWith("status     healthy\n");
    }
  }

  @Test
  void noCommandIsAUsageError() {
    Cli.Result result = Cli.run();
    assertThat(result.err()).isEqualTo("tiercache: name a command, e.g. tiercache health --redis redis://localhost:6379\n"
        + "Try 'tiercache --help' for more information.\n");
    assertThat(result.code()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void everyCommandHasHelpWithTheExitCodes() {
    for (String command : new String[] {"invalidate", "health", "inspect", "keys", "stats", "watch"}) {
      Cli.Result help = Cli.run(command, "--help");
      assertThat(help.code()).isEqualTo(ExitCodes.OK);
      assertThat(help.out()).startsWith("Usage: tiercache " + command).contains("Exit codes:")
          .contains("--redis=URI").contains("--password-env=VAR");
    }
    assertThat(Cli.run("--help").out()).contains("Exit codes:\n  0   everything ok\n");
  }

  private static void waitFor(java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("not within " + WAIT);
      }
      Thread.onSpinWait();
    }
  }
}
