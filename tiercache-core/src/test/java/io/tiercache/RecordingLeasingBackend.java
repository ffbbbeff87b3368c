package io.tiercache;

import io.tiercache.backend.InMemoryBackend;
import io.tiercache.backend.LeasingBackend;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/** An in-memory leasing backend that records the operations it is asked for, and can fail leases. */
final class RecordingLeasingBackend implements LeasingBackend {
  private final InMemoryBackend delegate;
  final List<String> operations = new CopyOnWriteArrayList<>();
  volatile boolean leasesFail;

  RecordingLeasingBackend(InMemoryBackend delegate) {
    this.delegate = delegate;
  }

  @Override
  public CompletionStage<byte[]> get(String key) {
    operations.add("get " + key);
    return delegate.get(key);
  }

  @Override
  public CompletionStage<Map<String, byte[]>> getMany(Collection<String> keys) {
    operations.add("getMany " + keys);
    return delegate.getMany(keys);
  }

  @Override
  public CompletionStage<Void> set(String key, byte[] value, Duration ttl) {
    operations.add("set " + key);
    return delegate.set(key, value, ttl);
  }

  @Override
  public CompletionStage<Boolean> delete(String key) {
    operations.add("delete " + key);
    return delegate.delete(key);
  }

  @Override
  public CompletionStage<Void> clear() {
    return delegate.clear();
  }

  @Override
  public CompletionStage<Boolean> tryLease(String key, String token, Duration ttl) {
    operations.add("tryLease " + key);
    if (leasesFail) {
      return CompletableFuture.failedFuture(new IllegalStateException("lease refused (test)"));
    }
    return delegate.tryLease(key, token, ttl);
  }

  @Override
  public CompletionStage<Boolean> releaseLease(String key, String token) {
    operations.add("releaseLease " + key);
    if (leasesFail) {
      return CompletableFuture.failedFuture(new IllegalStateException("release refused (test)"));
    }
    return delegate.releaseLease(key, token);
  }
}
