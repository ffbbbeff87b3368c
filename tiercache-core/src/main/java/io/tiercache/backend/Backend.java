package io.tiercache.backend;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A shared L2 store of byte arrays under ASCII keys (at most 250 characters, no spaces or control
 * characters: tiercache never sends other keys). Asynchronous at heart: every operation returns a
 * stage, and a backend that answers at once (the in-memory one) returns completed stages.
 *
 * <p>Failures are reported through the stage, never thrown: the engine turns them into misses and
 * counts them, so nothing a backend does reaches the caller of a cached function. Implementations
 * must be thread-safe. Every backend must pass {@code BackendConformanceSuite} from
 * {@code tiercache-testkit}.
 *
 * <p>Commands on one key take effect in the order they were started (a call of {@code set} that
 * returned before a call of {@code delete} began is applied before it), as one connection per
 * server gives. The engine relies on it: a write it started before an invalidation fenced the key
 * is removed by that invalidation's delete, never left standing after it.
 */
public interface Backend {

  /** A TTL meaning "keep until evicted or deleted". */
  Duration NO_EXPIRY = Duration.ZERO;

  /**
   * The value under {@code key}, or null when there is none (absent or expired).
   *
   * @param key the full L2 key
   * @return a stage completing with the bytes, or with null on a miss
   */
  CompletionStage<byte[]> get(String key);

  /**
   * The values under several keys, in one round trip where the backend can. The map holds only the
   * keys that have a value.
   *
   * @param keys the full L2 keys to read
   * @return a stage completing with the values found, by key
   */
  default CompletionStage<Map<String, byte[]>> getMany(Collection<String> keys) {
    Map<String, byte[]> found = new LinkedHashMap<>();
    CompletableFuture<Void> all = CompletableFuture.completedFuture(null);
    for (String key : keys) {
      all = all.thenCombine(get(key), (ignored, value) -> {
        if (value != null) {
          found.put(key, value);
        }
        return null;
      });
    }
    return all.thenApply(ignored -> found);
  }

  /**
   * Stores {@code value} under {@code key}.
   *
   * @param ttl how long the value lives; {@link #NO_EXPIRY} to keep it until evicted
   * @param key the full L2 key
   * @param value the bytes to store
   * @return a stage completing once the value is stored
   */
  CompletionStage<Void> set(String key, byte[] value, Duration ttl);

  /**
   * Stores several values with one TTL, in one round trip where the backend can.
   *
   * @param entries the values to store, by full L2 key
   * @param ttl how long the values live; {@link #NO_EXPIRY} to keep them until evicted
   * @return a stage completing once every value is stored
   */
  default CompletionStage<Void> setMany(Map<String, byte[]> entries, Duration ttl) {
    CompletableFuture<Void> all = CompletableFuture.completedFuture(null);
    for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
      all = all.thenCombine(set(entry.getKey(), entry.getValue(), ttl), (a, b) -> null);
    }
    return all;
  }

  /**
   * Deletes the value under {@code key}; completes with whether there was one.
   *
   * @param key the full L2 key
   * @return a stage completing with true if a value was deleted
   */
  CompletionStage<Boolean> delete(String key);

  /**
   * Deletes every value this backend holds (all namespaces sharing it).
   *
   * @return a stage completing once the backend is empty
   */
  CompletionStage<Void> clear();

  /**
   * The channel on which the processes sharing this backend tell each other's L1s about the
   * invalidations of {@code namespace}, if the backend offers one (pub/sub). Without one (the
   * default), a process keeps serving its L1 copy of an entry another process invalidated until it
   * expires or is evicted. Asked once per {@code TierCache} when it is built; a backend should hand
   * out one channel per namespace and keep it until the backend is closed.
   *
   * @param namespace the {@code TierCache}'s namespace
   * @return the namespace's channel, or empty when the backend has none
   */
  default Optional<io.tiercache.coherence.InvalidationChannel> invalidationChannel(String namespace) {
    return Optional.empty();
  }

  /**
   * A short description for logs and errors, e.g. {@code in-memory(10000 entries)}.
   *
   * @return the description
   */
  default String describe() {
    return getClass().getSimpleName();
  }
}
