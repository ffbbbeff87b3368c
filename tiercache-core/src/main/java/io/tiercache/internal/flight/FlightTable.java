package io.tiercache.internal.flight;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The flights of one cached function by key, blocking or async: how a flight leaves the map (it
 * ended, or an invalidation detached it) is the same for both; how one begins is each kind's.
 *
 * @param <K> key type
 * @param <F> flight type
 */
abstract class FlightTable<K, F extends FlightState> {
  final ConcurrentHashMap<K, F> flights = new ConcurrentHashMap<>();

  /** Removes the flight from the map, if it is still there; later callers start a new one. */
  public void end(K key, F flight) {
    flights.remove(key, flight);
  }

  /**
   * Detaches the flight for {@code key}, if any: it is marked stale (its result will not be
   * stored), later callers start a new one, and those already waiting still get its outcome.
   *
   * @return whether a flight was there
   */
  public boolean detach(K key) {
    F flight = flights.remove(key);
    if (flight == null) {
      return false;
    }
    flight.markStale();
    return true;
  }

  /** Detaches every flight (the cache was cleared while they computed); their callers still get their outcomes. */
  public void detachAll() {
    for (K key : List.copyOf(flights.keySet())) {
      detach(key);
    }
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
