package io.tiercache.memcached;

import io.tiercache.backend.Backend;
import io.tiercache.backend.ForwardingBackend;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Passes every call to a real backend and notes the keys written and read, so a test learns the L2
 * keys the engine chose for a call without depending on how tiercache spells its keys. Not a mock:
 * every operation reaches memcached.
 */
final class RecordingBackend extends ForwardingBackend {
  private final List<String> setKeys = new CopyOnWriteArrayList<>();
  private final List<List<String>> getManyBatches = new CopyOnWriteArrayList<>();
  private final List<String> getKeys = new CopyOnWriteArrayList<>();

  RecordingBackend(Backend delegate) {
    super(delegate);
  }

  /** The keys passed to {@link #set}, in order. */
  List<String> setKeys() {
    return setKeys;
  }

  /** The keys of each {@link #getMany} call, in order. */
  List<List<String>> getManyBatches() {
    return getManyBatches;
  }

  /** The keys passed to {@link #get}, in order. */
  List<String> getKeys() {
    return getKeys;
  }

  /** Forgets the reads noted so far. */
  void forgetReads() {
    getManyBatches.clear();
    getKeys.clear();
  }

  @Override
  public CompletionStage<byte[]> get(String key) {
    getKeys.add(key);
    return delegate().get(key);
  }

  @Override
  public CompletionStage<Map<String, byte[]>> getMany(Collection<String> keys) {
    getManyBatches.add(List.copyOf(keys));
    return delegate().getMany(keys);
  }

  @Override
  public CompletionStage<Void> set(String key, byte[] value, Duration ttl) {
    setKeys.add(key);
    return delegate().set(key, value, ttl);
  }

  @Override
  public CompletionStage<Void> setMany(Map<String, byte[]> entries, Duration ttl) {
    setKeys.addAll(entries.keySet());
    return delegate().setMany(entries, ttl);
  }
}
