package io.tiercache.internal.engine;

import io.tiercache.backend.Backend;
import io.tiercache.coherence.InvalidationChannel;
import io.tiercache.coherence.InvalidationMessage;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * One {@code TierCache}'s subscription to one backend's invalidation channel: publishes this
 * process's invalidations, applies the others' to the L1s of the functions on that backend, and
 * flushes those L1s when the channel reports a loss. While the channel does not deliver, the
 * engines on the backend keep what they store in L1 for at most the channel's staleness bound
 * (see {@link #isDelivering()}), so a missed invalidation is served for no longer than that.
 */
final class CoherenceLink implements InvalidationChannel.Listener {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CoherenceLink.class);

  private final EngineRegistry registry;
  private final Backend backend;
  private final InvalidationChannel channel;
  private final InvalidationChannel.Subscription subscription;
  private final long boundNanos;
  private volatile boolean delivering;
  private volatile boolean closed;
  final LongAdder published = new LongAdder();
  final LongAdder publishFailures = new LongAdder();
  final LongAdder received = new LongAdder();
  final LongAdder dropped = new LongAdder();
  final AtomicLong flushes = new AtomicLong();
  volatile String lastFlushReason;

  CoherenceLink(EngineRegistry registry, Backend backend, InvalidationChannel channel) {
    this.registry = registry;
    this.backend = backend;
    this.channel = channel;
    this.boundNanos = channel.stalenessBound().toNanos();
    this.subscription = channel.subscribe(this);
    synchronized (this) {
      if (subscription.isDelivering() && !delivering) {
        onRestored();
      }
    }
  }

  Backend backend() {
    return backend;
  }

  Duration stalenessBound() {
    return channel.stalenessBound();
  }

  long stalenessBoundNanos() {
    return boundNanos;
  }

  /** Whether the channel delivers now; while it does not, L1 entries live at most the bound. */
  boolean isDelivering() {
    return delivering;
  }

  /** Sends {@code message} to the other subscribers, without waiting. */
  void publish(InvalidationMessage message) {
    if (closed) {
      return;
    }
    published.increment();
    try {
      subscription.publish(message).whenComplete((ok, failure) -> {
        if (failure != null) {
          publishFailed(message, failure);
        }
      });
    } catch (RuntimeException e) {
      publishFailed(message, e);
    }
  }

  private void publishFailed(InvalidationMessage message, Throwable failure) {
    publishFailures.increment();
    registry.coherenceLog().warn("tiercache: could not publish " + message.kind() + " invalidation on "
        + channel.describe() + " (the other processes flush their L1s when they notice)", failure);
  }

  @Override
  public void onInvalidation(InvalidationMessage message) {
    if (closed) {
      return;
    }
    dropped.add(registry.applyRemote(backend, message));
    received.increment(); // after: whoever sees the count sees the message applied
  }

  @Override
  public synchronized void onLoss(String reason) {
    delivering = false;
    flushes.incrementAndGet();
    lastFlushReason = reason;
    registry.flush(backend);
    // the channel itself reports its losses; this is the TierCache's side of it
    LOG.debug("tiercache: L1 entries of functions on {} flushed; until {} delivers again, L1 entries"
        + " live at most {} ms: {}", backend.describe(), channel.describe(),
        channel.stalenessBound().toMillis(), reason);
  }

  @Override
  public synchronized void onRestored() {
    if (closed) {
      return;
    }
    // a computation that began while nothing was delivered keeps its entry no longer than the bound
    // (its ticket says so), so nothing needs flushing here
    delivering = true;
  }

  /** Leaves the channel; the backend's L1 entries live at most the bound from now on. */
  synchronized void close() {
    closed = true;
    delivering = false;
    registry.flush(backend);
    subscription.close();
  }
}
