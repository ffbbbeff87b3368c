package io.tiercache.internal.engine;

import io.tiercache.L1Policy;
import io.tiercache.TimeSource;
import io.tiercache.ValueType;
import io.tiercache.backend.Backend;
import io.tiercache.backend.LeasingBackend;
import io.tiercache.codec.Codec;
import io.tiercache.codec.Envelope;
import io.tiercache.internal.expiry.TtlPolicy;
import io.tiercache.internal.key.L2KeyEncoder;
import io.tiercache.internal.lease.LeaseKeys;
import io.tiercache.lease.LeasePolicy;
import java.time.Duration;
import java.util.function.Function;

/**
 * Everything one cached function is built from, resolved and validated by {@code TierCache}.
 *
 * @param name the function's name, unique in its {@code TierCache}
 * @param resultType the declared result type
 * @param l1MaxSize the L1 bound; 0 for no L1, {@code LruStore.UNBOUNDED} for no bound
 * @param l1Policy which entries a full L1 keeps; {@link L1Policy#W_TINY_LFU} needs a bounded L1
 * @param cacheNulls whether null results are stored
 * @param typed whether numbers of different types are distinct arguments
 * @param ttl entry lifetime
 * @param backend the L2, or null for an L1-only function
 * @param codec the value codec (unused without a backend)
 * @param keys the L2 key encoder
 * @param instanceKey what identifies an instance method's receiver (the first argument), or null
 * @param l2Timeout the longest a caller waits for an L2 read or delete
 * @param time the clock
 * @param declarations explicit key, prefix, tags and computed ttl
 * @param registry the engines of the same {@code TierCache}
 * @param lease the stampede lease on an L2 miss, or null for none; needs a {@link LeasingBackend}
 */
public record FunctionSpec<R>(String name, ValueType<R> resultType, long l1MaxSize, L1Policy l1Policy,
    boolean cacheNulls, boolean typed, TtlPolicy ttl, Backend backend, Codec codec, L2KeyEncoder keys,
    InstanceKey instanceKey, Duration l2Timeout, TimeSource time, Declarations declarations,
    EngineRegistry registry, LeasePolicy lease) {

  /**
   * Checks that a lease has a backend that offers leases, and that a W-TinyLFU L1 has a bound.
   *
   * @throws IllegalArgumentException otherwise
   */
  public FunctionSpec {
    java.util.Objects.requireNonNull(l1Policy, "l1Policy");
    if (l1Policy == L1Policy.W_TINY_LFU && l1MaxSize < 1) {
      throw new IllegalArgumentException("cached function '" + name + "': l1Policy(W_TINY_LFU) chooses "
          + "which entries a full L1 evicts, so it needs a bounded L1, but "
          + (l1MaxSize == 0 ? "l1MaxSize(0) turns L1 off" : "l1Unbounded() never evicts")
          + "; set l1MaxSize(n) with n >= 1, or keep the default l1Policy(LRU)");
    }
    if (lease != null && !(backend instanceof LeasingBackend)) {
      throw new IllegalArgumentException("cached function '" + name + "': lease needs a backend that "
          + "offers leases (" + LeasingBackend.class.getName() + "), got "
          + (backend == null ? "none" : backend.describe()));
    }
  }

  CacheEngine<R> newEngine() {
    return new CacheEngine<>(this, newL2Tier(), newLeaseGate());
  }

  AsyncCacheEngine<R> newAsyncEngine(AsyncContext context) {
    return new AsyncCacheEngine<>(this, newL2Tier(), newLeaseGate(), context);
  }

  private L2Tier<R> newL2Tier() {
    if (backend == null) {
      return null;
    }
    int fingerprint = Envelope.fingerprint(codec.id(), resultType.type().getTypeName());
    return new L2Tier<>(name, backend, codec.forType(resultType), resultType.rawClass(), fingerprint,
        l2Timeout, time, registry.tagKeys());
  }

  private LeaseGate newLeaseGate() {
    if (backend == null || lease == null) {
      return null;
    }
    return new LeaseGate(name, (LeasingBackend) backend, lease,
        LeaseKeys.forNamespaceHead(registry.namespaceHead(), keys.hashing()), l2Timeout, time);
  }

  /**
   * What identifies the receiver of an instance method in keys, like lru2cache's {@code inst_attr}:
   * two receivers with the same instance key share entries.
   *
   * @param receiverType the class the first argument must be an instance of
   * @param extractor the receiver's identity, e.g. {@code User::id}
   */
  public record InstanceKey(Class<?> receiverType, Function<Object, ?> extractor) {
    /**
     * The extractor of receivers that all share entries: every receiver stands for
     * {@link io.tiercache.internal.key.ArgsKey#SHARED_RECEIVER}. Handles recognise it and skip the call.
     */
    public static final Function<Object, ?> SHARED = receiver -> io.tiercache.internal.key.ArgsKey.SHARED_RECEIVER;

    /** Whether every receiver shares entries. */
    boolean shared() {
      return extractor == SHARED;
    }

    /** The identity of {@code receiver}. */
    Object of(Object receiver, String functionName) {
      if (!receiverType.isInstance(receiver)) {
        throw new IllegalArgumentException("cached function '" + functionName + "' expects a "
            + receiverType.getName() + " as its first argument (the receiver), got "
            + (receiver == null ? "null" : receiver.getClass().getName()));
      }
      Object identity = extractor.apply(receiver);
      if (identity == null) {
        throw new IllegalArgumentException("cached function '" + functionName
            + "': the instance key of " + receiverType.getName() + " returned null");
      }
      return identity;
    }
  }
}
