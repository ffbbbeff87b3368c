package io.tiercache;

import java.util.function.BiFunction;

/**
 * A cached function of two arguments. Calling {@link #apply(Object, Object)} serves the cached value
 * or computes it.
 *
 * @param <A> the first argument type
 * @param <B> the second argument type
 * @param <R> the result type
 */
public interface CachedFunction2<A, B, R> extends BiFunction<A, B, R>, CacheHandle {

  /** Removes the entry for these arguments from L1 and L2; true if either held one. */
  boolean invalidate(A a, B b);

  /** True if a value for these arguments is cached in L1 or L2; changes no statistics or order. */
  boolean contains(A a, B b);

  /** Computes the value for these arguments anew, stores it in both layers and returns it. */
  R refresh(A a, B b);

  /**
   * Invalidates the tags this function gives a call with these arguments (its {@code tags(...)}), in its
   * backend and in this process's L1s; false if it has none or the backend did not take it.
   */
  boolean invalidateTags(A a, B b);

  /**
   * Invalidates the prefix this function gives a call with these arguments: every entry under it, in one
   * backend command; false if it has no prefix or the backend did not take it.
   */
  boolean invalidatePrefix(A a, B b);

  /** The original function: calling it bypasses the cache and changes no statistics. */
  BiFunction<A, B, R> uncached();
}
