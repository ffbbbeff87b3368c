package io.tiercache;

import io.tiercache.backend.Backend;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts the commands (round trips) sent to a real backend. */
final class CountingBackend implements Backend {
  private final Backend delegate;
  final AtomicInteger gets = new AtomicInteger();
  final AtomicInteger getManys = new AtomicInteger();
  final AtomicInteger sets = new AtomicInteger();
  final AtomicInteger deletes = new AtomicInteger();

  CountingBackend(Backend delegate) {
    this.delegate = delegate;
  }

  int commands() {
    return gets.get() + getManys.get() + sets.get() + deletes.get();
  }

  void reset() {
    gets.set(0);
    getManys.set(0);
    sets.set(0);
    deletes.set(0);
  }

  @Override
  public CompletionStage<byte[]> get(String key) {
    gets.incrementAndGet();
    return delegate.get(key);
  }

  @Override
  public CompletionStage<Map<String, byte[]>> getMany(Collection<String> keys) {
    getManys.incrementAndGet();
    return delegate.getMany(keys);
  }

  @Override
  public CompletionStage<Void> set(String key, byte[] value, Duration ttl) {
    sets.incrementAndGet();
    return delegate.set(key, value, ttl);
  }

  @Override
  public CompletionStage<Boolean> delete(String key) {
    deletes.incrementAndGet();
    return delegate.delete(key);
  }

  @Override
  public CompletionStage<Void> clear() {
    return delegate.clear();
  }
}
