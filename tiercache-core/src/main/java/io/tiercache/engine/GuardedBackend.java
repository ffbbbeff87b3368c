package io.tiercache.engine;

import io.tiercache.TimeSource;
import io.tiercache.backend.Backend;
import java.time.Duration;
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

  /** The stage's value, or null if it failed or took longer than the timeout. */
  <T> T await(Supplier<? extends CompletionStage<T>> call, String what) {
    return await(call, what, null);
  }

  /**
   * The stage's value, or {@code onFailure} if it failed or took longer than the timeout (for a
   * caller that must tell a failure from a null value: compare by identity).
   */
  <T> T await(Supplier<? extends CompletionStage<T>> call, String what, T onFailure) {
    try {
      return call.get().toCompletableFuture().get(timeoutNanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failed("interrupted during L2 " + what, null);
    } catch (TimeoutException e) {
      failed("L2 " + what + " timed out after " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos)
          + " ms on " + backend.describe(), null);
    } catch (ExecutionException e) {
      failed("L2 " + what + " failed on " + backend.describe(), e.getCause());
    } catch (RuntimeException e) {
      failed("L2 " + what + " failed on " + backend.describe(), e);
    }
    return onFailure;
  }

  /** Whether a stage with no value completed successfully within the timeout. */
  boolean awaitDone(Supplier<? extends CompletionStage<?>> call, String what) {
    return await(() -> call.get().thenApply(ignored -> Boolean.TRUE), what) != null;
  }

  /**
   * Starts the call without waiting; a failure is counted and logged when it comes.
   *
   * @return a stage that completes, normally, once the call has (successfully or not)
   */
  CompletionStage<?> fireAndForget(Supplier<? extends CompletionStage<?>> call, String what) {
    try {
      return call.get().handle((ok, failure) -> {
        if (failure != null) {
          failed("L2 " + what + " failed on " + backend.describe(), failure);
        }
        return null;
      });
    } catch (RuntimeException e) {
      failed("L2 " + what + " failed on " + backend.describe(), e);
      return java.util.concurrent.CompletableFuture.completedFuture(null);
    }
  }

  <T> T failed(String message, Throwable cause) {
    errors.increment();
    log.warn(owner + ": " + message, cause);
    return null;
  }
}
