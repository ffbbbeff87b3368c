package io.tiercache.internal.engine;

import io.tiercache.TimeSource;
import io.tiercache.backend.Backend;
import io.tiercache.internal.log.ThrottledLog;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/**
 * Calls a backend so that nothing it does reaches the caller: a stage that fails, a call that
 * throws, a wait longer than the timeout all become a null result, counted and logged at a
 * bounded rate.
 */
final class GuardedBackend {
  private final Backend backend;
  private final long timeoutNanos;
  private final String owner;
  private final LongAdder errors;
  private final ThrottledLog log;

  GuardedBackend(Backend backend, Duration timeout, TimeSource time, String owner, LongAdder errors) {
    this.backend = backend;
    this.timeoutNanos = timeout.toNanos();
    this.owner = owner;
    this.errors = errors;
    this.log = new ThrottledLog(LoggerFactory.getLogger(GuardedBackend.class), time, Duration.ofSeconds(10));
  }

  /**
   * Waits at most the timeout for {@code stage}; false, counted and logged, if it failed, did not
   * complete in time, or the wait was interrupted.
   */
  private boolean waitFor(CompletableFuture<?> stage, String what) {
    try {
      stage.get(timeoutNanos, TimeUnit.NANOSECONDS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failed("interrupted during L2 " + what, null);
    } catch (TimeoutException e) {
      failed("L2 " + what + " timed out after " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos)
          + " ms on " + backend.describe(), null);
    } catch (ExecutionException e) {
      failed("L2 " + what + " failed on " + backend.describe(), e.getCause());
    } catch (RuntimeException e) { // a cancelled stage
      failed("L2 " + what + " failed on " + backend.describe(), e);
    }
    return false;
  }

  /**
   * The stage's value, or null if it failed or took longer than the timeout, without waiting: the
   * returned future never fails, and a timeout is timed by the JDK's shared delay scheduler, not by
   * a thread parked on the backend. Completes on the backend's thread (or the caller's, when the
   * backend answers at once).
   */
  <T> CompletableFuture<T> guard(Supplier<? extends CompletionStage<T>> call, String what) {
    CompletableFuture<T> result = new CompletableFuture<>();
    try {
      call.get().whenComplete((value, failure) -> {
        if (failure == null) {
          result.complete(value);
        } else {
          result.completeExceptionally(failure);
        }
      });
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(failed("L2 " + what + " failed on " + backend.describe(), e));
    }
    if (!result.isDone()) {
      result.orTimeout(timeoutNanos, TimeUnit.NANOSECONDS);
    }
    return result.handle((value, failure) -> {
      if (failure == null) {
        return value;
      }
      Throwable cause = failure instanceof CompletionException && failure.getCause() != null
          ? failure.getCause() : failure;
      if (cause instanceof TimeoutException) {
        return failed("L2 " + what + " timed out after " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos)
            + " ms on " + backend.describe(), null);
      }
      return failed("L2 " + what + " failed on " + backend.describe(), cause);
    });
  }

  /**
   * Starts the call without waiting, with no timeout: the future completes when the backend has
   * answered, with its value, or with null if it failed (counted and logged when it comes). Never
   * fails. Whoever must act once a command has really landed (a publish after a delete) chains on
   * it; {@link #awaitStarted} bounds how long a caller waits for it.
   */
  <T> CompletableFuture<T> start(Supplier<? extends CompletionStage<T>> call, String what) {
    try {
      return call.get().toCompletableFuture().handle((value, failure) -> {
        if (failure != null) {
          Throwable cause = failure instanceof CompletionException && failure.getCause() != null
              ? failure.getCause() : failure;
          return failed("L2 " + what + " failed on " + backend.describe(), cause);
        }
        return value;
      });
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(failed("L2 " + what + " failed on " + backend.describe(), e));
    }
  }

  /**
   * Waits at most the timeout for a call {@link #start started}; false (counted and logged) if it
   * did not complete in time or the wait was interrupted. The call itself goes on either way.
   */
  boolean awaitStarted(CompletableFuture<?> started, String what) {
    return waitFor(started, what);
  }

  <T> T failed(String message, Throwable cause) {
    errors.increment();
    log.warn(owner + ": " + message, cause);
    return null;
  }
}
