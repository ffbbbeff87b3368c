package io.tiercache.internal.engine;

import io.tiercache.ArgsFunction;
import io.tiercache.CachedFunction0;
import io.tiercache.CachedFunction1;
import io.tiercache.CachedFunction2;
import io.tiercache.CachedFunction3;
import io.tiercache.CachedFunctionN;
import io.tiercache.TriFunction;
import io.tiercache.internal.key.ArgsKey;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The handles users hold: they turn a call's arguments into an {@link ArgsKey} and hand it to the
 * engine. A hit allocates nothing but that key. What a handle does besides calling and refreshing
 * is the same for async functions, in {@link ArityHandles}.
 *
 * <p>A handle's hit path builds the call's key, looks it up and lets it go. The miss path builds
 * the key again rather than passing the first one on: a key that reached {@code load} would escape,
 * and then every hit would allocate it; a key used only by the inlined lookup is never allocated
 * at all.
 */
public final class CachedFunctions {
  private CachedFunctions() {}

  /** A handle for a function of no arguments. */
  public static <R> CachedFunction0<R> of(FunctionSpec<R> spec, Supplier<R> fn) {
    FunctionHandle.checkArity(spec, 0);
    return new Handle0<>(spec, spec.newEngine(), fn);
  }

  /** A handle for a function of one argument. */
  public static <A, R> CachedFunction1<A, R> of(FunctionSpec<R> spec, Function<A, R> fn) {
    return new Handle1<>(spec, spec.newEngine(), fn);
  }

  /** A handle for a function of two arguments. */
  public static <A, B, R> CachedFunction2<A, B, R> of(FunctionSpec<R> spec, BiFunction<A, B, R> fn) {
    return new Handle2<>(spec, spec.newEngine(), fn);
  }

  /** A handle for a function of three arguments. */
  public static <A, B, C, R> CachedFunction3<A, B, C, R> of(FunctionSpec<R> spec,
      TriFunction<A, B, C, R> fn) {
    return new Handle3<>(spec, spec.newEngine(), fn);
  }

  /** A handle for a function of {@code arity} arguments passed as an array. */
  public static <R> CachedFunctionN<R> of(FunctionSpec<R> spec, int arity, ArgsFunction<R> fn) {
    FunctionHandle.checkArity(spec, arity);
    return new HandleN<>(spec, spec.newEngine(), arity, fn);
  }

  private static final class Handle0<R> extends ArityHandles.Of0<R> implements CachedFunction0<R> {
    private final CacheEngine<R> engine;
    private final Supplier<R> fn;

    Handle0(FunctionSpec<R> spec, CacheEngine<R> engine, Supplier<R> fn) {
      super(spec, engine);
      this.engine = engine;
      this.fn = fn;
    }

    @Override
    public R get() {
      Object v = engine.getIfPresent(key);
      return v != CacheEngine.ABSENT ? CacheEngine.unmask(v) : engine.load(key, ArityHandles.NO_ARGS, fn);
    }

    @Override
    public R refresh() {
      return engine.refresh(key, ArityHandles.NO_ARGS, fn);
    }

    @Override
    public Supplier<R> uncached() {
      return fn;
    }
  }

  private static final class Handle1<A, R> extends ArityHandles.Of1<A, R> implements CachedFunction1<A, R> {
    private final CacheEngine<R> engine;
    private final Function<A, R> fn;

    Handle1(FunctionSpec<R> spec, CacheEngine<R> engine, Function<A, R> fn) {
      super(spec, engine);
      this.engine = engine;
      this.fn = fn;
    }

    @Override
    public R apply(A a) {
      ArgsKey key = key(a);
      Object v = engine.getIfPresent(key);
      return v != CacheEngine.ABSENT ? CacheEngine.unmask(v) : engine.load(key(a), new Object[] {a}, () -> fn.apply(a));
    }

    @Override
    public R refresh(A a) {
      return engine.refresh(key(a), new Object[] {a}, () -> fn.apply(a));
    }

