package io.tiercache.internal.engine;

import io.tiercache.ArgsFunction;
import io.tiercache.AsyncCacheHandle;
import io.tiercache.AsyncCachedFunction0;
import io.tiercache.AsyncCachedFunction1;
import io.tiercache.AsyncCachedFunction2;
import io.tiercache.AsyncCachedFunction3;
import io.tiercache.AsyncCachedFunctionN;
import io.tiercache.TriFunction;
import io.tiercache.internal.key.ArgsKey;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The handles of async cached functions: they turn a call's arguments into an {@link ArgsKey} and
 * hand it to an {@link AsyncCacheEngine}. A hit allocates nothing but that key (and the handle
 * rebuilds the key on a miss, as {@link CachedFunctions} explains, so that it never escapes). What
 * a handle does besides calling, refreshing and closing is the synchronous handles', in
 * {@link ArityHandles}.
 */
public final class AsyncCachedFunctions {
  private AsyncCachedFunctions() {}

  /** A handle for an async function of no arguments. */
  public static <R> AsyncCachedFunction0<R> of(FunctionSpec<R> spec, AsyncContext context,
      Supplier<? extends CompletionStage<R>> fn) {
    FunctionHandle.checkArity(spec, 0);
    return new Handle0<>(spec, spec.newAsyncEngine(context), fn);
  }

  /** A handle for an async function of one argument. */
  public static <A, R> AsyncCachedFunction1<A, R> of(FunctionSpec<R> spec, AsyncContext context,
      Function<A, ? extends CompletionStage<R>> fn) {
    return new Handle1<>(spec, spec.newAsyncEngine(context), fn);
  }

  /** A handle for an async function of two arguments. */
  public static <A, B, R> AsyncCachedFunction2<A, B, R> of(FunctionSpec<R> spec, AsyncContext context,
      BiFunction<A, B, ? extends CompletionStage<R>> fn) {
    return new Handle2<>(spec, spec.newAsyncEngine(context), fn);
  }

  /** A handle for an async function of three arguments. */
  public static <A, B, C, R> AsyncCachedFunction3<A, B, C, R> of(FunctionSpec<R> spec, AsyncContext context,
      TriFunction<A, B, C, ? extends CompletionStage<R>> fn) {
    return new Handle3<>(spec, spec.newAsyncEngine(context), fn);
  }

  /** A handle for an async function of {@code arity} arguments passed as an array. */
  public static <R> AsyncCachedFunctionN<R> of(FunctionSpec<R> spec, AsyncContext context, int arity,
      ArgsFunction<? extends CompletionStage<R>> fn) {
    FunctionHandle.checkArity(spec, arity);
    return new HandleN<>(spec, spec.newAsyncEngine(context), arity, fn);
  }

  /** The engine behind a handle made here (for tests and tools in this package). */
  static AsyncCacheEngine<?> engineOf(AsyncCacheHandle handle) {
    return (AsyncCacheEngine<?>) ((FunctionHandle<?>) handle).common;
  }

  /** What every async handle adds: closing its engine. */
  interface Closing extends AsyncCacheHandle {
    @Override
    default void close() {
      engineOf(this).close(false);
    }

    @Override
    default CompletableFuture<Void> close(boolean wait) {
      return engineOf(this).close(wait);
    }

    @Override
    default boolean isClosed() {
      return engineOf(this).isClosed();
    }
  }

  private static final class Handle0<R> extends ArityHandles.Of0<R> implements AsyncCachedFunction0<R>, Closing {
    private final AsyncCacheEngine<R> engine;
    private final Supplier<? extends CompletionStage<R>> fn;

    Handle0(FunctionSpec<R> spec, AsyncCacheEngine<R> engine, Supplier<? extends CompletionStage<R>> fn) {
      super(spec, engine);
      this.engine = engine;
      this.fn = fn;
    }

    @Override
    public CompletableFuture<R> get() {
      CompletableFuture<R> hit = engine.getIfPresent(key);
      return hit != null ? hit : engine.load(key, ArityHandles.NO_ARGS, fn);
    }

    @Override
    public CompletableFuture<R> refresh() {
      return engine.refresh(key, ArityHandles.NO_ARGS, fn);
    }

    @Override
    public Supplier<? extends CompletionStage<R>> uncached() {
      return fn;
    }
  }

  private static final class Handle1<A, R> extends ArityHandles.Of1<A, R>
      implements AsyncCachedFunction1<A, R>, Closing {
    private final AsyncCacheEngine<R> engine;
    private final Function<A, ? extends CompletionStage<R>> fn;

    Handle1(FunctionSpec<R> spec, AsyncCacheEngine<R> engine, Function<A, ? extends CompletionStage<R>> fn) {
      super(spec, engine);
      this.engine = engine;
      this.fn = fn;
    }

    @Override
    public CompletableFuture<R> apply(A a) {
      CompletableFuture<R> hit = engine.getIfPresent(key(a));
      return hit != null ? hit : engine.load(key(a), new Object[] {a}, () -> fn.apply(a));
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

  private static final class Handle2<A, B, R> extends ArityHandles.Of2<A, B, R>
      implements AsyncCachedFunction2<A, B, R>, Closing {
    private final AsyncCacheEngine<R> engine;
    private final BiFunction<A, B, ? extends CompletionStage<R>> fn;

    Handle2(FunctionSpec<R> spec, AsyncCacheEngine<R> engine, BiFunction<A, B, ? extends CompletionStage<R>> fn) {
      super(spec, engine);
      this.engine = engine;
      this.fn = fn;
    }

    @Override
    public CompletableFuture<R> apply(A a, B b) {
      CompletableFuture<R> hit = engine.getIfPresent(key(a, b));
      return hit != null ? hit : engine.load(key(a, b), new Object[] {a, b}, () -> fn.apply(a, b));
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

  private static final class Handle3<A, B, C, R> extends ArityHandles.Of3<A, B, C, R>
      implements AsyncCachedFunction3<A, B, C, R>, Closing {
    private final AsyncCacheEngine<R> engine;
    private final TriFunction<A, B, C, ? extends CompletionStage<R>> fn;

    Handle3(FunctionSpec<R> spec, AsyncCacheEngine<R> engine, TriFunction<A, B, C, ? extends CompletionStage<R>> fn) {
      super(spec, engine);
      this.engine = engine;
      this.fn = fn;
    }

    @Override
    public CompletableFuture<R> apply(A a, B b, C c) {
      CompletableFuture<R> hit = engine.getIfPresent(key(a, b, c));
      return hit != null ? hit
          : engine.load(key(a, b, c), new Object[] {a, b, c}, () -> fn.apply(a, b, c));
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

  private static final class HandleN<R> extends ArityHandles.OfN<R>
      implements AsyncCachedFunctionN<R>, CachedFunctions.ReceiverCall<CompletableFuture<R>>, Closing {
    private final AsyncCacheEngine<R> engine;
    private final ArgsFunction<? extends CompletionStage<R>> fn;

    HandleN(FunctionSpec<R> spec, AsyncCacheEngine<R> engine, int arity,
        ArgsFunction<? extends CompletionStage<R>> fn) {
      super(spec, engine, arity);
      this.engine = engine;
      this.fn = fn;
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
