package io.tiercache.engine;

import io.tiercache.ArgsFunction;
import io.tiercache.AsyncCacheHandle;
import io.tiercache.AsyncCachedFunction0;
import io.tiercache.AsyncCachedFunction1;
import io.tiercache.AsyncCachedFunction2;
import io.tiercache.AsyncCachedFunction3;
import io.tiercache.AsyncCachedFunctionN;
import io.tiercache.TriFunction;
import io.tiercache.key.ArgsKey;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The handles of async cached functions: they turn a call's arguments into an {@link ArgsKey} and
 * hand it to an {@link AsyncCacheEngine}. A hit allocates nothing but that key (and the handle
 * rebuilds the key on a miss, as {@link CachedFunctions} explains, so that it never escapes).
 */
public final class AsyncCachedFunctions {
  private static final Object[] NO_ARGS = {};

  private AsyncCachedFunctions() {}

  /** A handle for an async function of no arguments. */
  public static <R> AsyncCachedFunction0<R> of(FunctionSpec<R> spec, AsyncContext context,
      Supplier<? extends CompletionStage<R>> fn) {
    if (spec.instanceKey() != null) {
      throw new IllegalArgumentException("cached function '" + spec.name()
          + "' has no arguments, so it has no receiver for instanceKey");
    }
    return new Handle0<>(spec, context, fn);
  }

  /** A handle for an async function of one argument. */
  public static <A, R> AsyncCachedFunction1<A, R> of(FunctionSpec<R> spec, AsyncContext context,
      Function<A, ? extends CompletionStage<R>> fn) {
    return new Handle1<>(spec, context, fn);
  }

  /** A handle for an async function of two arguments. */
  public static <A, B, R> AsyncCachedFunction2<A, B, R> of(FunctionSpec<R> spec, AsyncContext context,
      BiFunction<A, B, ? extends CompletionStage<R>> fn) {
    return new Handle2<>(spec, context, fn);
  }

  /** A handle for an async function of three arguments. */
  public static <A, B, C, R> AsyncCachedFunction3<A, B, C, R> of(FunctionSpec<R> spec, AsyncContext context,
      TriFunction<A, B, C, ? extends CompletionStage<R>> fn) {
    return new Handle3<>(spec, context, fn);
  }

  /** A handle for an async function of {@code arity} arguments passed as an array. */
  public static <R> AsyncCachedFunctionN<R> of(FunctionSpec<R> spec, AsyncContext context, int arity,
      ArgsFunction<? extends CompletionStage<R>> fn) {
    if (arity < 0) {
      throw new IllegalArgumentException("arity must not be negative, got " + arity);
    }
    if (arity == 0 && spec.instanceKey() != null) {
      throw new IllegalArgumentException("cached function '" + spec.name()
          + "' has no arguments, so it has no receiver for instanceKey");
    }
    return new HandleN<>(spec, context, arity, fn);
  }

  /** The engine behind a handle made here (for tests and tools in this package). */
  static AsyncCacheEngine<?> engineOf(AsyncCacheHandle handle) {
    return ((Handle<?>) handle).engine;
  }

  /** What every async handle shares: the engine, and closing it. */
  private abstract static class Handle<R> extends FunctionHandle<R> implements AsyncCacheHandle {
    final AsyncCacheEngine<R> engine;

    Handle(FunctionSpec<R> spec, AsyncContext context) {
      this(spec, spec.newAsyncEngine(context));
    }

    private Handle(FunctionSpec<R> spec, AsyncCacheEngine<R> engine) {
      super(spec, engine);
      this.engine = engine;
    }

    @Override
    final String kind() {
      return "AsyncCachedFunction";
    }

    @Override
    public final void close() {
      engine.close(false);
    }

    @Override
    public final CompletableFuture<Void> close(boolean wait) {
      return engine.close(wait);
    }

    @Override
    public final boolean isClosed() {
      return engine.isClosed();
    }
  }

  private static final class Handle0<R> extends Handle<R> implements AsyncCachedFunction0<R> {
    private final Supplier<? extends CompletionStage<R>> fn;
    private final ArgsKey key;

    Handle0(FunctionSpec<R> spec, AsyncContext context, Supplier<? extends CompletionStage<R>> fn) {
      super(spec, context);
      this.fn = fn;
      this.key = ArgsKey.of(typed);
    }

    @Override
    public CompletableFuture<R> get() {
      CompletableFuture<R> hit = engine.getIfPresent(key);
      return hit != null ? hit : engine.load(key, NO_ARGS, fn);
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
    public CompletableFuture<R> refresh() {
      return engine.refresh(key, NO_ARGS, fn);
    }

    @Override
    public Supplier<? extends CompletionStage<R>> uncached() {
      return fn;
    }
  }