    @Override
    public Function<A, R> uncached() {
      return fn;
    }
  }

  private static final class Handle2<A, B, R> extends ArityHandles.Of2<A, B, R>
      implements CachedFunction2<A, B, R> {
    private final CacheEngine<R> engine;
    private final BiFunction<A, B, R> fn;

    Handle2(FunctionSpec<R> spec, CacheEngine<R> engine, BiFunction<A, B, R> fn) {
      super(spec, engine);
      this.engine = engine;
      this.fn = fn;
    }

    @Override
    public R apply(A a, B b) {
      ArgsKey key = key(a, b);
      Object v = engine.getIfPresent(key);
      return v != CacheEngine.ABSENT ? CacheEngine.unmask(v) : engine.load(key(a, b), new Object[] {a, b}, () -> fn.apply(a, b));
    }

    @Override
    public R refresh(A a, B b) {
      return engine.refresh(key(a, b), new Object[] {a, b}, () -> fn.apply(a, b));
    }

    @Override
    public BiFunction<A, B, R> uncached() {
      return fn;
    }
  }

  private static final class Handle3<A, B, C, R> extends ArityHandles.Of3<A, B, C, R>
      implements CachedFunction3<A, B, C, R> {
    private final CacheEngine<R> engine;
    private final TriFunction<A, B, C, R> fn;

    Handle3(FunctionSpec<R> spec, CacheEngine<R> engine, TriFunction<A, B, C, R> fn) {
      super(spec, engine);
      this.engine = engine;
      this.fn = fn;
    }

    @Override
    public R apply(A a, B b, C c) {
      ArgsKey key = key(a, b, c);
      Object v = engine.getIfPresent(key);
      return v != CacheEngine.ABSENT
          ? CacheEngine.unmask(v) : engine.load(key(a, b, c), new Object[] {a, b, c}, () -> fn.apply(a, b, c));
    }

    @Override
    public R refresh(A a, B b, C c) {
      return engine.refresh(key(a, b, c), new Object[] {a, b, c}, () -> fn.apply(a, b, c));
    }

    @Override
    public TriFunction<A, B, C, R> uncached() {
      return fn;
    }
  }

  /**
   * The call path of proxies: a generic function whose first argument is a receiver, called with
   * the receiver and the method's arguments apart, so a hit copies no argument array.
   */
  public interface ReceiverCall<R> {
    /** Calls the function with {@code receiver} first, then {@code args}. */
    R callWithReceiver(Object receiver, Object[] args);
  }

  private static final class HandleN<R> extends ArityHandles.OfN<R> implements CachedFunctionN<R>, ReceiverCall<R> {
    private final CacheEngine<R> engine;
    private final ArgsFunction<R> fn;

    HandleN(FunctionSpec<R> spec, CacheEngine<R> engine, int arity, ArgsFunction<R> fn) {
      super(spec, engine, arity);
      this.engine = engine;
      this.fn = fn;
    }

    @Override
    public R callWithReceiver(Object receiver, Object[] args) {
      checkReceiverCall(args, arity);
      Object first = first(receiver);
      ArgsKey key = receiverKey(first, args);
      Object v = engine.getIfPresent(key);
      if (v != CacheEngine.ABSENT) {
        return CacheEngine.unmask(v);
      }
      Object[] full = withReceiver(receiver, args);
      return engine.load(key, full, () -> fn.apply(full));
    }

    @Override
    public R apply(Object[] args) {
      ArgsKey key = key(args);
      Object v = engine.getIfPresent(key);
      if (v != CacheEngine.ABSENT) {
        return CacheEngine.unmask(v);
      }
      Object[] snapshot = args.clone();
      return engine.load(key, snapshot, () -> fn.apply(snapshot));
    }

    @Override
    public R refresh(Object... args) {
      Object[] snapshot = args.clone();
      return engine.refresh(key(args), snapshot, () -> fn.apply(snapshot));
    }

    @Override
    public ArgsFunction<R> uncached() {
      return fn;
    }
  }
}
