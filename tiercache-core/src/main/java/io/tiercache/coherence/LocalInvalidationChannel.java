package io.tiercache.coherence;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A channel inside one JVM: {@code publish} hands the message to every other subscription before
 * it returns, so the delay is zero and nothing can be lost. The embedded backend's channel, for
 * several {@code TierCache}s that share one {@code InMemoryBackend} to stand in for processes.
 */
public final class LocalInvalidationChannel implements InvalidationChannel {
  private final CopyOnWriteArrayList<LocalSubscription> subscriptions = new CopyOnWriteArrayList<>();
  private final String description;

  /**
   * A channel described as {@code description} in logs.
   *
   * @param description the text that stands for the channel in logs
   */
  public LocalInvalidationChannel(String description) {
    this.description = description;
  }

  @Override
  public Subscription subscribe(Listener listener) {
    LocalSubscription subscription = new LocalSubscription(listener);
    subscriptions.add(subscription);
    return subscription;
  }

  @Override
  public Duration stalenessBound() {
    return Duration.ZERO;
  }

  @Override
  public String describe() {
    return description;
  }

  private final class LocalSubscription implements Subscription {
    private final Listener listener;
    private volatile boolean closed;

    LocalSubscription(Listener listener) {
      this.listener = listener;
    }

    @Override
    public CompletionStage<Void> publish(InvalidationMessage message) {
      if (closed) {
        return CompletableFuture.failedFuture(new IllegalStateException("subscription closed"));
      }
      for (LocalSubscription other : subscriptions) {
        if (other != this) {
          try {
            other.listener.onInvalidation(message);
          } catch (RuntimeException e) {
            // that subscriber missed the message: it must flush rather than trust its L1
            other.listener.onLoss("applying an invalidation failed: " + e);
          }
        }
      }
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public boolean isDelivering() {
      return !closed;
    }

    @Override
    public void close() {
      closed = true;
      subscriptions.remove(this);
    }
  }
}
