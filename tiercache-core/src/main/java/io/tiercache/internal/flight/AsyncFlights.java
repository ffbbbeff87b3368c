package io.tiercache.internal.flight;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * The asynchronous computations in flight for one cached function, by key. The first caller of a
 * key leads (starts the computation); callers that arrive while it runs join it. A flight leaves
 * the map when it ends, is invalidated, or every caller cancelled, so failed and abandoned flights
 * leave nothing behind.
 *
 * @param <K> key type
 * @param <V> result type
 */
public final class AsyncFlights<K, V> extends FlightTable<K, AsyncFlight<V>> {

  /**
   * A caller's place in a flight.
   *
   * @param flight the flight
   * @param future the caller's own future of its outcome; null when the caller is the flight's
   *     own computation calling its key again, as it starts or retrying from a failure handler
   *     (waiting would be waiting for itself): see {@link AsyncFlight#isOwnComputation}
   * @param leads whether this caller created the flight and so must start the computation
   */
  public record Ticket<V>(AsyncFlight<V> flight, CompletableFuture<V> future, boolean leads) {}

  /**
   * Joins the flight for {@code key}, or starts one that the caller then leads. A new flight is
   * published only once its leader is registered as one of its callers: a caller that joins it
   * and cancels at once then leaves a flight that still has its leader, instead of abandoning it
   * (and leaving the leader without a future).
   *
   * @param joinable whether a flight found in the map may still be joined (its computation began
   *     after every invalidation that covers it); one that may not is marked stale and replaced
   */
  public Ticket<V> begin(K key, Predicate<AsyncFlight<V>> joinable) {
    for (;;) {
      AsyncFlight<V> existing = flights.get(key);
      if (existing == null) {
        AsyncFlight<V> mine = newFlight(key);
        CompletableFuture<V> leader = mine.join(); // never null: nobody else can see the flight yet
        existing = flights.putIfAbsent(key, mine);
        if (existing == null) {
          return new Ticket<>(mine, leader, true);
        } // else another caller published first; ours was never visible and is dropped
      }
      if (existing.isOwnComputation(Thread.currentThread())) {
        return new Ticket<>(existing, null, false);
      }
      if (!joinable.test(existing)) {
        AsyncFlight<V> mine = newFlight(key);
        CompletableFuture<V> leader = mine.join(); // registered before anyone can see it
        if (flights.replace(key, existing, mine)) {
          existing.markStale();
          return new Ticket<>(mine, leader, true);
        }
        continue;
      }
      CompletableFuture<V> joined = existing.join();
      if (joined != null) {
        return new Ticket<>(existing, joined, false);
      }
      flights.remove(key, existing); // abandoned by all its callers: start afresh
    }
  }

  @SuppressWarnings("unchecked")
  private AsyncFlight<V> newFlight(K key) {
    AsyncFlight<V>[] holder = new AsyncFlight[1];
    holder[0] = new AsyncFlight<>(() -> flights.remove(key, holder[0]));
    return holder[0];
  }

  /**
   * Starts a flight for {@code key} that supersedes the one in flight, if any (which is marked
   * stale: its callers still get its outcome, it is not stored). Later callers join the new one.
   */
  public Ticket<V> replace(K key) {
    AsyncFlight<V> mine = newFlight(key);
    CompletableFuture<V> leader = mine.join(); // registered before the flight is visible, as in begin
    AsyncFlight<V> old = flights.put(key, mine);
    if (old != null) {
      old.markStale();
    }
    return new Ticket<>(mine, leader, true);
  }

  /**
   * Marks every flight stale, leaving them in the map: their callers, and callers that still join
   * them, get their outcomes, which are never stored.
   */
  public void markAllStale() {
    for (AsyncFlight<V> flight : flights.values()) {
      flight.markStale();
    }
  }

  /** Cancels every flight: the callers waiting see {@code reason}. */
  public void cancelAll(CancellationException reason) {
    for (AsyncFlight<V> flight : List.copyOf(flights.values())) {
      flight.cancel(reason);
    }
  }

  /** Completes when every flight now in the map has an outcome. */
  public CompletableFuture<Void> settled() {
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (AsyncFlight<V> flight : flights.values()) {
      all.add(flight.settled());
    }
    return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0]));
  }

}
