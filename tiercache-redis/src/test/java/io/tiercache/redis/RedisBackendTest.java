package io.tiercache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.tiercache.backend.Backend;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the conformance suite does not cover: the commands' TTLs as Redis sees them, no exception
 * ever thrown synchronously, configuration checks, clients and connections the application owns,
 * and health states.
 */
class RedisBackendTest {
  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  private static Throwable failureOf(CompletionStage<?> stage) {
    try {
      stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError("stage did not fail but: " + e, e);
    }
    throw new AssertionError("stage completed normally; a failure was expected");
  }

  @Test
  void ttlsReachRedisAsMillisecondExpiriesAndNoTtlMeansPersistent() throws Exception {
    try (RedisBackend backend = RedisBackend.connect(redis.uri())) {
      await(backend.set("ttl", bytes("v"), Duration.ofSeconds(30)));
      await(backend.set("forever", bytes("v"), Backend.NO_EXPIRY));
      await(backend.set("tiny", bytes("v"), Duration.ofNanos(1)));
      await(backend.setMany(Map.of("batch:1", bytes("a"), "batch:2", bytes("b")), Duration.ofSeconds(30)));
      await(backend.setMany(Map.of("batch:3", bytes("c")), Backend.NO_EXPIRY));

      assertThat(redis.raw().sync().pttl("ttl")).isBetween(1L, 30_000L);
      assertThat(redis.raw().sync().pttl("batch:1")).isBetween(1L, 30_000L);
      assertThat(redis.raw().sync().pttl("batch:2")).isBetween(1L, 30_000L);
      assertThat(redis.raw().sync().pttl("forever")).isEqualTo(-1L);
      assertThat(redis.raw().sync().pttl("batch:3")).isEqualTo(-1L);
      Eventually.waitFor("a 1 ns TTL expires (rounded up to 1 ms)", Duration.ofSeconds(5),
          () -> redis.raw().sync().exists("tiny") == 0);
    }
  }

