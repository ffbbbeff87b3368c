package io.tiercache.internal.flight;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The leader of a new flight is one of its callers before anyone else can see the flight (issue
 * 12, case 4): a joiner that cancels at once leaves it to its leader instead of abandoning it.
 */
class AsyncFlightsTest {
  private final AsyncFlights<String, String> flights = new AsyncFlights<>();

  @Test
  void aJoinerCancellingAtOnceLeavesTheFlightToItsLeader() {
    AsyncFlights.Ticket<String> leader = flights.begin("k", f -> true);
    assertThat(leader.leads()).isTrue();
    assertThat(leader.future()).isNotNull();

    AsyncFlights.Ticket<String> joiner = flights.begin("k", f -> true);
    assertThat(joiner.leads()).isFalse();
    assertThat(joiner.flight()).isSameAs(leader.flight());
    assertThat(joiner.future().cancel(true)).isTrue();

    assertThat(leader.flight().isCancelled()).isFalse();
    assertThat(flights.isInFlight("k")).isTrue();
    leader.flight().succeed("v");
    assertThat(leader.future()).isCompletedWithValue("v");
  }

  @Test
  void aJoinerCancellingAtOnceLeavesAReplacingFlightToItsLeader() {
    AsyncFlights.Ticket<String> first = flights.begin("k", f -> true);
    AsyncFlights.Ticket<String> refresh = flights.replace("k");
    assertThat(refresh.leads()).isTrue();
    assertThat(refresh.future()).isNotNull();
    assertThat(first.flight().isStale()).isTrue();

    AsyncFlights.Ticket<String> joiner = flights.begin("k", f -> true);
    assertThat(joiner.flight()).isSameAs(refresh.flight());
    joiner.future().cancel(true);

    assertThat(refresh.flight().isCancelled()).isFalse();
    refresh.flight().succeed("new");
    assertThat(refresh.future()).isCompletedWithValue("new");
  }

  @Test
  void aLeaderWhoseOwnCallerCancelsAbandonsTheFlightAndTheNextCallerLeadsAfresh() {
    AsyncFlights.Ticket<String> leader = flights.begin("k", f -> true);
    leader.future().cancel(true);
    assertThat(leader.flight().isCancelled()).isTrue();
    assertThat(flights.size()).isZero();

    AsyncFlights.Ticket<String> next = flights.begin("k", f -> true);
    assertThat(next.leads()).isTrue();
    assertThat(next.flight()).isNotSameAs(leader.flight());
    assertThat(next.future()).isNotNull().isNotDone();
  }
}
