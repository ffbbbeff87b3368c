package io.tiercache;

import io.tiercache.backend.Backend;
import io.tiercache.backend.ForwardingBackend;
import io.tiercache.coherence.InvalidationChannel;
import io.tiercache.coherence.InvalidationMessage;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** Invalidation channels the coherence tests drive by hand, and a backend that offers one. */
final class TestChannels {
  private TestChannels() {}

  /** A channel a test drives by hand: deliverable from the start, lost and restored on demand. */
  static final class SwitchableChannel implements InvalidationChannel {
    volatile Listener listener;
    volatile boolean closed;

    @Override
    public Subscription subscribe(Listener l) {
      this.listener = l;
      return new Subscription() {
        @Override
        public CompletionStage<Void> publish(InvalidationMessage message) {
          return java.util.concurrent.CompletableFuture.completedFuture(null);
        }

        @Override
        public boolean isDelivering() {
          return true;
        }

        @Override
        public void close() {
          closed = true;
        }
      };
    }

    @Override
    public Duration stalenessBound() {
      return Duration.ofSeconds(1);
    }
  }

  /** A backend that delegates to another and offers a given channel. */
  static final class WithChannel extends ForwardingBackend {
    private final InvalidationChannel channel;

    WithChannel(Backend delegate, InvalidationChannel channel) {
      super(delegate);
      this.channel = channel;
    }

    @Override
    public Optional<InvalidationChannel> invalidationChannel(String namespace) {
      return Optional.of(channel);
    }
  }
}
