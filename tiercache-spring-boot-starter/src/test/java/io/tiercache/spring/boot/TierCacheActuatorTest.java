package io.tiercache.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.tiercache.testkit.RedisServerLauncher;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The Actuator side over real HTTP: two Boot applications ({@link DemoApp}), one in this process
 * (A) and one in a child process (B), on one real redis-server. The endpoint's statistics after a
 * known sequence of calls, invalidation by key posted to A reaching B's L1 through the channel, by
 * tags and by prefix, and the health of each backend: UP, then DOWN once redis-server stops.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TierCacheActuatorTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Duration BOUND = Duration.ofSeconds(10);

  private static RedisServerLauncher redis;
  private static ConfigurableApplicationContext appA;
  private static Process processB;
  private static String a;
  private static String b;

  @BeforeAll
  static void start() throws Exception {
    redis = new RedisServerLauncher().start();
    List<String> args = List.of("--server.port=0", "--spring.main.banner-mode=off",
        "--management.endpoints.web.exposure.include=health,tiercache",
        "--management.endpoint.health.show-details=always",
        "--tiercache.backends.default.redis.uri=" + redis.uri(),
        "--tiercache.backends.local.embedded.max-entries=100",
        "--tiercache.caches.shelf.backend=local",
        "--tiercache.coherence.heartbeat=1s",
        // the first commands of a cold JVM on a loaded machine must not count as L2 errors
        "--tiercache.l2-timeout=5s", "--tiercache.backends.default.redis.command-timeout=5s",
        "--logging.level.root=warn", "--logging.level.io.tiercache=debug",
        "--server.error.include-message=always");
    processB = startB(args);
    appA = SpringApplication.run(DemoApp.class, args.toArray(String[]::new));
    a = "http://127.0.0.1:" + appA.getEnvironment().getProperty("local.server.port");
    b = "http://127.0.0.1:" + portOf(processB);
  }

  @AfterAll
  static void stop() throws Exception {
    if (appA != null) {
      appA.close();
    }
    if (processB != null) {
      processB.getOutputStream().close();
      if (!processB.waitFor(10, TimeUnit.SECONDS)) {
        processB.destroyForcibly();
      }
    }
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  @Order(1)
  void theEndpointListsBackendsAndExactStatisticsAfterKnownCalls() throws Exception {
    assertThat(get(a + "/greet/ann").body()).isEqualTo("ann@A1");
    assertThat(get(a + "/greet/ann").body()).isEqualTo("ann@A1");
    assertThat(get(a + "/greet/bob").body()).isEqualTo("bob@A2");

    HttpResponse<String> response = get(a + "/actuator/tiercache");
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode report = JSON.readTree(response.body());
    assertThat(report.get("namespace").asText()).isEqualTo("tiercache");
    assertThat(report.get("backends")).isEqualTo(JSON.readTree("[{\"alias\":\"default\","
        + "\"description\":\"redis(" + redis.address() + ")\"},{\"alias\":\"local\","
        + "\"description\":\"in-memory(100 entries)\"}]"));
    JsonNode greet = function(report, "greet");
    assertThat(greet).isEqualTo(JSON.readTree("{\"name\":\"greet\","
        + "\"cacheInfo\":{\"l1Hits\":1,\"l1Misses\":2,\"l2Hits\":0,\"l2Misses\":2,"
        + "\"l1MaxSize\":128,\"l1CurrSize\":2,\"l1Unbounded\":false},"
        + "\"stats\":{\"l1Hits\":1,\"l1Misses\":2,\"l2Hits\":0,\"l2Misses\":2,\"l1Puts\":2,"
        + "\"l1Evictions\":0,\"l2Puts\":2,\"l2Errors\":0},"
        + "\"leaseStats\":{\"leads\":0,\"waits\":0,\"waitHits\":0,\"takeovers\":0,\"timeouts\":0,"
        + "\"failures\":0},\"l2Errors\":0}"));
    JsonNode coherence = report.get("coherence");
    assertThat(coherence.get("enabled").asBoolean()).isTrue();
    List<String> coherent = new ArrayList<>();
    coherence.get("coherentBackends").forEach(node -> coherent.add(node.asText()));
    assertThat(coherent).containsExactlyInAnyOrder("redis(" + redis.address() + ")",
        "in-memory(100 entries)");
    assertThat(coherence.get("stalenessBound").asText()).isEqualTo("PT2S");
  }

  @Test
  @Order(2)
  void invalidatingAKeyThroughTheEndpointOfOneProcessReachesTheOtherProcesssL1() throws Exception {
    String first = get(a + "/greet/carl").body();
    assertThat(first).isEqualTo("carl@A3");
    awaitKeyInRedis("tiercache:greet:scarl");
    assertThat(get(b + "/greet/carl").body()).as("an L2 hit in B").isEqualTo(first);
    assertThat(get(b + "/greet/carl").body()).as("an L1 hit in B").isEqualTo(first);

    HttpResponse<String> posted = post(a + "/actuator/tiercache/key", "{\"value\":\"greet:scarl\"}");
    assertThat(posted.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(posted.body())).isEqualTo(JSON.readTree(
        "{\"kind\":\"key\",\"targets\":[\"greet:scarl\"],\"backend\":null,\"result\":true}"));

    // B's L1 entry is dropped by the message on the channel (no flush): its next call computes
    String fresh = await(() -> get(b + "/greet/carl").body(), body -> !body.equals(first));
    assertThat(fresh).isEqualTo("carl@B1");
    JsonNode coherenceB = JSON.readTree(get(b + "/actuator/tiercache").body()).get("coherence");
    assertThat(coherenceB.get("entriesDropped").asLong()).isEqualTo(1);
    assertThat(coherenceB.get("flushes").asLong()).isEqualTo(0);
    JsonNode greetB = function(JSON.readTree(get(b + "/actuator/tiercache").body()), "greet");
    assertThat(greetB.get("stats")).isEqualTo(JSON.readTree("{\"l1Hits\":1,\"l1Misses\":2,"
        + "\"l2Hits\":1,\"l2Misses\":1,\"l1Puts\":2,\"l1Evictions\":0,\"l2Puts\":1,\"l2Errors\":0}"));
  }

  @Test
  @Order(3)
  void invalidatingByTagsAndByPrefixOnANamedBackend() throws Exception {
    assertThat(get(a + "/shelf/x").body()).isEqualTo("x@A4");
    assertThat(get(a + "/shelf/x").body()).isEqualTo("x@A4");

    HttpResponse<String> tags = post(a + "/actuator/tiercache/tags",
        "{\"value\":\"catalog\",\"backend\":\"local\"}");
    assertThat(JSON.readTree(tags.body())).isEqualTo(JSON.readTree(
        "{\"kind\":\"tags\",\"targets\":[\"catalog\"],\"backend\":\"local\",\"result\":true}"));
    assertThat(get(a + "/shelf/x").body()).isEqualTo("x@A5");

    HttpResponse<String> prefix = post(a + "/actuator/tiercache/prefix", "{\"value\":\"shelf\"}");
    assertThat(JSON.readTree(prefix.body())).isEqualTo(JSON.readTree(
        "{\"kind\":\"prefix\",\"targets\":[\"shelf\"],\"backend\":null,\"result\":true}"));
    assertThat(get(a + "/shelf/x").body()).isEqualTo("x@A6");

    assertThat(post(a + "/actuator/tiercache/everything", "{\"value\":\"x\"}").statusCode())
        .isEqualTo(400);
    assertThat(post(a + "/actuator/tiercache/key", "{\"value\":\"x\",\"backend\":\"nope\"}")
        .statusCode()).isEqualTo(400);
  }

  @Test
  @Order(4)
  void healthIsUpPerBackendThenDownForRedisOnceRedisServerStops() throws Exception {
    HttpResponse<String> main = get(a + "/actuator/health/tiercache-default");
    assertThat(main.statusCode()).isEqualTo(200);
    JsonNode up = JSON.readTree(main.body());
    assertThat(up.get("status").asText()).as(main.body()).isEqualTo("UP");
    assertThat(up.get("details").get("state").asText()).isEqualTo("UP");
    assertThat(up.get("details").get("backend").asText()).isEqualTo("redis(" + redis.address() + ")");
    assertThat(up.get("details").get("coherence").get("delivering").asBoolean()).isTrue();
    assertThat(up.get("details").get("l2Errors").asLong()).isEqualTo(0);
    HttpResponse<String> local = get(a + "/actuator/health/tiercache-local");
    assertThat(local.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(local.body()).get("status").asText()).isEqualTo("UP");

    redis.stop();
    HttpResponse<String> down = await(() -> get(a + "/actuator/health/tiercache-default"),
        r -> r.statusCode() == 503);
    JsonNode details = JSON.readTree(down.body()).get("details");
    assertThat(JSON.readTree(down.body()).get("status").asText()).isEqualTo("DOWN");
    assertThat(details.get("state").asText()).isIn("DISCONNECTED", "UNREACHABLE");
    assertThat(details.get("message").asText()).isNotEmpty();
    assertThat(details.get("coherence").get("delivering").asBoolean()).isFalse();
    assertThat(JSON.readTree(get(a + "/actuator/health/tiercache-local").body()).get("status")
        .asText()).isEqualTo("UP");
  }

  private static JsonNode function(JsonNode report, String name) {
    for (JsonNode f : report.get("functions")) {
      if (f.get("name").asText().equals(name)) {
        return f;
      }
    }
    throw new AssertionError("no function " + name + " in " + report);
  }

  private static void awaitKeyInRedis(String key) throws Exception {
    RedisClient client = RedisClient.create(redis.uri());
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      await(() -> connection.sync().exists(key), n -> n == 1);
    } finally {
      client.shutdown();
    }
  }

  interface Call<T> {
    T call() throws Exception;
  }

  /** Calls until {@code done} holds; fails loudly after {@link #BOUND}. */
  private static <T> T await(Call<T> call, Predicate<T> done) throws Exception {
    long deadline = System.nanoTime() + BOUND.toNanos();
    T last = call.call();
    while (!done.test(last)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("still " + last + " after " + BOUND);
      }
      Thread.onSpinWait();
      last = call.call();
    }
    return last;
  }

  private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(String url, String json)
      throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static Process startB(List<String> args) throws IOException {
    String classpath = System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path"));
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", classpath, "-XX:TieredStopAtLevel=1", DemoApp.class.getName(), "--demo.tag=B"));
    command.addAll(args);
    return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  private static int portOf(Process process) throws IOException {
    BufferedReader out = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      if (line.startsWith("PORT=")) {
        return Integer.parseInt(line.substring(5));
      }
    }
    throw new IllegalStateException("the second application exited before it printed its port");
  }
}
