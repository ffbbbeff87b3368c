package io.tiercache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.AclSetuserArgs;
import io.tiercache.CacheInfo;
import io.tiercache.CachedFunction1;
import io.tiercache.TierCache;
import io.tiercache.lease.LeaseStats;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A lease that Redis cannot give never reaches the caller: a user not allowed to {@code SET}
 * (so the lease is refused while reads work) and a stopped redis-server both mean computing, with
 * exact counts, and the lease works again once Redis does.
 */
class RedisLeaseFailureTest {
  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();
  private RedisBackend backend;

  /** Before each test, not once: a test that restarts the server loses the user (nothing persists). */
  @BeforeEach
  void addAUserNotAllowedToSet() {
    redis.raw().sync().aclSetuser("reader", AclSetuserArgs.Builder.on().addPassword("r3ad")
        .allKeys().allCommands().removeCommand(io.lettuce.core.protocol.CommandType.SET));
  }

  @AfterEach
  void startRedisIfStopped() {
    if (!redis.launcher().isRunning()) {
      redis.launcher().start();
    }
  }

  private CachedFunction1<String, String> reportOn(RedisBackend b, AtomicInteger computations) {
    backend = redis.closeAfterTest(b);
    assertThat(b.awaitUp(Duration.ofSeconds(10))).isTrue();
    return TierCache.builder().namespace("failing").backend(TierCache.DEFAULT, b).build()
        .function("report", String.class).l1MaxSize(0).lease(Duration.ofSeconds(30))
        .of((String day) -> "report " + day + " #" + computations.incrementAndGet());
  }

  @Test
  void aRefusedLeaseMeansComputingAtOnce() {
    AtomicInteger computations = new AtomicInteger();
    CachedFunction1<String, String> report = reportOn(
        RedisBackend.connect("redis://reader:r3ad@" + redis.address()), computations);

    assertThat(report.apply("mon")).isEqualTo("report mon #1");
    assertThat(report.apply("mon")).isEqualTo("report mon #2");

    assertThat(report.leaseStats()).isEqualTo(new LeaseStats(0, 0, 0, 0, 0, 2));
    assertThat(report.cacheInfo()).isEqualTo(new CacheInfo(0, 2, 0, 2, 0, 0));
    // the two refused leases (awaited) and the two refused writes (not awaited: counted when they fail)
    Eventually.waitFor("the refused writes are counted", Duration.ofSeconds(10), () -> report.l2ErrorCount() >= 4);
    assertThat(report.l2ErrorCount()).isEqualTo(4);
  }

  @Test
  void whileRedisIsStoppedCallsComputeAndOnceItIsBackTheLeaseWorksAgain() {
    AtomicInteger computations = new AtomicInteger();
    CachedFunction1<String, String> report = reportOn(RedisBackend.connect(redis.uri()), computations);

    redis.launcher().stop();
    assertThat(report.apply("mon")).isEqualTo("report mon #1");
    assertThat(report.apply("mon")).isEqualTo("report mon #2");
    assertThat(report.leaseStats()).as("a failed read asks for no lease").isEqualTo(LeaseStats.NONE);

    redis.launcher().start();
    Eventually.waitFor("the backend is back", Duration.ofSeconds(30), () -> backend.health().status()
        == RedisHealth.Status.UP);
    report.cacheClear();
    Eventually.waitFor("a miss with a lease", Duration.ofSeconds(30), () -> {
      report.apply("tue");
      return report.leaseStats().leads() == 1;
    });
    assertThat(report.apply("tue")).as("an L2 hit").isEqualTo("report tue #" + computations.get());
  }
}
