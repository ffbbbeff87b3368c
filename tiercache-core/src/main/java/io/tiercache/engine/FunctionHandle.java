package io.tiercache.engine;

import io.tiercache.CacheHandle;
import io.tiercache.CacheInfo;
import io.tiercache.key.ArgsKey;
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
  private final AbstractEngine<R> engine;
  final boolean typed;
  private final FunctionSpec.InstanceKey instanceKey;
  private final boolean sharedReceiver;

  FunctionHandle(FunctionSpec<R> spec, AbstractEngine<R> engine) {
    this.engine = engine;
    this.typed = spec.typed();
    this.instanceKey = spec.instanceKey();
    this.sharedReceiver = instanceKey != null && instanceKey.shared();
  }

  /** The first argument as it appears in keys: itself, or its receiver's instance key. */
  final Object first(Object a) {
    if (instanceKey == null) {
      return a;
    }
    return sharedReceiver ? ArgsKey.SHARED_RECEIVER : instanceKey.of(a, engine.name());
  }

  @Override
  public final String name() {
    return engine.name();
  }

  @Override
  public final CacheInfo cacheInfo() {
    return engine.cacheInfo();
  }

  @Override
  public final void cacheClear() {
    engine.cacheClear();
  }

  @Override
  public final long l2ErrorCount() {
    return engine.l2ErrorCount();
  }

  @Override
  public final LeaseStats leaseStats() {
    return engine.leaseStats();
  }

  /** How {@link #toString} names the kind of function. */
  abstract String kind();

  @Override
  public final String toString() {
    return kind() + "[" + engine.name() + ", " + engine.cacheInfo() + "]";
  }
}
