package io.tiercache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.TierCache;
import io.tiercache.stress.InvalidationStress;
import io.tiercache.stress.InvalidationStress.Kind;
import io.tiercache.stress.InvalidationStress.Report;
import io.tiercache.stress.InvalidationStress.Settings;
import io.tiercache.stress.InvalidationStress.Writer;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 12's stress test on a real redis-server ({@link RedisServerExtension}): readers racing
 * "update the source, then invalidate" (by key, by tag, by prefix, or a refresh), sync and async,
 * {@code -Dtiercache.stress.seconds} per variant (10 s by default). The cache under test and the
 * second process that reads L2 after the run each have their own connection and invalidation
 * channel, as two JVMs would. No read that started after an invalidation returned may return an
 * older version, and once every thread stopped neither layer may hold one.
 */
class RedisInvalidationStressTest {
  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();

  private final ExecutorService executor = Executors.newFixedThreadPool(2);

  @AfterEach
  void stopExecutor() throws InterruptedException {
    executor.shutdownNow();
    assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).as("cache executor stopped").isTrue();
  }

  /**
   * A new "process": its own connection to the server and its own {@code TierCache}. Its L2 and
   * command timeouts are 2 s instead of 100 / 200 ms: the test is of the invalidation protocol, and on a loaded CI
   * machine a 100 ms timeout refuses invalidations (counted as violations: a refused invalidation
   * promises nothing) for reasons that are the machine's, not the protocol's.
   */
  private TierCache process() {
    RedisBackend backend = redis.closeAfterTest(RedisBackend.builder().uri(redis.uri())
        .commandTimeout(Duration.ofSeconds(2)).bulkTimeout(Duration.ofSeconds(2)).build());
    assertThat(backend.awaitUp(Duration.ofSeconds(10))).as("backend up").isTrue();
    return TierCache.builder().namespace("stress").backend(TierCache.DEFAULT, backend).executor(executor)
        .l2Timeout(Duration.ofSeconds(2)).build();
  }

  private static void assertNoViolation(Report report) {
    assertThat(report.writerRounds()).as("writer rounds of %s", report.label()).isPositive();
    assertThat(report.reads()).as("reads of %s", report.label()).isPositive();
    assertThat(report.violations()).as(report.summary()).isZero();
  }

  @ParameterizedTest(name = "sync {0}")
  @EnumSource(value = Writer.class, names = "FORGET_TO_INVALIDATE", mode = EnumSource.Mode.EXCLUDE)
  void syncReadersNeverSeeAVersionOlderThanTheLastInvalidated(Writer writer) throws Exception {
    assertNoViolation(InvalidationStress.run("redis", Settings.of(Kind.SYNC, writer), this::process));
  }

  @ParameterizedTest(name = "async {0}")
  @EnumSource(value = Writer.class, names = "FORGET_TO_INVALIDATE", mode = EnumSource.Mode.EXCLUDE)
  void asyncReadersNeverSeeAVersionOlderThanTheLastInvalidated(Writer writer) throws Exception {
    assertNoViolation(InvalidationStress.run("redis", Settings.of(Kind.ASYNC, writer), this::process));
  }
}
