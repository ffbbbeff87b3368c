package io.tiercache.stress;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.L1Policy;
import io.tiercache.TierCache;
import io.tiercache.backend.InMemoryBackend;
import io.tiercache.stress.InvalidationStress.Kind;
import io.tiercache.stress.InvalidationStress.Report;
import io.tiercache.stress.InvalidationStress.Settings;
import io.tiercache.stress.InvalidationStress.Writer;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 12's stress test on the embedded L2 ({@link InMemoryBackend}, coherent as processes sharing
 * Redis are): readers racing "update the source, then invalidate" (by key, by tag, by prefix, or a
 * refresh) for {@value InvalidationStress#DEFAULT_SECONDS} s per variant
 * ({@code -Dtiercache.stress.seconds=N} to change it), sync and async. No read that started after
 * an invalidation returned may return an older version, and once every thread stopped neither
 * layer may hold one. Each variant prints its round counts.
 */
class InvalidationStressTest {
  private final ExecutorService executor = Executors.newFixedThreadPool(2);

  @AfterEach
  void stopExecutor() throws InterruptedException {
    executor.shutdownNow();
    assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).as("cache executor stopped").isTrue();
  }

  private Report run(Settings settings) throws Exception {
    InMemoryBackend backend = InMemoryBackend.create();
    return InvalidationStress.run("in-memory", settings,
        () -> TierCache.builder().backend(TierCache.DEFAULT, backend).executor(executor).build());
  }

  private static void assertNoViolation(Report report) {
    assertThat(report.writerRounds()).as("writer rounds of %s", report.label()).isPositive();
    assertThat(report.reads()).as("reads of %s", report.label()).isPositive();
    assertThat(report.violations()).as(report.summary()).isZero();
  }

  @ParameterizedTest(name = "sync {0}")
  @EnumSource(value = Writer.class, names = "FORGET_TO_INVALIDATE", mode = EnumSource.Mode.EXCLUDE)
  void syncReadersNeverSeeAVersionOlderThanTheLastInvalidated(Writer writer) throws Exception {
    assertNoViolation(run(Settings.of(Kind.SYNC, writer)));
  }

  @ParameterizedTest(name = "async {0}")
  @EnumSource(value = Writer.class, names = "FORGET_TO_INVALIDATE", mode = EnumSource.Mode.EXCLUDE)
  void asyncReadersNeverSeeAVersionOlderThanTheLastInvalidated(Writer writer) throws Exception {
    assertNoViolation(run(Settings.of(Kind.ASYNC, writer)));
  }

  @ParameterizedTest(name = "sync W_TINY_LFU {0}")
  @EnumSource(value = Writer.class, names = "FORGET_TO_INVALIDATE", mode = EnumSource.Mode.EXCLUDE)
  void syncReadersOfAWTinyLfuL1NeverSeeAVersionOlderThanTheLastInvalidated(Writer writer) throws Exception {
    assertNoViolation(run(Settings.of(Kind.SYNC, writer).withL1Policy(L1Policy.W_TINY_LFU)));
  }

  @ParameterizedTest(name = "async W_TINY_LFU {0}")
  @EnumSource(value = Writer.class, names = "FORGET_TO_INVALIDATE", mode = EnumSource.Mode.EXCLUDE)
  void asyncReadersOfAWTinyLfuL1NeverSeeAVersionOlderThanTheLastInvalidated(Writer writer) throws Exception {
    assertNoViolation(run(Settings.of(Kind.ASYNC, writer).withL1Policy(L1Policy.W_TINY_LFU)));
  }

  /**
   * The harness can fail: when writers change the source and never tell the cache, readers are
   * served old versions from L1 and both layers keep them. One key, so that a read after a write
   * to a cached key happens within the second for certain.
   */
  @Test
  void theHarnessCountsStaleReadsWhenNothingIsInvalidated() throws Exception {
    Report report = run(new Settings(Kind.SYNC, Writer.FORGET_TO_INVALIDATE, 1, 1, 1, Duration.ofSeconds(1),
        Duration.ofMillis(100)));

    assertThat(report.staleReads()).as(report.summary()).isPositive();
    assertThat(report.staleInL1()).as(report.summary()).isEqualTo(1);
    assertThat(report.staleInL2()).as(report.summary()).isEqualTo(1);
  }
}
