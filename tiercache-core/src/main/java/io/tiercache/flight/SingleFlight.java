package io.tiercache.flight;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The computations in flight for one cached function, by key. The first caller of a key leads (it
 * computes); callers that arrive while it computes join and receive its outcome, value or
 * exception. A leader that calls its own function again with the same key is told so, and must
 * compute without the flight instead of waiting for itself.
 *
 * @param <K> key type
 */
public final class SingleFlight<K> {
  private final ConcurrentHashMap<K, Flight> flights = new ConcurrentHashMap<>();

  /**
   * Starts a flight for {@code key} led by the calling thread, unless one is already in flight.
   *
   * @return the new flight if this thread now leads, otherwise the flight already in flight (which
   *     this thread may lead already: see {@link Flight#isLedByCurrentThread()})
   */
  public Flight begin(K key) {
    Flight mine = new Flight(Thread.currentThread());
    Flight existing = flights.putIfAbsent(key, mine);
    if (existing != null) {
      return existing;
    }
    mine.fresh = true;
    return mine;
  }

  /** Ends the leader's flight; later callers start a new one. */
  public void end(K key, Flight flight) {
    flights.remove(key, flight);
  }

  /** Marks the flight for {@code key}, if any, stale: its result must not be stored. */
  public void markStale(K key) {
    Flight flight = flights.get(key);
    if (flight != null) {
      flight.markStale();
    }
  }

  /** Marks every flight stale (the cache was cleared while they computed). */
  public void markAllStale() {
    flights.values().forEach(Flight::markStale);
  }

  /** Whether a computation is in flight for {@code key}. */
  public boolean isInFlight(K key) {
    return flights.containsKey(key);
  }

  /** How many computations are in flight. */
  public int size() {
    return flights.size();
  }
}
