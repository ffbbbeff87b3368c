package io.tiercache.internal.flight;

import java.util.function.Predicate;

/**
 * The computations in flight for one cached function, by key. The first caller of a key leads (it
 * computes); callers that arrive while it computes join and receive its outcome, value or
 * exception. A leader that calls its own function again with the same key is told so, and must
 * compute without the flight instead of waiting for itself.
 *
 * <p>A flight an invalidation has overtaken is never joined: {@link #detach} takes it out of the
 * map at once, and {@link #begin} replaces a flight its caller finds no longer joinable (an
 * invalidation made elsewhere, seen only through the leader's ticket). Its own callers still get
 * its outcome.
 *
 * @param <K> key type
 */
public final class SingleFlight<K> extends FlightTable<K, Flight> {
  /**
   * Starts a flight for {@code key} led by the calling thread, unless a joinable one is in flight.
   *
   * @param joinable whether a flight found in the map may still be joined (its computation began
   *     after every invalidation that covers it); one that may not is marked stale and replaced
   * @return the new flight if this thread now leads, otherwise the flight already in flight (which
   *     this thread may lead already: see {@link Flight#isLedByCurrentThread()})
   */
  public Flight begin(K key, Predicate<Flight> joinable) {
    Flight mine = new Flight(Thread.currentThread());
    mine.fresh = true;
    for (;;) {
      Flight existing = flights.putIfAbsent(key, mine);
      if (existing == null) {
        return mine;
      }
      if (existing.isLedByCurrentThread() || joinable.test(existing)) {
        return existing;
      }
      if (flights.replace(key, existing, mine)) {
        existing.markStale();
        return mine;
      }
    }
  }
}
