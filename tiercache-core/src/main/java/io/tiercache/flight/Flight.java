package io.tiercache.flight;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One computation in flight: who leads it, its outcome, and whether an invalidation made its
 * result stale (a stale result is still returned to its callers but never stored).
 */
public final class Flight {
  private final Thread leader;
  private final CompletableFuture<Object> outcome = new CompletableFuture<>();
  private volatile boolean stale;

  Flight(Thread leader) {
    this.leader = leader;
  }

  /** Set by {@link SingleFlight#begin} on the flight it just created; read only by its leader. */
  boolean fresh;

  /**
   * True exactly once: for the caller of {@link SingleFlight#begin} that created this flight and
   * so must compute. Later calls, including the leader's own recursive ones, return false.
   */
  public boolean claimLead() {
    if (leader == Thread.currentThread() && fresh) {
      fresh = false;
      return true;
    }
    return false;
  }

  /**
   * True if the calling thread leads this flight and has come back to it: a recursive call with
   * the same arguments, which must compute on its own rather than wait for itself.
   */
  public boolean isLedByCurrentThread() {
    return leader == Thread.currentThread();
  }

  void markStale() {
    stale = true;
  }

  /** Whether an invalidation happened while this flight computed. */
  public boolean isStale() {
    return stale;
  }

  /** Hands the value to every caller that joined. */
  public void succeed(Object value) {
    outcome.complete(value);
  }

  /** Hands the failure, the same instance, to every caller that joined. */
  public void fail(Throwable failure) {
    outcome.completeExceptionally(failure);
  }

  /**
   * Waits for the leader's outcome.
   *
   * @return the value the leader computed or read
   * @throws RuntimeException or Error: the leader's own exception, the same instance
   */
  public Object await() {
    try {
      return outcome.join();
    } catch (CompletionException e) {
      throw Flight.<RuntimeException>sneaky(e.getCause());
    }
  }

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> E sneaky(Throwable t) throws E {
    throw (E) t;
  }
}