  @Test
  void invalidArgumentsAndAClosedBackendFailThroughTheStageNeverByThrowing() {
    RedisBackend backend = RedisBackend.connect(redis.uri());
    assertThat(failureOf(backend.set("k", null, Backend.NO_EXPIRY)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("value must not be null");
    assertThat(failureOf(backend.set("k", bytes("v"), Duration.ofSeconds(-1))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ttl must not be negative");
    assertThat(failureOf(backend.setMany(Map.of("k", bytes("v")), Duration.ofSeconds(-1))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(failureOf(backend.get(null))).isInstanceOf(NullPointerException.class);

    backend.close();
    backend.close(); // idempotent

    assertThat(backend.health().status()).isEqualTo(RedisHealth.Status.CLOSED);
    for (CompletionStage<?> stage : List.of(backend.get("k"), backend.getMany(List.of("a", "b")),
        backend.set("k", bytes("v"), Backend.NO_EXPIRY), backend.setMany(Map.of("k", bytes("v")),
            Backend.NO_EXPIRY), backend.delete("k"), backend.clear())) {
      assertThat(failureOf(stage)).isInstanceOf(RedisBackendException.class)
          .hasMessageContaining("is closed");
    }
  }

  @Test
  void aBuilderNeedsExactlyOneSourceAndValidOptions() {
    assertThatThrownBy(() -> RedisBackend.builder().build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("choose where Redis is");
    assertThatThrownBy(() -> RedisBackend.builder().uri(redis.uri()).cluster(redis.uri()).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("only one");
    assertThatThrownBy(() -> RedisBackend.builder().commandTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("commandTimeout");
    assertThatThrownBy(() -> RedisBackend.builder().circuitBreaker(0, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("failureThreshold");
    assertThatThrownBy(() -> RedisBackend.connect("http://user:s3cret@host:6379"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a Redis URI")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret"));
  }

  @Test
  void describeNamesHostPortDatabaseAndPrefixButNeverTheCredentials() {
    try (RedisBackend backend = RedisBackend.builder()
        .uri("redis://someone:s3cret@" + redis.address() + "/3").keyPrefix("app1:").build()) {
      assertThat(backend.describe()).isEqualTo("redis(" + redis.address() + " db 3, prefix 'app1:')");
    }
  }

  @Test
  void aConnectionTheApplicationOwnsIsUsedAndLeftOpen() throws Exception {
    RedisClient client = RedisClient.create(RedisURI.create(redis.uri()));
    try (StatefulRedisConnection<String, byte[]> connection = client.connect(RedisBackend.CODEC)) {
      RedisBackend backend = RedisBackend.builder().connection(connection).build();
      assertThat(backend.health().isUp()).isTrue();
      await(backend.set("given", bytes("v"), Backend.NO_EXPIRY));
      assertThat(await(backend.get("given"))).isEqualTo(bytes("v"));
      assertThat(backend.describe()).isEqualTo("redis(given connection)");

      backend.close();

      assertThat(connection.isOpen()).isTrue();
      assertThat(connection.sync().get("given")).isEqualTo(bytes("v"));
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  @Test
  void aClientTheApplicationOwnsGivesTheBackendItsOwnConnectionAndStaysUsable() throws Exception {
    RedisClient client = RedisClient.create();
    try {
      RedisBackend backend = RedisBackend.builder().client(client, redis.uri()).build();
      assertThat(backend.awaitUp(Duration.ofSeconds(10))).isTrue();
      await(backend.set("from-client", bytes("v"), Backend.NO_EXPIRY));
      assertThat(await(backend.get("from-client"))).isEqualTo(bytes("v"));

      backend.close();

      try (StatefulRedisConnection<String, String> own = client.connect(RedisURI.create(redis.uri()))) {
        assertThat(own.sync().get("from-client")).isEqualTo("v");
      }
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  @Test
  void operationsIssuedBeforeTheFirstConnectionIsMadeWaitForIt() throws Exception {
    try (RedisBackend backend = RedisBackend.connect(redis.uri())) {
      // no awaitUp: the very first operations chain on the connection attempt
      CompletionStage<Void> set = backend.set("early", bytes("bird"), Backend.NO_EXPIRY);
      CompletionStage<byte[]> get = backend.get("early");
      await(set);
      assertThat(await(get)).isEqualTo(bytes("bird"));
      assertThat(backend.health().status()).isEqualTo(RedisHealth.Status.UP);
    }
  }

  /**
   * Operations issued while the first connection is being made reach Redis in the order they were
   * issued: 100 writes of one key, a delete and a write of another, then reads, all before the
   * connection exists.
   */
  @Test
  void operationsIssuedBeforeTheFirstConnectionReachRedisInIssueOrder() throws Exception {
    for (int round = 0; round < 5; round++) {
      try (RedisBackend backend = RedisBackend.connect(redis.uri())) {
        List<CompletionStage<Void>> writes = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
          writes.add(backend.set("counter", bytes("v" + i), Backend.NO_EXPIRY));
        }
        CompletionStage<Void> set = backend.set("gone", bytes("x"), Backend.NO_EXPIRY);
        CompletionStage<Boolean> delete = backend.delete("gone");
        CompletionStage<byte[]> last = backend.get("counter");
        CompletionStage<byte[]> deleted = backend.get("gone");
        for (CompletionStage<Void> write : writes) {
          await(write);
        }
        await(set);
        assertThat(await(delete)).isTrue();
        assertThat(await(last)).as("round %d", round).isEqualTo(bytes("v99"));
        assertThat(await(deleted)).isNull();
      }
    }
  }

  @Test
  void aWrongTypeErrorIsAFailedStageButDoesNotOpenTheCircuit() throws Exception {
    try (RedisBackend backend = RedisBackend.builder().uri(redis.uri())
        .circuitBreaker(2, Duration.ofMinutes(1)).build()) {
      assertThat(backend.awaitUp(Duration.ofSeconds(10))).isTrue();
      redis.raw().sync().rpush("a-list", bytes("x"));
      for (int i = 0; i < 5; i++) {
        assertThat(failureOf(backend.get("a-list"))).hasMessageContaining("WRONGTYPE");
      }
      assertThat(backend.health().status()).isEqualTo(RedisHealth.Status.UP);
      await(backend.set("fine", bytes("v"), Backend.NO_EXPIRY));
      assertThat(await(backend.get("fine"))).isEqualTo(bytes("v"));
    }
  }
}
