package io.tiercache;

import java.util.function.Supplier;

/**
 * A cached function of no arguments. Calling {@link #get()} serves the cached value or computes it.
 *
 * @param <R> the result type
 */
public interface CachedFunction0<R> extends Supplier<R>, CacheHandle {

  /**
   * Removes the entry from L1 and L2; true if either held one.
   *
   * @return true if L1 or L2 held an entry
   */
  boolean invalidate();

  /**
   * True if the value is cached in L1 or L2; changes neither statistics nor LRU order.
   *
   * @return true if a value is cached in either layer
   */
  boolean contains();

  /**
   * Computes the value anew, stores it in both layers and returns it.
   *
   * @return the newly computed value, now stored in both layers
   */
  R refresh();

  /**
   * Invalidates the tags this function gives its call (its {@code tags(...)}), in its
   * backend and in this process's L1s; false if it has none or the backend did not take it.
   *
   * @return true if the backend took the tag invalidation; false without tags
   */
  boolean invalidateTags();

  /**
   * Invalidates the prefix this function gives its call: every entry under it, in one
   * backend command; false if it has no prefix or the backend did not take it.
   *
   * @return true if the backend took the prefix invalidation; false without a prefix
   */
  boolean invalidatePrefix();

  /**
   * The original function: calling it bypasses the cache and changes no statistics.
   *
   * @return the function this one caches, to call without caching
   */
  Supplier<R> uncached();
}
