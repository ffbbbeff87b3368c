package io.tiercache.engine;

import io.tiercache.ArgsFunction;
import io.tiercache.CachedFunction0;
import io.tiercache.CachedFunction1;
import io.tiercache.CachedFunction2;
import io.tiercache.CachedFunction3;
import io.tiercache.CachedFunctionN;
import io.tiercache.TriFunction;
import io.tiercache.key.ArgsKey;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The handles users hold: they turn a call's arguments into an {@link ArgsKey} and hand it to the
 * engine. A hit allocates nothing but that key.
 */
public final class CachedFunctions {
  private static final Object[] NO_ARGS = {};

  private CachedFunctions() {}

  /** A handle for a function of no arguments. */
  public static <R> CachedFunction0<R> of(FunctionSpec<R> spec, Supplier<R> fn) {
    if (spec.instanceKey() != null) {
      throw new IllegalArgumentException("cached function '" + spec.name()
          + "' has no arguments, so it has no receiver for instanceKey");
    }
    return new Handle0<>(spec, fn);
  }

  /** A handle for a function of one argument. */
  public static <A, R> CachedFunction1<A, R> of(FunctionSpec<R> spec, Function<A, R> fn) {
    return new Handle1<>(spec, fn);
  }

  /** A handle for a function of two arguments. */
  public static <A, B, R> CachedFunction2<A, B, R> of(FunctionSpec<R> spec, BiFunction<A, B, R> fn) {
    return new Handle2<>(spec, fn);
  }

  /** A handle for a function of three arguments. */
  public static <A, B, C, R> CachedFunction3<A, B, C, R> of(FunctionSpec<R> spec,
      TriFunction<A, B, C, R> fn) {
    return new Handle3<>(spec, fn);
  }

  /** A handle for a function of {@code arity} arguments passed as an array. */
  public static <R> CachedFunctionN<R> of(FunctionSpec<R> spec, int arity, ArgsFunction<R> fn) {
    if (arity < 0) {
      throw new IllegalArgumentException("arity must not be negative, got " + arity);
    }
    if (arity == 0 && spec.instanceKey() != null) {
      throw new IllegalArgumentException("cached function '" + spec.name()
          + "' has no arguments, so it has no receiver for instanceKey");
    }
    return new HandleN<>(spec, arity, fn);
  }

  /**
   * What every handle shares: the engine, typing, and the receiver's instance key.
   *
   * <p>A handle's hit path builds the call's key, looks it up and lets it go. The miss path builds
   * the key again rather than passing the first one on: a key that reached {@code load} would
   * escape, and then every hit would allocate it; a key used only by the inlined lookup is never
   * allocated at all.
   */
  private abstract static class Handle<R> extends FunctionHandle<R> {
    final CacheEngine<R> engine;

    Handle(FunctionSpec<R> spec) {
      this(spec, spec.newEngine());
    }

    private Handle(FunctionSpec<R> spec, CacheEngine<R> engine) {
      super(spec, engine);
      this.engine = engine;
    }

    /** Computations in flight, for leak tests. */
    final int inFlight() {
      return engine.inFlight();
    }

    @Override
    final String kind() {
      return "CachedFunction";
    }
  }

  private static final class Handle0<R> extends Handle<R> implements CachedFunction0<R> {
    private final Supplier<R> fn;
    private final ArgsKey key;

    Handle0(FunctionSpec<R> spec, Supplier<R> fn) {
      super(spec);
      this.fn = fn;
      this.key = ArgsKey.of(typed);
    }

    @Override
    public R get() {
      Object v = engine.getIfPresent(key);
      return v != CacheEngine.ABSENT ? CacheEngine.unmask(v) : engine.load(key, NO_ARGS, fn);
    }

    @Override
    public boolean invalidate() {
      return engine.invalidate(key, NO_ARGS);
    }

    @Override
    public boolean contains() {
      return engine.contains(key, NO_ARGS);
    }

    @Override
    public boolean invalidateTags() {
      return engine.invalidateTagsOf(NO_ARGS);
    }

    @Override
    public boolean invalidatePrefix() {
      return engine.invalidatePrefixOf(NO_ARGS);
    }

    @Override
    public R refresh() {
      return engine.refresh(key, NO_ARGS, fn);
    }

    @Override
    public Supplier<R> uncached() {
      return fn;
    }
  }

  private static final class Handle1<A, R> extends Handle<R> implements CachedFunction1<A, R> {
    private final Function<A, R> fn;

    Handle1(FunctionSpec<R> spec, Function<A, R> fn) {
      super(spec);
      this.fn = fn;
    }

    private ArgsKey key(A a) {
      return ArgsKey.of(first(a), typed);
    }