  private static final class Handle1<A, R> extends Handle<R> implements AsyncCachedFunction1<A, R> {
    private final Function<A, ? extends CompletionStage<R>> fn;

    Handle1(FunctionSpec<R> spec, AsyncContext context, Function<A, ? extends CompletionStage<R>> fn) {
      super(spec, context);
      this.fn = fn;
    }

    private ArgsKey key(A a) {
      return ArgsKey.of(first(a), typed);
    }

    @Override
    public CompletableFuture<R> apply(A a) {
      CompletableFuture<R> hit = engine.getIfPresent(key(a));
      return hit != null ? hit : engine.load(key(a), new Object[] {a}, () -> fn.apply(a));
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
    public CompletableFuture<R> refresh(A a) {
      return engine.refresh(key(a), new Object[] {a}, () -> fn.apply(a));
    }

    @Override
    public Function<A, ? extends CompletionStage<R>> uncached() {
      return fn;
    }
  }

  private static final class Handle2<A, B, R> extends Handle<R> implements AsyncCachedFunction2<A, B, R> {
    private final BiFunction<A, B, ? extends CompletionStage<R>> fn;

    Handle2(FunctionSpec<R> spec, AsyncContext context, BiFunction<A, B, ? extends CompletionStage<R>> fn) {
      super(spec, context);
      this.fn = fn;
    }

    private ArgsKey key(A a, B b) {
      return ArgsKey.of(first(a), b, typed);
    }

    @Override
    public CompletableFuture<R> apply(A a, B b) {
      CompletableFuture<R> hit = engine.getIfPresent(key(a, b));
      return hit != null ? hit : engine.load(key(a, b), new Object[] {a, b}, () -> fn.apply(a, b));
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
    public CompletableFuture<R> refresh(A a, B b) {
      return engine.refresh(key(a, b), new Object[] {a, b}, () -> fn.apply(a, b));
    }

    @Override
    public BiFunction<A, B, ? extends CompletionStage<R>> uncached() {
      return fn;
    }
  }

  private static final class Handle3<A, B, C, R> extends Handle<R>
      implements AsyncCachedFunction3<A, B, C, R> {
    private final TriFunction<A, B, C, ? extends CompletionStage<R>> fn;

    Handle3(FunctionSpec<R> spec, AsyncContext context, TriFunction<A, B, C, ? extends CompletionStage<R>> fn) {
      super(spec, context);
      this.fn = fn;
    }

    private ArgsKey key(A a, B b, C c) {
      return ArgsKey.of(first(a), b, c, typed);
    }

    @Override
    public CompletableFuture<R> apply(A a, B b, C c) {
      CompletableFuture<R> hit = engine.getIfPresent(key(a, b, c));
      return hit != null ? hit
          : engine.load(key(a, b, c), new Object[] {a, b, c}, () -> fn.apply(a, b, c));
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
    public CompletableFuture<R> refresh(A a, B b, C c) {
      return engine.refresh(key(a, b, c), new Object[] {a, b, c}, () -> fn.apply(a, b, c));
    }

    @Override
    public TriFunction<A, B, C, ? extends CompletionStage<R>> uncached() {
      return fn;
    }
  }

  private static final class HandleN<R> extends Handle<R>
      implements AsyncCachedFunctionN<R>, CachedFunctions.ReceiverCall<CompletableFuture<R>> {
    private final ArgsFunction<? extends CompletionStage<R>> fn;
    private final int arity;

    HandleN(FunctionSpec<R> spec, AsyncContext context, int arity, ArgsFunction<? extends CompletionStage<R>> fn) {
      super(spec, context);
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
    public CompletableFuture<R> callWithReceiver(Object receiver, Object[] args) {
      checkReceiverCall(args, arity);
      Object first = first(receiver);
      ArgsKey key = receiverKey(first, args);
      CompletableFuture<R> hit = engine.getIfPresent(key);
      if (hit != null) {
        return hit;
      }
      Object[] full = withReceiver(receiver, args);
      return engine.load(key, full, () -> fn.apply(full));
    }

    @Override
    public CompletableFuture<R> apply(Object[] args) {
      ArgsKey key = key(args);
      CompletableFuture<R> hit = engine.getIfPresent(key);
      if (hit != null) {
        return hit;
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
    public boolean invalidateTags(Object... args) {
      return engine.invalidateTagsOf(args.clone());
    }

    @Override
    public boolean invalidatePrefix(Object... args) {
      return engine.invalidatePrefixOf(args.clone());
    }

    @Override
    public CompletableFuture<R> refresh(Object... args) {
      Object[] snapshot = args.clone();
      return engine.refresh(key(args), snapshot, () -> fn.apply(snapshot));
    }

    @Override
    public ArgsFunction<? extends CompletionStage<R>> uncached() {
      return fn;
    }
  }
}
