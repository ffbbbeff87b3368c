package io.tiercache.redis;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Logs at most one message per period and counts what it held back, so an outage that fails
 * thousands of calls a second writes one line per period, not one per call.
 */
final class LogThrottle {
  private final Logger log;
  private final long periodNanos;
  private final AtomicLong nextAllowed = new AtomicLong(Long.MIN_VALUE);
  private final AtomicLong suppressed = new AtomicLong();

  LogThrottle(Logger log, java.time.Duration period) {
    this.log = log;
    this.periodNanos = period.toNanos();
  }

  /** Logs unless a message was logged less than one period ago. */
  void warn(String message, Throwable cause) {
    emit(false, message, cause);
  }

  /** Like {@link #warn}, at ERROR. */
  void error(String message, Throwable cause) {
    emit(true, message, cause);
  }

  /** Logs now whatever the period, and starts a new period (for a change of state). */
  void warnNow(String message, Throwable cause) {
    nextAllowed.set(Long.MIN_VALUE);
    emit(false, message, cause);
  }

  /** Like {@link #warnNow}, at ERROR. */
  void errorNow(String message, Throwable cause) {
    nextAllowed.set(Long.MIN_VALUE);
    emit(true, message, cause);
  }

  private void emit(boolean error, String message, Throwable cause) {
    long now = System.nanoTime();
    long allowed = nextAllowed.get();
    if ((allowed != Long.MIN_VALUE && now - allowed < 0)
        || !nextAllowed.compareAndSet(allowed, now + periodNanos)) {
      suppressed.incrementAndGet();
      return;
    }
    long held = suppressed.getAndSet(0);
    String text = held == 0 ? message : message + " (" + held + " similar messages held back)";
    String detail = cause == null ? text : text + ": " + RedisBackend.explain(cause);
    if (error) {
      log.error(detail);
    } else {
      log.warn(detail);
    }
  }
}
