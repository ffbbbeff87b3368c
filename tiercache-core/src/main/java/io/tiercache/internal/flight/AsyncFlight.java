package io.tiercache.internal.flight;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One asynchronous computation in flight, shared by every caller of its key. Each caller gets a
 * future of its own ({@link #join()}), completed with the shared outcome: the same value, or the
 * same exception instance. Cancelling a caller's future (or completing it otherwise first, as
 * {@code orTimeout} does) lets that caller go and nothing else; when the last caller still waiting
 * has gone, the flight is abandoned: it leaves its map and the computation is cancelled.
 *
 * @param <V> the result type
 */
public final class AsyncFlight<V> extends FlightState {
  /** {@link #waiters} of a flight that nobody may join any more. */
  private static final int ABANDONED = -1;

  private final CompletableFuture<V> outcome = new CompletableFuture<>();
  private final AtomicInteger waiters = new AtomicInteger();
  private final Runnable unlink;
  private volatile CompletableFuture<?> computation;
  private volatile Thread starting;
  /** Set once the function was called: from then on a retry through itself can call back. */
  private volatile boolean functionCalled;

  AsyncFlight(Runnable unlink) {
    this.unlink = unlink;
  }

  /**
   * A future of the caller's own for this flight's outcome, or null if the flight was abandoned
   * (every caller cancelled) or has been cancelled: the caller must start a new flight.
   */
  public CompletableFuture<V> join() {
    for (;;) {
      int n = waiters.get();
      if (n == ABANDONED) {
        return null;
      }
      if (waiters.compareAndSet(n, n + 1)) {
        break;
      }
    }
    CompletableFuture<V> mine = new CompletableFuture<>();
    outcome.whenComplete((value, failure) -> {
      if (failure == null) {
        mine.complete(value);
      } else {
        mine.completeExceptionally(failure);
      }
    });
    mine.whenComplete((value, failure) -> {
      if (!outcome.isDone()) {
        leave(); // the caller completed its own future first (cancel, orTimeout, ...): it left
      }
    });
    return mine;
  }

  private void leave() {
    for (;;) {
      int n = waiters.get();
      if (n <= 0) {
        return;
      }
      if (n == 1) {
        if (waiters.compareAndSet(1, ABANDONED)) {
          cancel(new CancellationException("every caller of this computation cancelled"));
          return;
        }
      } else if (waiters.compareAndSet(n, n - 1)) {
        return;
      }
    }
  }

  /**
   * Cancels the flight: nobody may join it, it leaves its map, the computation is cancelled and
   * every caller still waiting sees {@code reason}.
   */
  public void cancel(CancellationException reason) {
    waiters.set(ABANDONED);
    markStale();
    unlink.run();
    CompletableFuture<?> running = computation;
    if (running != null) {
      running.cancel(true);
    }
    outcome.completeExceptionally(reason);
  }

  /**
   * Records the computation the flight waits for, so that it can be cancelled; cancels it at once
   * if the flight already was.
   */
  public void computing(CompletableFuture<?> running) {
    computation = running;
    if (isCancelled()) {
      running.cancel(true);
    }
  }

  /**
   * Marks the thread that is starting the computation (calling the function), or null once it
   * returned; a call of the same key on that thread meanwhile is the function calling itself.
   */
  public void startingOn(Thread thread) {
    if (thread != null) {
      functionCalled = true;
    }
    starting = thread;
  }

  /**
   * Whether a call of this flight's key on {@code thread} must not wait for this flight, because
   * it most likely comes from the flight's own computation: it is made while the function starts
   * (on the starting thread), or, once the function returned a stage that is still pending, from
   * inside a {@code CompletableFuture} failure handler ({@code exceptionally},
   * {@code exceptionallyCompose}, {@code handle}, {@code whenComplete}, or their async forms,
   * that being the innermost completion on the stack). The latter is how a function that retries through itself reaches its own key
   * ({@code first(k).exceptionallyCompose(e -> self.apply(k))}): its stage waits for the retry,
   * so a retry that joined would wait for itself, forever, and every later caller with it. The
   * thread cannot tell the two apart (the retry runs on whichever thread failed the first
   * attempt), the position can. A caller in a failure handler of an unrelated stage that arrives
   * while the key is computed is taken for a retry too: it computes on its own (a correct value,
   * one computation more). A retry made from another kind of callback (after a delay, or through
   * {@code thenCompose} on a result that encodes the failure) is not recognised and waits for
   * itself: retry through the function's {@code uncached()} form instead.
   */
  public boolean isOwnComputation(Thread thread) {
    if (starting == thread) {
      return true;
    }
    return functionCalled && starting == null && !outcome.isDone() && FailureHandlers.onStack();
  }

  /** Whether the flight was cancelled or abandoned: it must not compute or store anything. */
  public boolean isCancelled() {
    return waiters.get() == ABANDONED;
  }

  /** Hands the value to every caller that joined. */
  public void succeed(V value) {
    outcome.complete(value);
  }

  /** Hands the failure, the same instance, to every caller that joined. */
  public void fail(Throwable failure) {
    outcome.completeExceptionally(failure);
  }

  /** Completes when the flight has an outcome, whatever it is; never exceptionally. */
  public CompletableFuture<Void> settled() {
    return outcome.handle((value, failure) -> null);
  }

  /** Whether the flight has an outcome. */
  public boolean isDone() {
    return outcome.isDone();
  }
}
