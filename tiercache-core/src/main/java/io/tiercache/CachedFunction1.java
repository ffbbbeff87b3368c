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

  /**
   * Removes the entry for this argument from L1 and L2; true if either held one.
   *
   * @param a the argument of the call
   * @return true if L1 or L2 held an entry
   */
  boolean invalidate(A a);

  /**
   * True if a value for this argument is cached in L1 or L2; changes no statistics or order.
   *
   * @param a the argument of the call
   * @return true if a value is cached in either layer
   */
  boolean contains(A a);

  /**
   * Computes the value for this argument anew, stores it in both layers and returns it.
   *
   * @param a the argument of the call
   * @return the newly computed value, now stored in both layers
   */
  R refresh(A a);

  /**
   * Invalidates the tags this function gives a call with this argument (its {@code tags(...)}), in its
   * backend and in this process's L1s; false if it has none or the backend did not take it.
   *
   * @param a the argument of the call
   * @return true if the backend took the tag invalidation; false without tags
   */
  boolean invalidateTags(A a);

  /**
   * Invalidates the prefix this function gives a call with this argument: every entry under it, in one
   * backend command; false if it has no prefix or the backend did not take it.
   *
   * @param a the argument of the call
   * @return true if the backend took the prefix invalidation; false without a prefix
   */
  boolean invalidatePrefix(A a);

  /**
   * The original function: calling it bypasses the cache and changes no statistics.
   *
   * @return the function this one caches, to call without caching
   */
  Function<A, R> uncached();
}
