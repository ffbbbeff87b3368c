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

  /** A new "process": its own connection to the server and its own {@code TierCache}. */
  private TierCache process() {
    RedisBackend backend = redis.closeAfterTest(RedisBackend.connect(redis.uri()));
    assertThat(backend.awaitUp(Duration.ofSeconds(10))).as("backend up").isTrue();
    return TierCache.builder().namespace("stress").backend(TierCache.DEFAULT, backend).executor(executor).build();
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
