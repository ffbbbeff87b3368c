package io.tiercache.spring.boot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * What the tests of Boot applications over real HTTP share: the JDK {@code HttpClient} calls, the
 * JSON reader, a function's entry in {@code /actuator/tiercache}, and bounded waits that fail
 * loudly.
 */
final class Actuator {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Duration BOUND = Duration.ofSeconds(10);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private Actuator() {}

  interface Call<T> {
    T call() throws Exception;
  }

  /** Calls until {@code done} holds; fails loudly after {@link #BOUND}. */
  static <T> T await(Call<T> call, Predicate<T> done) throws Exception {
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

  /**
   * Waits until one key matching {@code pattern} ({@code KEYS} syntax; a plain key matches
   * itself) is in the Redis at {@code uri}: L2 writes are asynchronous.
   */
  static void awaitKeyInRedis(String uri, String pattern) throws Exception {
    RedisClient client = RedisClient.create(uri);
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      await(() -> connection.sync().keys(pattern), keys -> keys.size() == 1);
    } finally {
      client.shutdown();
    }
  }

  /** The entry of the function {@code name} in an {@code /actuator/tiercache} report. */
  static JsonNode function(JsonNode report, String name) {
    for (JsonNode f : report.get("functions")) {
      if (f.get("name").asText().equals(name)) {
        return f;
      }
    }
    throw new AssertionError("no function " + name + " in " + report);
  }

  static HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> post(String url, String json)
      throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
