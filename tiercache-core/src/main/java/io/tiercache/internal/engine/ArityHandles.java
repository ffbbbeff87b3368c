package io.tiercache.internal.engine;

import io.tiercache.internal.key.ArgsKey;

/**
 * What a handle of each arity does besides calling, written once for both kinds of function: the
 * key of a call, {@code invalidate}, {@code contains}, {@code invalidateTags} and
 * {@code invalidatePrefix}. The handles of each kind ({@link CachedFunctions},
 * {@link AsyncCachedFunctions}) extend these and add the call, {@code refresh} and the uncached
 * form, which differ in their result type; each keeps its engine in a field of its own type, so
 * that a call's hit path reaches it without a cast.
 */
final class ArityHandles {
  static final Object[] NO_ARGS = {};

  private ArityHandles() {}

  /** A handle of a function of no arguments. */
  abstract static class Of0<R> extends FunctionHandle<R> {
    final ArgsKey key;

    Of0(FunctionSpec<R> spec, AbstractEngine<R> engine) {
      super(spec, engine);
      this.key = ArgsKey.of(typed);
    }

    public final boolean invalidate() {
      return common.invalidate(key, NO_ARGS);
    }

    public final boolean contains() {
      return common.contains(key, NO_ARGS);
    }

    public final boolean invalidateTags() {
      return common.invalidateTagsOf(NO_ARGS);
    }

    public final boolean invalidatePrefix() {
      return common.invalidatePrefixOf(NO_ARGS);
    }
  }

  /** A handle of a function of one argument. */
  abstract static class Of1<A, R> extends FunctionHandle<R> {
    Of1(FunctionSpec<R> spec, AbstractEngine<R> engine) {
      super(spec, engine);
    }

    final ArgsKey key(A a) {
      return ArgsKey.of(first(a), typed);
    }

    public final boolean invalidate(A a) {
      return common.invalidate(key(a), new Object[] {a});
    }

    public final boolean contains(A a) {
      return common.contains(key(a), new Object[] {a});
    }

    public final boolean invalidateTags(A a) {
      return common.invalidateTagsOf(new Object[] {a});
    }

    public final boolean invalidatePrefix(A a) {
      return common.invalidatePrefixOf(new Object[] {a});
    }
  }

  /** A handle of a function of two arguments. */
  abstract static class Of2<A, B, R> extends FunctionHandle<R> {
    Of2(FunctionSpec<R> spec, AbstractEngine<R> engine) {
      super(spec, engine);
    }

    final ArgsKey key(A a, B b) {
      return ArgsKey.of(first(a), b, typed);
    }

    public final boolean invalidate(A a, B b) {
      return common.invalidate(key(a, b), new Object[] {a, b});
    }

    public final boolean contains(A a, B b) {
      return common.contains(key(a, b), new Object[] {a, b});
    }

    public final boolean invalidateTags(A a, B b) {
      return common.invalidateTagsOf(new Object[] {a, b});
    }

    public final boolean invalidatePrefix(A a, B b) {
      return common.invalidatePrefixOf(new Object[] {a, b});
    }
  }

  /** A handle of a function of three arguments. */
  abstract static class Of3<A, B, C, R> extends FunctionHandle<R> {
    Of3(FunctionSpec<R> spec, AbstractEngine<R> engine) {
      super(spec, engine);
    }

    final ArgsKey key(A a, B b, C c) {
      return ArgsKey.of(first(a), b, c, typed);
    }

    public final boolean invalidate(A a, B b, C c) {
      return common.invalidate(key(a, b, c), new Object[] {a, b, c});
    }

    public final boolean contains(A a, B b, C c) {
      return common.contains(key(a, b, c), new Object[] {a, b, c});
    }

    public final boolean invalidateTags(A a, B b, C c) {
      return common.invalidateTagsOf(new Object[] {a, b, c});
    }

    public final boolean invalidatePrefix(A a, B b, C c) {
      return common.invalidatePrefixOf(new Object[] {a, b, c});
    }
  }

  /**
   * A handle of a function of {@code arity} arguments passed as an array; the array a caller
   * passes is copied before it is kept, so the caller may change it afterwards.
   */
  abstract static class OfN<R> extends FunctionHandle<R> {
    final int arity;

    OfN(FunctionSpec<R> spec, AbstractEngine<R> engine, int arity) {
      super(spec, engine);
      this.arity = arity;
    }

    final ArgsKey key(Object[] args) {
      return argsKey(args, arity);
    }

    public final int arity() {
      return arity;
    }

    public final boolean invalidate(Object... args) {
      return common.invalidate(key(args), args.clone());
    }

    public final boolean contains(Object... args) {
      return common.contains(key(args), args.clone());
    }

    public final boolean invalidateTags(Object... args) {
      return common.invalidateTagsOf(args.clone());
    }

    public final boolean invalidatePrefix(Object... args) {
      return common.invalidatePrefixOf(args.clone());
    }
  }
}
