package io.tiercache.redis;

import io.tiercache.internal.log.ThrottledLog;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stops sending commands to a Redis that keeps failing: after {@code threshold} consecutive
 * failures it opens for {@code openDuration}, during which every command fails at once; then it
 * lets exactly one command through as a probe. The probe's success closes it, its failure opens it
 * for another period.
 *
 * <p>Written by hand rather than taken from resilience4j: the closed state, which is every L2 hit,
 * costs one volatile read and no allocation; a success after a success writes nothing; and which
 * failures count (timeouts, lost connections, a server that is loading or busy, but not an error
 * reply about one key such as {@code WRONGTYPE}) is Redis-specific anyway. resilience4j's sliding
 * windows would record every call.
 */
final class CircuitBreaker {
  private static final long CLOSED = 0;

  private final int threshold;
  private final long openNanos;
  private final String target;
  private final ThrottledLog openLog;
  private final ThrottledLog closeLog;
  private final AtomicInteger consecutiveFailures = new AtomicInteger();
  private final AtomicBoolean probing = new AtomicBoolean();
  /** {@link #CLOSED}, or the nanoTime at which the next probe may go. */
  private volatile long openUntil = CLOSED;
  private volatile Throwable lastFailure;
  private volatile CompletableFuture<?> rejection;

  CircuitBreaker(int threshold, Duration openDuration, String target, ThrottledLog openLog,
      ThrottledLog closeLog) {
    this.threshold = threshold;
    this.openNanos = openDuration.toNanos();
    this.target = target;
    this.openLog = openLog;
    this.closeLog = closeLog;
  }

  /** Whether a command may be sent now; in the half-open state, true for one caller only. */
  boolean allow() {
    long until = openUntil;
    if (until == CLOSED) {
      return true;
    }
    if (System.nanoTime() - until < 0) {
      return false;
    }
    return probing.compareAndSet(false, true);
  }

  /** The failed stage given to callers while open. */
  @SuppressWarnings("unchecked")
  <T> CompletableFuture<T> rejection() {
    CompletableFuture<?> r = rejection;
    if (r == null) {
      r = CompletableFuture.failedFuture(new RedisBackendException("Redis " + target
          + ": circuit open after " + threshold + " consecutive failures; commands fail fast for "
          + Duration.ofNanos(openNanos).toMillis() + " ms between probes", lastFailure));
      rejection = r;
    }
    return (CompletableFuture<T>) r;
  }

  void onSuccess() {
    if (consecutiveFailures.get() != 0) {
      consecutiveFailures.set(0);
    }
    if (openUntil != CLOSED) {
      synchronized (this) {
        if (openUntil != CLOSED) {
          openUntil = CLOSED;
          rejection = null;
          probing.set(false);
          closeLog.warn("Redis " + target + ": a probe succeeded, circuit closed; L2 is back", null);
        }
      }
    }
  }

  void onFailure(Throwable failure) {
    lastFailure = failure;
    int failures = consecutiveFailures.incrementAndGet();
    synchronized (this) {
      if (openUntil != CLOSED) {
        if (probing.get()) { // the probe failed (or a late failure of an older command): wait again
          openUntil = nonZero(System.nanoTime() + openNanos);
          probing.set(false);
        }
      } else if (failures >= threshold) {
        rejection = null;
        openUntil = nonZero(System.nanoTime() + openNanos);
        probing.set(false);
        openLog.warn("Redis " + target + ": circuit opened after " + failures
            + " consecutive failures; L2 commands fail fast (cached calls compute) and one probe"
            + " goes every " + Duration.ofNanos(openNanos).toMillis() + " ms", failure);
      }
    }
  }

  boolean isOpen() {
    return openUntil != CLOSED;
  }

  int consecutiveFailures() {
    return consecutiveFailures.get();
  }

  Throwable lastFailure() {
    return lastFailure;
  }

  private static long nonZero(long nanos) {
    return nanos == CLOSED ? 1 : nanos;
  }
}
