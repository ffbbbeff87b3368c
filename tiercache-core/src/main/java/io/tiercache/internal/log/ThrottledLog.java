package io.tiercache.internal.log;

import io.tiercache.TimeSource;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Logs a recurring problem at most once per period and counts the messages it held back, so an
 * outage that fails thousands of calls a second writes one line per period, not one per call. The
 * engines log L2 and channel trouble through it, the backend modules their connection trouble: one
 * throttle, one wording, everywhere.
 *
 * <p>Thread-safe; the check costs one volatile read while the period runs.
 */
public final class ThrottledLog {
  /** {@link #nextAllowed} when the next message goes whatever the clock says. */
  private static final long NOW = Long.MIN_VALUE;

  private final Logger log;
  private final TimeSource time;
  private final long periodNanos;
  private final AtomicLong nextAllowed = new AtomicLong(NOW);
  private final AtomicLong heldBack = new AtomicLong();

  /** Logs to {@code log} at most once per {@code period}, on the JVM's clock. */
  public ThrottledLog(Logger log, Duration period) {
    this(log, TimeSource.system(), period);
  }

  /**
   * Logs to {@code log} at most once per {@code period} of {@code time} (a manual clock in tests).
   *
   * @throws IllegalArgumentException if {@code period} is not positive
   */
  public ThrottledLog(Logger log, TimeSource time, Duration period) {
    this.log = Objects.requireNonNull(log, "log");
    this.time = Objects.requireNonNull(time, "time");
    Objects.requireNonNull(period, "period");
    if (period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("period must be positive, got " + period);
    }
    this.periodNanos = period.toNanos();
  }

  /** Logs at WARN unless a message was logged less than one period ago; {@code cause} may be null. */
  public void warn(String message, Throwable cause) {
    emit(false, message, cause);
  }

  /** Like {@link #warn}, at ERROR. */
  public void error(String message, Throwable cause) {
    emit(true, message, cause);
  }

  /** Logs at WARN now whatever the period, and starts a new period (for a change of state). */
  public void warnNow(String message, Throwable cause) {
    nextAllowed.set(NOW);
    emit(false, message, cause);
  }

  /** Like {@link #warnNow}, at ERROR. */
  public void errorNow(String message, Throwable cause) {
    nextAllowed.set(NOW);
    emit(true, message, cause);
  }

  private void emit(boolean error, String message, Throwable cause) {
    long now = time.nanoTime();
    long allowed = nextAllowed.get();
    if ((allowed != NOW && now - allowed < 0)
        || !nextAllowed.compareAndSet(allowed, now + periodNanos)) {
      heldBack.incrementAndGet();
      return;
    }
    long held = heldBack.getAndSet(0);
    String text = held == 0 ? message : message + " (" + held + " similar messages held back)";
    String line = cause == null ? text : text + ": " + explain(cause);
    if (error) {
      log.error(line);
    } else {
      log.warn(line);
    }
  }

  /**
   * The messages of a failure and its causes, without repeats and without the wrappers of
   * {@code CompletableFuture}, e.g. {@code Unable to connect to localhost:6379: Connection refused};
   * the simple class name where a message is missing.
   */
  public static String explain(Throwable failure) {
    StringBuilder text = new StringBuilder();
    int depth = 0;
    for (Throwable t = unwrap(failure); t != null && depth < 6; t = t.getCause(), depth++) {
      String message = t.getMessage();
      String part = message == null || message.isBlank() ? t.getClass().getSimpleName() : message.strip();
      if (text.indexOf(part) < 0) {
        if (text.length() > 0) {
          text.append(": ");
        }
        text.append(part);
      }
    }
    return text.toString();
  }

  /** {@code failure} without its {@link CompletionException} and {@link ExecutionException} wrappers. */
  public static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
