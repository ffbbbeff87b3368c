package io.tiercache.coherence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lag of the in-JVM channel: one round trip per publish, per subscription, listeners' work included. */
class LocalInvalidationChannelTest {
  private static final long SPIN_NANOS = 2_000_000;

  /** Records what it receives; spins until the clock moved {@link #SPIN_NANOS} on each message. */
  private static final class Receiver implements InvalidationChannel.Listener {
    final List<InvalidationMessage> received = new ArrayList<>();

    @Override
    public void onInvalidation(InvalidationMessage message) {
      received.add(message);
      long start = System.nanoTime();
      while (System.nanoTime() - start < SPIN_NANOS) {
        Thread.onSpinWait();
      }
    }

    @Override
    public void onLoss(String reason) {}

    @Override
    public void onRestored() {}
  }

  @Test
  void eachSubscriptionTimesTheMessagesItPublishedExactlyOnceEach() {
    LocalInvalidationChannel channel = new LocalInvalidationChannel("local test");
    Receiver a = new Receiver();
    Receiver b = new Receiver();
    InvalidationChannel.Subscription subA = channel.subscribe(a);
    InvalidationChannel.Subscription subB = channel.subscribe(b);
    assertThat(subA.lag()).isEqualTo(ChannelLag.NONE);

    for (int i = 0; i < 3; i++) {
      subA.publish(InvalidationMessage.key("shop:k" + i));
    }
    subB.publish(InvalidationMessage.clear(null));

    assertThat(b.received).hasSize(3);
    assertThat(a.received).containsExactly(InvalidationMessage.clear(null));
    ChannelLag lagA = subA.lag();
    ChannelLag lagB = subB.lag();
    assertThat(lagA.count()).isEqualTo(3);
    assertThat(lagB.count()).isEqualTo(1);
    // every delivery waited for a listener that spun SPIN_NANOS on the same clock
    assertThat(lagA.total()).isGreaterThanOrEqualTo(Duration.ofNanos(3 * SPIN_NANOS));
    assertThat(lagA.max()).isBetween(Duration.ofNanos(SPIN_NANOS), lagA.total());
    assertThat(lagB.max()).isEqualTo(lagB.total()).isGreaterThanOrEqualTo(Duration.ofNanos(SPIN_NANOS));

    subA.close();
    assertThat(subA.publish(InvalidationMessage.key("shop:late"))).isCompletedExceptionally();
    assertThat(subA.lag()).isEqualTo(lagA); // a refused message is not timed
  }

  @Test
  void aChannelThatCannotMeasureReportsNone() {
    InvalidationChannel.Subscription silent = new InvalidationChannel.Subscription() {
      @Override
      public java.util.concurrent.CompletionStage<Void> publish(InvalidationMessage message) {
        return java.util.concurrent.CompletableFuture.completedFuture(null);
      }

      @Override
      public boolean isDelivering() {
        return true;
      }

      @Override
      public void close() {}
    };
    assertThat(silent.lag()).isEqualTo(new ChannelLag(0, Duration.ZERO, Duration.ZERO));
  }

  @Test
  void lagsAddUpKeepingTheLargestMaximumAndRefuseImpossibleValues() {
    ChannelLag one = ChannelLag.ofNanos(2, 300, 200);
    ChannelLag other = ChannelLag.ofNanos(3, 900, 500);
    assertThat(one.plus(other)).isEqualTo(ChannelLag.ofNanos(5, 1200, 500));
    assertThat(other.plus(one)).isEqualTo(ChannelLag.ofNanos(5, 1200, 500));
    assertThat(ChannelLag.NONE.plus(one)).isEqualTo(one);

    assertThatThrownBy(() -> ChannelLag.ofNanos(-1, 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a lag is never negative: count -1, total PT0S, max PT0S");
    assertThatThrownBy(() -> ChannelLag.ofNanos(1, 100, 200))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the longest round trip (PT0.0000002S) cannot exceed the total (PT0.0000001S)");
    assertThatThrownBy(() -> new ChannelLag(0, null, Duration.ZERO))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("total");
  }
}
