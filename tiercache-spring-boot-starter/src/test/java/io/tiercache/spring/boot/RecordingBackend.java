package io.tiercache.spring.boot;

import io.tiercache.backend.ForwardingBackend;
import io.tiercache.backend.InMemoryBackend;
import io.tiercache.backend.LeasingBackend;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/** An in-memory backend that records the TTLs of its writes and leases: what a cache's overrides reached. */
final class RecordingBackend extends ForwardingBackend implements LeasingBackend {
  final List<Duration> setTtls = new CopyOnWriteArrayList<>();
  final List<Duration> leaseTtls = new CopyOnWriteArrayList<>();
  private final InMemoryBackend store;

  RecordingBackend(InMemoryBackend store) {
    super(store);
    this.store = store;
  }

  @Override
  public CompletionStage<Void> set(String key, byte[] value, Duration ttl) {
    setTtls.add(ttl);
    return super.set(key, value, ttl);
  }

  @Override
  public CompletionStage<Boolean> tryLease(String key, String token, Duration ttl) {
    leaseTtls.add(ttl);
    return store.tryLease(key, token, ttl);
  }

  @Override
  public CompletionStage<Boolean> releaseLease(String key, String token) {
    return store.releaseLease(key, token);
  }
}
