package io.tiercache;

/**
 * A cached function of three arguments. Calling {@link #apply(Object, Object, Object)} serves the
 * cached value or computes it.
 *
 * @param <A> the first argument type
 * @param <B> the second argument type
 * @param <C> the third argument type
 * @param <R> the result type
 */
public interface CachedFunction3<A, B, C, R> extends TriFunction<A, B, C, R>, CacheHandle {

  /**
   * Removes the entry for these arguments from L1 and L2; true if either held one.
   *
   * @param a the first argument of the call
   * @param b the second argument of the call
   * @param c the third argument of the call
   * @return true if L1 or L2 held an entry
   */
  boolean invalidate(A a, B b, C c);

  /**
   * True if a value for these arguments is cached in L1 or L2; changes no statistics or order.
   *
   * @param a the first argument of the call
   * @param b the second argument of the call
   * @param c the third argument of the call
   * @return true if a value is cached in either layer
   */
  boolean contains(A a, B b, C c);

  /**
   * Computes the value for these arguments anew, stores it in both layers and returns it.
   *
   * @param a the first argument of the call
   * @param b the second argument of the call
   * @param c the third argument of the call
   * @return the newly computed value, now stored in both layers
   */
  R refresh(A a, B b, C c);

  /**
   * Invalidates the tags this function gives a call with these arguments (its {@code tags(...)}), in its
   * backend and in this process's L1s; false if it has none or the backend did not take it.
   *
   * @param a the first argument of the call
   * @param b the second argument of the call
   * @param c the third argument of the call
   * @return true if the backend took the tag invalidation; false without tags
   */
  boolean invalidateTags(A a, B b, C c);

  /**
   * Invalidates the prefix this function gives a call with these arguments: every entry under it, in one
   * backend command; false if it has no prefix or the backend did not take it.
   *
   * @param a the first argument of the call
   * @param b the second argument of the call
   * @param c the third argument of the call
   * @return true if the backend took the prefix invalidation; false without a prefix
   */
  boolean invalidatePrefix(A a, B b, C c);

  /**
   * The original function: calling it bypasses the cache and changes no statistics.
   *
   * @return the function this one caches, to call without caching
   */
  TriFunction<A, B, C, R> uncached();
}
