package io.tiercache;

import java.util.function.Supplier;

/**
 * A cached function of no arguments. Calling {@link #get()} serves the cached value or computes it.
 *
 * @param <R> the result type
 */
public interface CachedFunction0<R> extends Supplier<R>, CacheHandle {

  /** Removes the entry from L1 and L2; true if either held one. */
  boolean invalidate();

  /** True if the value is cached in L1 or L2; changes neither statistics nor LRU order. */
  boolean contains();

  /** Computes the value anew, stores it in both layers and returns it. */
  R refresh();

  /** The original function: calling it bypasses the cache and changes no statistics. */
  Supplier<R> uncached();
}
