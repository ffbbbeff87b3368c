package io.tiercache;

import java.util.function.Function;

/**
 * A cached function of one argument. Calling {@link #apply(Object)} serves the cached value or
 * computes it.
 *
 * @param <A> the argument type
 * @param <R> the result type
 */
public interface CachedFunction1<A, R> extends Function<A, R>, CacheHandle {

  /** Removes the entry for this argument from L1 and L2; true if either held one. */
  boolean invalidate(A a);

  /** True if a value for this argument is cached in L1 or L2; changes no statistics or order. */
  boolean contains(A a);

  /** Computes the value for this argument anew, stores it in both layers and returns it. */
  R refresh(A a);

  /**
   * Invalidates the tags this function gives a call with this argument (its {@code tags(...)}), in its
   * backend and in this process's L1s; false if it has none or the backend did not take it.
   */
  boolean invalidateTags(A a);

  /**
   * Invalidates the prefix this function gives a call with this argument: every entry under it, in one
   * backend command; false if it has no prefix or the backend did not take it.
   */
  boolean invalidatePrefix(A a);

  /** The original function: calling it bypasses the cache and changes no statistics. */
  Function<A, R> uncached();
}
