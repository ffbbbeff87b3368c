package io.tiercache.backend;

import io.tiercache.coherence.InvalidationChannel;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * A {@link Backend} that passes every call to another backend, its delegate, so that a decorator
 * (one that counts, records, fails, delays or logs calls) overrides only the calls it changes. In
 * the spirit of Guava's {@code ForwardingObject}.
 *
 * <p>Every method is forwarded, the interface's default methods included: {@link #getMany} is one
 * {@code getMany} on the delegate, not one {@code get} per key, so a decorator keeps the
 * delegate's batching; {@link #invalidationChannel} is the delegate's channel, so the processes
 * sharing a decorated backend stay as coherent as on the delegate itself; and {@link #describe}
 * is the delegate's description. Override what should differ: {@code describe()} to name the
 * decorator in logs, {@code invalidationChannel} to return {@code Optional.empty()} for a backend
 * that should offer no channel. A decorator of {@code set} usually wants {@code setMany} too,
 * since a batch write does not pass through {@code set}.
 *
 * <pre>{@code
 * Backend failingWrites = new ForwardingBackend(redis) { // every call but set reaches redis
 *   public CompletionStage<Void> set(String key, byte[] value, Duration ttl) {
 *     return CompletableFuture.failedFuture(new IllegalStateException("write refused (test)"));
 *   }
 * };
 * }</pre>
 *
 * <p><b>Leases are not forwarded.</b> This class does not implement {@link LeasingBackend}, whatever
 * its delegate does: the engine detects leases with {@code instanceof} on the backend it is given,
 * and a decorator that claimed them would have nothing to forward them to over a delegate without
 * them. A decorator that should keep the capability implements {@code LeasingBackend} itself,
 * forwarding {@code tryLease} and {@code releaseLease} to a delegate it holds as a
 * {@code LeasingBackend}; without that, {@code lease(...)} on a function of the decorated backend
 * fails when the function is built.
 *
 * <p>The delegate is given to the constructor and never changes: every decorator wraps one backend
 * for its whole life, a final field makes it safe to call from any thread (backends must be
 * thread-safe), and a subclass needs neither a field of its own nor an override to name it. A
 * subclass reaches it through {@link #delegate()}.
 */
public abstract class ForwardingBackend implements Backend {
  private final Backend delegate;

  /**
   * @param delegate the backend every call goes to unless the subclass overrides it
   * @throws NullPointerException if {@code delegate} is null
   */
  protected ForwardingBackend(Backend delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  /**
   * The backend the calls go to.
   *
   * @return the wrapped backend
   */
  protected final Backend delegate() {
    return delegate;
  }

  @Override
  public CompletionStage<byte[]> get(String key) {
    return delegate.get(key);
  }

  @Override
  public CompletionStage<Map<String, byte[]>> getMany(Collection<String> keys) {
    return delegate.getMany(keys);
  }

  @Override
  public CompletionStage<Void> set(String key, byte[] value, Duration ttl) {
    return delegate.set(key, value, ttl);
  }

  @Override
  public CompletionStage<Void> setMany(Map<String, byte[]> entries, Duration ttl) {
    return delegate.setMany(entries, ttl);
  }

  @Override
  public CompletionStage<Boolean> delete(String key) {
    return delegate.delete(key);
  }

  @Override
  public CompletionStage<Void> clear() {
    return delegate.clear();
  }

  @Override
  public Optional<InvalidationChannel> invalidationChannel(String namespace) {
    return delegate.invalidationChannel(namespace);
  }

  @Override
  public String describe() {
    return delegate.describe();
  }
}
