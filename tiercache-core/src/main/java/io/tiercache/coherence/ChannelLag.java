package io.tiercache.coherence;

import java.time.Duration;
import java.util.Objects;

/**
 * How long an invalidation channel took to deliver this process's own messages: cumulative round
 * trips from {@code publish} until the message came back on the channel (heartbeats and
 * invalidations alike), measured on this process's one clock. The other processes receive the
 * same message through the same server at about the same time, so this is the channel's delivery
 * lag without the clock skew between hosts that a timestamp carried in the message would add.
 * What {@link InvalidationChannel.Subscription#lag()} reports; the values only grow.
 *
 * @param count the round trips measured
 * @param total their summed duration
 * @param max the longest of them ({@link Duration#ZERO} when none)
 */
public record ChannelLag(long count, Duration total, Duration max) {

  /** No round trip measured: what a channel that cannot measure its lag reports. */
  public static final ChannelLag NONE = new ChannelLag(0, Duration.ZERO, Duration.ZERO);

  /**
   * Checks the fields.
   *
   * @param count the round trips measured; not negative
   * @param total their summed duration; not null, not negative
   * @param max the longest of them; not null, not negative, at most {@code total}
   * @throws IllegalArgumentException if a value is negative or {@code max} exceeds {@code total}
   */
  public ChannelLag {
    Objects.requireNonNull(total, "total");
    Objects.requireNonNull(max, "max");
    if (count < 0 || total.isNegative() || max.isNegative()) {
      throw new IllegalArgumentException("a lag is never negative: count " + count + ", total "
          + total + ", max " + max);
    }
    if (max.compareTo(total) > 0) {
      throw new IllegalArgumentException("the longest round trip (" + max
          + ") cannot exceed the total (" + total + ")");
    }
  }

  /**
   * A lag measured in nanoseconds.
   *
   * @param count the round trips measured
   * @param totalNanos their summed duration in nanoseconds
   * @param maxNanos the longest of them in nanoseconds
   * @return the lag
   */
  public static ChannelLag ofNanos(long count, long totalNanos, long maxNanos) {
    return new ChannelLag(count, Duration.ofNanos(totalNanos), Duration.ofNanos(maxNanos));
  }

  /**
   * This lag and {@code other} together: counts and totals summed, the larger maximum (the lag of a
   * {@code TierCache} over its channels).
   *
   * @param other another channel's lag
   * @return the combined lag
   */
  public ChannelLag plus(ChannelLag other) {
    return new ChannelLag(count + other.count, total.plus(other.total),
        max.compareTo(other.max) >= 0 ? max : other.max);
  }
}
