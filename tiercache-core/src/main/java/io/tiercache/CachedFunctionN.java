package io.tiercache;

/**
 * A cached function of any number of arguments: the generic form behind cached methods. The number
 * of arguments is fixed when it is built and checked on every call.
 *
 * @param <R> the result type
 */
public interface CachedFunctionN<R> extends ArgsFunction<R>, CacheHandle {

  /**
   * Calls the function through the cache; the same as {@link #apply(Object[])}.
   *
   * @param args the arguments of the call, in declaration order; exactly {@link #arity()} of them
   * @return the cached or newly computed result
   */
  default R call(Object... args) {
    return apply(args);
  }

  /**
   * Removes the entry for these arguments from L1 and L2; true if either held one.
   *
   * @param args the arguments of the call, in declaration order; exactly {@link #arity()} of them
   * @return true if L1 or L2 held an entry
   */
  boolean invalidate(Object... args);

  /**
   * True if a value for these arguments is cached in L1 or L2; changes no statistics or order.
   *
   * @param args the arguments of the call, in declaration order; exactly {@link #arity()} of them
   * @return true if a value is cached in either layer
   */
  boolean contains(Object... args);

  /**
   * Computes the value for these arguments anew, stores it in both layers and returns it.
   *
   * @param args the arguments of the call, in declaration order; exactly {@link #arity()} of them
   * @return the newly computed value, now stored in both layers
   */
  R refresh(Object... args);

  /**
   * The number of arguments every call must pass.
   *
   * @return the fixed number of arguments of this function
   */
  int arity();

  /**
   * Invalidates the tags this function gives a call with these arguments (its {@code tags(...)}), in its
   * backend and in this process's L1s; false if it has none or the backend did not take it.
   *
   * @param args the arguments of the call, in declaration order; exactly {@link #arity()} of them
   * @return true if the backend took the tag invalidation; false without tags
   */
  boolean invalidateTags(Object... args);

  /**
   * Invalidates the prefix this function gives a call with these arguments: every entry under it, in one
   * backend command; false if it has no prefix or the backend did not take it.
   *
   * @param args the arguments of the call, in declaration order; exactly {@link #arity()} of them
   * @return true if the backend took the prefix invalidation; false without a prefix
   */
  boolean invalidatePrefix(Object... args);

  /**
   * The original function: calling it bypasses the cache and changes no statistics.
   *
   * @return the function this one caches, to call without caching
   */
  ArgsFunction<R> uncached();
}
