package io.tiercache.bench;

import io.tiercache.backend.Backend;
import io.tiercache.backend.ForwardingBackend;
import io.tiercache.coherence.InvalidationChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Passes everything to the backend and notes the key of each {@code set}, the write of an entry, so
 * that a benchmark can fill L2 through a {@code TierCache} and then read exactly those keys (used
 * only to fill, on one thread). It offers no invalidation channel, so the filling {@code TierCache}
 * subscribes to nothing.
 */
final class KeyRecorder extends ForwardingBackend {
  final List<String> keys = new ArrayList<>();

  KeyRecorder(Backend delegate) {
    super(delegate);
  }

  /** The key written last. */
  String last() {
    return keys.get(keys.size() - 1);
  }

  @Override
  public CompletionStage<Void> set(String key, byte[] value, Duration ttl) {
    keys.add(key);
    return delegate().set(key, value, ttl);
  }

  @Override
  public Optional<InvalidationChannel> invalidationChannel(String namespace) {
    return Optional.empty();
  }
}