    @Override
    public R apply(A a) {
      ArgsKey key = key(a);
      Object v = engine.getIfPresent(key);
      return v != CacheEngine.ABSENT ? CacheEngine.unmask(v) : engine.load(key(a), new Object[] {a}, () -> fn.apply(a));
    }

    @Override
    public boolean invalidate(A a) {
      return engine.invalidate(key(a), new Object[] {a});
    }

    @Override
    public boolean contains(A a) {
      return engine.contains(key(a), new Object[] {a});
    }

    @Override
    public boolean invalidateTags(A a) {
      return engine.invalidateTagsOf(new Object[] {a});
    }

    @Override
    public boolean invalidatePrefix(A a) {
      return engine.invalidatePrefixOf(new Object[] {a});
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

  private static final class Handle2<A, B, R> extends Handle<R> implements CachedFunction2<A, B, R> {
    private final BiFunction<A, B, R> fn;

    Handle2(FunctionSpec<R> spec, BiFunction<A, B, R> fn) {
      super(spec);
      this.fn = fn;
    }

    private ArgsKey key(A a, B b) {
      return ArgsKey.of(first(a), b, typed);
    }

    @Override
    public R apply(A a, B b) {
      ArgsKey key = key(a, b);
      Object v = engine.getIfPresent(key);
      return v != CacheEngine.ABSENT ? CacheEngine.unmask(v) : engine.load(key(a, b), new Object[] {a, b}, () -> fn.apply(a, b));
    }

    @Override
    public boolean invalidate(A a, B b) {
      return engine.invalidate(key(a, b), new Object[] {a, b});
    }

    @Override
    public boolean contains(A a, B b) {
      return engine.contains(key(a, b), new Object[] {a, b});
    }

    @Override
    public boolean invalidateTags(A a, B b) {
      return engine.invalidateTagsOf(new Object[] {a, b});
    }

    @Override
    public boolean invalidatePrefix(A a, B b) {
      return engine.invalidatePrefixOf(new Object[] {a, b});
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

  private static final class Handle3<A, B, C, R> extends Handle<R>
      implements CachedFunction3<A, B, C, R> {
    private final TriFunction<A, B, C, R> fn;

    Handle3(FunctionSpec<R> spec, TriFunction<A, B, C, R> fn) {
      super(spec);
      this.fn = fn;
    }

    private ArgsKey key(A a, B b, C c) {
      return ArgsKey.of(first(a), b, c, typed);
    }

    @Override
    public R apply(A a, B b, C c) {
      ArgsKey key = key(a, b, c);
      Object v = engine.getIfPresent(key);
      return v != CacheEngine.ABSENT
          ? CacheEngine.unmask(v) : engine.load(key(a, b, c), new Object[] {a, b, c}, () -> fn.apply(a, b, c));
    }

    @Override
    public boolean invalidate(A a, B b, C c) {
      return engine.invalidate(key(a, b, c), new Object[] {a, b, c});
    }

    @Override
    public boolean contains(A a, B b, C c) {
      return engine.contains(key(a, b, c), new Object[] {a, b, c});
    }

    @Override
    public boolean invalidateTags(A a, B b, C c) {
      return engine.invalidateTagsOf(new Object[] {a, b, c});
    }

    @Override
    public boolean invalidatePrefix(A a, B b, C c) {
      return engine.invalidatePrefixOf(new Object[] {a, b, c});
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

  private static final class HandleN<R> extends Handle<R> implements CachedFunctionN<R>, ReceiverCall<R> {
    private final ArgsFunction<R> fn;
    private final int arity;

    HandleN(FunctionSpec<R> spec, int arity, ArgsFunction<R> fn) {
      super(spec);
      this.fn = fn;
      this.arity = arity;
    }

    private ArgsKey key(Object[] args) {
      return argsKey(args, arity);
    }

    @Override
    public int arity() {
      return arity;
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
    public boolean invalidate(Object... args) {
      return engine.invalidate(key(args), args.clone());
    }

    @Override
    public boolean contains(Object... args) {
      return engine.contains(key(args), args.clone());
    }

    @Override
    public R refresh(Object... args) {
      Object[] snapshot = args.clone();
      return engine.refresh(key(args), snapshot, () -> fn.apply(snapshot));
    }

    @Override
    public boolean invalidateTags(Object... args) {
      return engine.invalidateTagsOf(args.clone());
    }

    @Override
    public boolean invalidatePrefix(Object... args) {
      return engine.invalidatePrefixOf(args.clone());
    }

    @Override
    public ArgsFunction<R> uncached() {
      return fn;
    }
  }
}
