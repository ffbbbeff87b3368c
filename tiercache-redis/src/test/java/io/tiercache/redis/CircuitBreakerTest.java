package io.tiercache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.tiercache.internal.log.ThrottledLog;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The breaker's state machine, and which failures count against Redis. */
class CircuitBreakerTest {
  private static final Duration OPEN = Duration.ofMillis(200);

  private static CircuitBreaker breaker(int threshold) {
    ThrottledLog log = new ThrottledLog(LoggerFactory.getLogger(CircuitBreakerTest.class), Duration.ofSeconds(10));
    return new CircuitBreaker(threshold, OPEN, "test", log, log);
  }

  @Test
  void opensAfterThresholdConsecutiveFailuresOnly() {
    CircuitBreaker breaker = breaker(3);
    breaker.onFailure(new RedisCommandTimeoutException("1"));
    breaker.onFailure(new RedisCommandTimeoutException("2"));
    breaker.onSuccess(); // resets the count
    breaker.onFailure(new RedisCommandTimeoutException("3"));
    breaker.onFailure(new RedisCommandTimeoutException("4"));
    assertThat(breaker.allow()).isTrue();
    assertThat(breaker.isOpen()).isFalse();

    breaker.onFailure(new RedisCommandTimeoutException("5"));

    assertThat(breaker.isOpen()).isTrue();
    assertThat(breaker.allow()).isFalse();
    assertThat(breaker.allow()).isFalse();
    ExecutionException rejected = org.junit.jupiter.api.Assertions.assertThrows(
        ExecutionException.class, () -> breaker.rejection().get());
    assertThat(rejected.getCause()).isInstanceOf(RedisBackendException.class)
        .hasMessageContaining("circuit open after 3 consecutive failures");
    assertThat(rejected.getCause().getCause()).hasMessage("5");
  }

  @Test
  void afterTheOpenPeriodExactlyOneProbeGoesAndItsSuccessCloses() {
    CircuitBreaker breaker = breaker(1);
    breaker.onFailure(new RedisConnectionException("down"));
    assertThat(breaker.allow()).isFalse();

    Eventually.sleep(OPEN.plusMillis(50));

    assertThat(breaker.allow()).as("the probe").isTrue();
    assertThat(breaker.allow()).as("a second caller while the probe runs").isFalse();
    breaker.onSuccess();
    assertThat(breaker.isOpen()).isFalse();
    assertThat(breaker.allow()).isTrue();
    assertThat(breaker.allow()).isTrue();
  }

  @Test
  void aFailedProbeOpensForAnotherPeriod() {
    CircuitBreaker breaker = breaker(1);
    breaker.onFailure(new RedisConnectionException("down"));
    Eventually.sleep(OPEN.plusMillis(50));
    assertThat(breaker.allow()).as("the probe").isTrue();

    breaker.onFailure(new RedisCommandTimeoutException("still down"));

    assertThat(breaker.isOpen()).isTrue();
    assertThat(breaker.allow()).isFalse();
    Eventually.sleep(OPEN.plusMillis(50));
    assertThat(breaker.allow()).as("the next probe").isTrue();
  }

  @Test
  void errorRepliesAboutOneKeyDoNotCountButUnwellServersDo() {
    assertThat(RedisFailures.countsAgainstRedis(new RedisCommandExecutionException(
        "WRONGTYPE Operation against a key holding the wrong kind of value"))).isFalse();
    assertThat(RedisFailures.countsAgainstRedis(new RedisCommandExecutionException(
        "OOM command not allowed when used memory > 'maxmemory'."))).isFalse();
    assertThat(RedisFailures.countsAgainstRedis(new CompletionException(
        new RedisCommandExecutionException("NOPERM this user has no permissions")))).isFalse();
    assertThat(RedisFailures.countsAgainstRedis(new RedisCommandExecutionException(
        "LOADING Redis is loading the dataset in memory"))).isTrue();
    assertThat(RedisFailures.countsAgainstRedis(new RedisCommandExecutionException(
        "CLUSTERDOWN The cluster is down"))).isTrue();
    assertThat(RedisFailures.countsAgainstRedis(new RedisCommandExecutionException(
        "NOAUTH Authentication required."))).isTrue();
    assertThat(RedisFailures.countsAgainstRedis(new CompletionException(
        new RedisCommandTimeoutException("Command timed out after 200 millisecond(s)")))).isTrue();
    assertThat(RedisFailures.countsAgainstRedis(new RedisConnectionException("refused"))).isTrue();
  }
}
