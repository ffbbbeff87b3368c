package io.tiercache.internal.flight;

import java.util.concurrent.CompletableFuture;

/**
 * One computation in flight: who leads it, its outcome, whether an invalidation made its result
 * stale (a stale result is still returned to its callers but never stored), and the leader's
 * ticket, by which a later caller tells whether it may still join (see {@link SingleFlight#begin}).
 */
public final class Flight extends FlightState {
  private final Thread leader;
  /** Completed with the value, or with a {@link Failure} holding the leader's throwable as it was. */
  private final CompletableFuture<Object> outcome = new CompletableFuture<>();

  Flight(Thread leader) {
    this.leader = leader;
  }

  /** Set by {@link SingleFlight#begin} on the flight it just created; read only by its leader. */
  boolean fresh;

  /** How a failure travels, so that joiners rethrow the leader's throwable itself, never a wrapper or cause. */
  private record Failure(Throwable thrown) {}

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

  /** Hands the value to every caller that joined. */
  public void succeed(Object value) {
    outcome.complete(value);
  }

  /** Hands the failure, the same instance, to every caller that joined. */
  public void fail(Throwable failure) {
    outcome.complete(new Failure(failure));
  }

  /**
   * Waits for the leader's outcome.
   *
   * @return the value the leader computed or read
   * @throws RuntimeException or Error: the leader's own throwable, the same instance (a
   *     {@code CompletionException} included, never unwrapped)
   */
  public Object await() {
    Object result = outcome.join();
    if (result instanceof Failure failure) {
      throw Flight.<RuntimeException>sneaky(failure.thrown());
    }
    return result;
  }

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> E sneaky(Throwable t) throws E {
    throw (E) t;
  }
}
