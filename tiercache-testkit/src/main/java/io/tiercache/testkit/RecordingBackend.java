package io.tiercache.testkit;

import io.tiercache.backend.Backend;
import io.tiercache.backend.ForwardingBackend;
import io.tiercache.coherence.InvalidationChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the suite's {@code TierCache} checks put between the engine and the backend under test: it
 * passes every call through unchanged and records the calls, the keys the engine sent, and the
 * stages of writes, which the engine does not wait for, so a check can wait until they have landed.
 * It offers no invalidation channel, whatever the backend offers: the {@code TierCache}s of a check
 * meet through L2 alone.
 */
final class RecordingBackend extends ForwardingBackend {
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<String> keys = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<CompletableFuture<?>> writes = new ConcurrentLinkedQueue<>();

  RecordingBackend(Backend backend) {
    super(backend);
  }

  @Override
  public CompletionStage<byte[]> get(String key) {
    count("get");
    keys.add(key);
    return delegate().get(key);
  }

  @Override
  public CompletionStage<Map<String, byte[]>> getMany(Collection<String> keys) {
    count("getMany");
    this.keys.addAll(keys);
    return delegate().getMany(keys);
  }

  @Override
  public CompletionStage<Void> set(String key, byte[] value, Duration ttl) {
    count("set");
    keys.add(key);
    return recordWrite(delegate().set(key, value, ttl));
  }

  @Override
  public CompletionStage<Void> setMany(Map<String, byte[]> entries, Duration ttl) {
    count("setMany");
    keys.addAll(entries.keySet());
    return recordWrite(delegate().setMany(entries, ttl));
  }

  @Override
  public CompletionStage<Boolean> delete(String key) {
    count("delete");
    keys.add(key);
    return delegate().delete(key);
  }

  @Override
  public CompletionStage<Void> clear() {
    count("clear");
    return delegate().clear();
  }

  @Override
  public Optional<InvalidationChannel> invalidationChannel(String namespace) {
    return Optional.empty();
  }

  /** Calls per operation since the last {@link #forgetCalls()}, e.g. {@code {getMany=1}}. */
  Map<String, Integer> calls() {
    Map<String, Integer> snapshot = new TreeMap<>();
    calls.forEach((operation, n) -> {
      if (n.get() > 0) {
        snapshot.put(operation, n.get());
      }
    });
    return snapshot;
  }

  void forgetCalls() {
    calls.clear();
  }

  /** Every key the engine sent so far, in order, with repetitions. */
  List<String> keys() {
    return new ArrayList<>(keys);
  }

  /**
   * Waits until every write started so far has completed, each for at most {@code bound}.
   *
   * @return how many of them failed
   * @throws AssertionError if one did not complete within the bound
   */
  int awaitWrites(Duration bound) {
    int failed = 0;
    for (CompletableFuture<?> write = writes.poll(); write != null; write = writes.poll()) {
      try {
        write.get(bound.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        failed++;
      } catch (TimeoutException e) {
        throw new AssertionError(describe() + ": a write did not complete within " + bound, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for writes to " + describe(), e);
      }
    }
    return failed;
  }

  private void count(String operation) {
    calls.computeIfAbsent(operation, o -> new AtomicInteger()).incrementAndGet();
  }

  private <T> CompletionStage<T> recordWrite(CompletionStage<T> stage) {
    if (stage != null) {
      writes.add(stage.toCompletableFuture());
    }
    return stage;
  }
}
