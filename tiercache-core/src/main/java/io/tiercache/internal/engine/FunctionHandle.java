package io.tiercache.internal.engine;

import io.tiercache.CacheHandle;
import io.tiercache.CacheInfo;
import io.tiercache.CacheStats;
import io.tiercache.internal.key.ArgsKey;
import io.tiercache.lease.LeaseStats;

/**
 * What every handle of a cached function shares, synchronous or async: its name, statistics,
 * clearing and lease report, which are its engine's, and how the first argument appears in keys
 * when it is the receiver of an instance method. The subclasses keep their engine in a field of
 * its own type, so a call's hit path reaches it without a cast.
 *
 * @param <R> the result type
 */
abstract class FunctionHandle<R> implements CacheHandle {
  /** The engine, for the rarely called operations; a call's hit path uses the subclass's typed field. */
  final AbstractEngine<R> common;
  final boolean typed;
  private final FunctionSpec.InstanceKey instanceKey;
  private final boolean sharedReceiver;

  FunctionHandle(FunctionSpec<R> spec, AbstractEngine<R> engine) {
    this.common = engine;
    this.typed = spec.typed();
    this.instanceKey = spec.instanceKey();
    this.sharedReceiver = instanceKey != null && instanceKey.shared();
    engine.bind(this);
  }

  /** The first argument as it appears in keys: itself, or its receiver's instance key. */
  final Object first(Object a) {
    if (instanceKey == null) {
      return a;
    }
    return sharedReceiver ? ArgsKey.SHARED_RECEIVER : instanceKey.of(a, common.name());
  }

  /**
   * The key of a call with {@code args}, after checking that there are {@code arity} of them; the
   * key keeps a copy, so the caller may change its array afterwards.
   */
  final ArgsKey argsKey(Object[] args, int arity) {
    if (args == null || args.length != arity) {
      throw new IllegalArgumentException("cached function '" + name() + "' takes " + arity
          + " arguments, got " + (args == null ? "null" : args.length));
    }
    if (arity == 0) {
      return ArgsKey.of(typed);
    }
    Object[] keyArgs = args.clone();
    keyArgs[0] = first(args[0]);
    return ArgsKey.ofArray(keyArgs, typed);
  }

  /** Checks that a proxy's call brings the {@code arity - 1} arguments besides the receiver. */
  final void checkReceiverCall(Object[] args, int arity) {
    int n = args.length;
    if (n + 1 != arity) {
      throw new IllegalArgumentException("cached function '" + name() + "' takes a receiver and "
          + (arity - 1) + " arguments, got " + n);
    }
  }

  /**
   * The key a proxy's call looks up: {@code first} (the receiver as it appears in keys) and the
   * method's {@code args}, without copying them when there are at most two.
   */
  final ArgsKey receiverKey(Object first, Object[] args) {
    return switch (args.length) {
      case 0 -> ArgsKey.of(first, typed);
      case 1 -> ArgsKey.of(first, args[0], typed);
      case 2 -> ArgsKey.of(first, args[0], args[1], typed);
      default -> ArgsKey.ofArray(withReceiver(first, args), typed);
    };
  }

  /** {@code receiver} followed by {@code args}, in a new array. */
  static Object[] withReceiver(Object receiver, Object[] args) {
    Object[] full = new Object[args.length + 1];
    full[0] = receiver;
    System.arraycopy(args, 0, full, 1, args.length);
    return full;
  }

  /**
   * Refuses an instance key for a function of no arguments (it has no receiver); an arity that is
   * negative, too.
   */
  static void checkArity(FunctionSpec<?> spec, int arity) {
    if (arity < 0) {
      throw new IllegalArgumentException("arity must not be negative, got " + arity);
    }
    if (arity == 0 && spec.instanceKey() != null) {
      throw new IllegalArgumentException("cached function '" + spec.name()
          + "' has no arguments, so it has no receiver for instanceKey");
    }
  }

  @Override
  public final String name() {
    return common.name();
  }

  @Override
  public final CacheInfo cacheInfo() {
    return common.cacheInfo();
  }

  @Override
  public final void cacheClear() {
    common.cacheClear();
  }

  @Override
  public final long l2ErrorCount() {
    return common.l2ErrorCount();
  }

  @Override
  public final CacheStats stats() {
    return common.stats();
  }

  @Override
  public final LeaseStats leaseTotals() {
    return common.leaseTotals();
  }

  @Override
  public final LeaseStats leaseStats() {
    return common.leaseStats();
  }

  @Override
  public final String toString() {
    String kind = common instanceof AsyncCacheEngine ? "AsyncCachedFunction" : "CachedFunction";
    return kind + "[" + common.name() + ", " + common.cacheInfo() + "]";
  }
}
