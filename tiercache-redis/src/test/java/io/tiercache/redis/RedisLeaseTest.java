package io.tiercache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.CacheInfo;
import io.tiercache.CachedFunction1;
import io.tiercache.TierCache;
import io.tiercache.backend.LeasingBackend;
import io.tiercache.lease.LeaseStats;
import io.tiercache.testkit.LeaseSuite;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The testkit's lease suite on a real standalone redis-server, each "process" on a backend with its
 * own client and connection; plus the commands a miss with a lease sends, counted by the server.
 */
class RedisLeaseTest extends LeaseSuite {
  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();

  @Override
  protected LeasingBackend createBackend() {
    return redis.closeAfterTest(RedisBackend.connect(redis.uri()));
  }

  @Test
  void aLeaseIsAKeyWithTheTokenAndTheTtl() {
    assertThat(tryLease("leasesuite:#l:f:s1", "token-a", Duration.ofSeconds(30))).isTrue();
    assertThat(new String(redis.raw().sync().get("leasesuite:#l:f:s1"), StandardCharsets.UTF_8))
        .isEqualTo("token-a");
    assertThat(redis.raw().sync().pttl("leasesuite:#l:f:s1")).isBetween(1L, 30_000L);
  }

  @Test
  void aMissWithALeaseIsGetSetNxSetAndOneEvalAndAnL2HitOneGet() {
    assertThat(((RedisBackend) backend()).awaitUp(Duration.ofSeconds(10))).as("connected").isTrue();
    CachedFunction1<Long, Long> square = TierCache.builder().namespace("rt")
        .backend(TierCache.DEFAULT, backend()).l2Timeout(operationTimeout()).coherence(false).build()
        .function("square", Long.class).l1MaxSize(0).lease(Duration.ofMillis(200))
        .of((Long x) -> x * x);
    redis.raw().resetStats();

    assertThat(square.apply(7L)).isEqualTo(49L);
    Eventually.waitFor("the lease released", Duration.ofSeconds(10),
        () -> redis.raw().sync().exists("rt:#l:square:n7") == 0
            && redis.raw().sync().exists("rt:square:n7") == 1);
    // from the client: GET, SET NX PX (the lease), SET PX-less (the value), EVAL (the release);
    // the script's own GET and DEL are counted by Redis too
    Map<String, Long> calls = new HashMap<>(redis.raw().commandCalls());
    calls.remove("exists"); // this test's own
    assertThat(calls).as("commands Redis received for a miss with a lease")
        .isEqualTo(Map.of("get", 2L, "set", 2L, "eval", 1L, "del", 1L));
    assertThat(square.leaseStats()).isEqualTo(new LeaseStats(1, 0, 0, 0, 0, 0));

    redis.raw().resetStats();
    assertThat(square.apply(7L)).isEqualTo(49L);
    assertThat(redis.raw().commandCalls()).as("commands Redis received for an L2 hit")
        .isEqualTo(Map.of("get", 1L));
    assertThat(square.cacheInfo()).isEqualTo(new CacheInfo(0, 2, 1, 1, 0, 0));
  }
}
