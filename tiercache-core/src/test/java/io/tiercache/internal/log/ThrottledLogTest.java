package io.tiercache.internal.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.ManualTimeSource;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;

/** The one throttle of every module: what goes out, when, and in which words. */
class ThrottledLogTest {
  private static final Duration PERIOD = Duration.ofSeconds(10);

  private final ManualTimeSource time = new ManualTimeSource();
  private final RecordingLogger logger = new RecordingLogger();
  private final ThrottledLog log = new ThrottledLog(logger, time, PERIOD);

  @Test
  void logsTheFirstMessageThenHoldsBackUntilThePeriodEndsAndCountsWhatItHeld() {
    log.warn("a", null);
    log.warn("b", null);
    time.advance(PERIOD.minusNanos(1));
    log.warn("c", null);
    assertThat(logger.lines).containsExactly("WARN a");

    time.advance(Duration.ofNanos(1));
    log.warn("d", null);
    log.warn("e", null);

    assertThat(logger.lines).containsExactly("WARN a", "WARN d (2 similar messages held back)");
  }

  @Test
  void aChangeOfStateIsLoggedAtOnceAndStartsANewPeriod() {
    log.warn("unreachable", null);
    log.errorNow("refused", null);
    log.error("refused again", null);
    time.advance(PERIOD);
    log.error("still refused", null);

    assertThat(logger.lines).containsExactly("WARN unreachable", "ERROR refused",
        "ERROR still refused (1 similar messages held back)");
  }

  @Test
  void theCauseIsGivenAsTheMessagesOfItsChainWithoutTheWrappersOfFutures() {
    log.warn("L2 get failed", new CompletionException(
        new IllegalStateException("Unable to connect", new ConnectException("Connection refused"))));
    time.advance(PERIOD);
    log.warnNow("L2 set failed", new TimeoutException());

    assertThat(logger.lines).containsExactly(
        "WARN L2 get failed: Unable to connect: Connection refused",
        "WARN L2 set failed: TimeoutException");
  }

  @Test
  void aPeriodThatIsNotPositiveIsRefused() {
    assertThatThrownBy(() -> new ThrottledLog(logger, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("period must be positive, got PT0S");
  }

  /** Keeps each line as "LEVEL message". */
  private static final class RecordingLogger extends LegacyAbstractLogger {
    final List<String> lines = new ArrayList<>();

    @Override
    protected String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String message,
        Object[] arguments, Throwable throwable) {
      lines.add(level + " " + message);
    }

    @Override
    public boolean isTraceEnabled() {
      return true;
    }

    @Override
    public boolean isDebugEnabled() {
      return true;
    }

    @Override
    public boolean isInfoEnabled() {
      return true;
    }

    @Override
    public boolean isWarnEnabled() {
      return true;
    }

    @Override
    public boolean isErrorEnabled() {
      return true;
    }
  }
}
