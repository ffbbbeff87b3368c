package io.tiercache.coherence;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * How the processes that share a backend tell each other's L1s about invalidations: what a backend
 * offers through {@link io.tiercache.backend.Backend#invalidationChannel(String)}. One channel
 * serves one namespace; each {@code TierCache} of a process subscribes once.
 *
 * <p>The contract, on which the documented bound rests: every message a subscription publishes
 * reaches every other subscription of the channel (in this process and in every other process) or,
 * if the channel cannot deliver it (a lost connection, a dropped or missed message, a silent
 * server), each subscription that may have missed it is told through {@link Listener#onLoss} within
 * {@link #stalenessBound()} of the publication. A subscription never receives its own messages.
 */
public interface InvalidationChannel {

  /**
   * Subscribes {@code listener}. The subscription starts {@linkplain Listener#onLoss lost} until the
   * channel is able to deliver (then {@link Listener#onRestored} is called), unless it can deliver
   * at once.
   *
   * @param listener the receiver of the messages and of losses and restorations
   * @return the subscription, through which this process also publishes
   */
  Subscription subscribe(Listener listener);

  /**
   * The longest time between a publication and either its delivery or the
   * {@link Listener#onLoss} of a subscription that missed it, when processes are not paused longer
   * than that; {@link Duration#ZERO} for a channel that delivers before {@code publish} returns.
   *
   * @return the bound, or {@link Duration#ZERO}
   */
  Duration stalenessBound();

  /**
   * A short description for logs, e.g. {@code redis pub/sub shop:#inv}.
   *
   * @return the description
   */
  default String describe() {
    return getClass().getSimpleName();
  }

  /** What a subscriber is told. Called on the channel's threads; must not block for long. */
  interface Listener {
    /**
     * Another subscription published {@code message}.
     *
     * @param message the invalidation another process made
     */
    void onInvalidation(InvalidationMessage message);

    /**
     * Messages may have been missed (or could not be delivered for a while): the subscriber must
     * drop what it cannot trust, and must keep new entries no longer than the staleness bound
     * until {@link #onRestored}.
     *
     * @param reason a sentence for logs and {@code CoherenceInfo}
     */
    void onLoss(String reason);

    /** The channel delivers again: every message published from now on will arrive or be reported. */
    void onRestored();
  }

  /** One subscriber's membership of the channel. */
  interface Subscription extends AutoCloseable {
    /**
     * Sends {@code message} to every other subscription; completes when the channel took it.
     * Never throws: a failure completes the stage exceptionally (and the channel sees to it that
     * the subscribers that miss the message learn it through {@link Listener#onLoss}).
     *
     * @param message the invalidation
     * @return a stage completing when the channel took the message
     */
    CompletionStage<Void> publish(InvalidationMessage message);

    /**
     * Whether the channel currently delivers to this subscription.
     *
     * @return true while messages reach this subscription
     */
    boolean isDelivering();

    /** Leaves the channel; idempotent. */
    @Override
    void close();
  }
}
