package io.tiercache.engine;

import io.tiercache.TimeSource;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;

/**
 * Logs L2 trouble at most once per interval, with the number of messages it held back, so an
 * outage under load cannot flood the log.
 */
final class ThrottledLog {
  private final Logger log;
  private final TimeSource time;
  private final long intervalNanos;
  private final AtomicLong nextAllowed;
  private final LongAdder suppressed = new LongAdder();

  ThrottledLog(Logger log, TimeSource time, Duration interval) {
    this.log = log;
    this.time = time;
    this.intervalNanos = interval.toNanos();
    this.nextAllowed = new AtomicLong(time.nanoTime());
  }

  void warn(String message, Throwable cause) {
    long now = time.nanoTime();
    long next = nextAllowed.get();
    if (now - next >= 0 && nextAllowed.compareAndSet(next, now + intervalNanos)) {
      long held = suppressed.sumThenReset();
      String text = held == 0 ? message : message + " (" + held + " similar messages suppressed)";
      if (cause == null) {
        log.warn(text);
      } else {
        log.warn(text + ": " + cause);
      }
    } else {
      suppressed.increment();
    }
  }
}
