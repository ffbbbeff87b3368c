package io.tiercache.internal.flight;

/**
 * What every flight, blocking or async, carries besides its outcome: whether an invalidation made
 * its result stale (a stale result is still handed to its callers but never stored), and the
 * leader's ticket, by which a later caller tells whether it may still join.
 */
abstract class FlightState {
  private volatile boolean stale;
  private volatile Object ticket;

  /** Marks the result stale: it still goes to the callers that joined, but is never stored. */
  public void markStale() {
    stale = true;
  }

  /** Whether an invalidation, clear or close happened while this flight computed. */
  public boolean isStale() {
    return stale;
  }

  /**
   * Records what the leader's computation must find unchanged to store its result (opaque here);
   * set once the leader took it, before it reads anything.
   */
  public void attach(Object leaderTicket) {
    ticket = leaderTicket;
  }

  /** The leader's ticket, or null while it has not taken one yet. */
  public Object attachment() {
    return ticket;
  }
}
