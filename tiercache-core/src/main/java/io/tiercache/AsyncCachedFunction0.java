package io.tiercache;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * A cached asynchronous function of no arguments. {@link #get()} returns the cached future, or
 * joins the computation in flight, or starts one: concurrent callers share one computation.
 *
 * <p>A hit returns the stored, completed future itself, shared by every caller (do not
 * {@code obtrudeValue} it). A caller that joins or starts a computation gets a future of its own:
 * cancelling it (or completing it first otherwise, as {@code orTimeout} does) lets that caller go,
 * and cancels the computation only once every caller waiting for it has gone. A failed
 * computation is never cached.
 *
 * @param <R> the result type
 */
public interface AsyncCachedFunction0<R> extends Supplier<CompletableFuture<R>>, AsyncCacheHandle {

  /**
   * Removes the entry from L1 and L2 and forgets a computation in flight; true if any was there.
   *
   * @return true if an entry in L1 or L2, or a computation in flight, was there
   */
  boolean invalidate();

  /**
   * True if a finished value is cached in L1 or L2 (a computation in flight does not count, as for
   * a synchronous function); changes no statistics or order.
   *
   * @return true if a finished value is cached in either layer
   */
  boolean contains();

  /**
   * Computes the value anew (reading neither layer) and stores it in both, superseding a
   * computation in flight; callers that arrive meanwhile share the refresh.
   *
   * @return completes with the newly computed value once it is stored, or with the computation's
   *   failure
   */
  CompletableFuture<R> refresh();

  /**
   * Invalidates the tags this function gives a call with no arguments (its {@code tags(...)}), in its
   * backend and in this process's L1s; false if it has none or the backend did not take it.
   *
   * @return true if the backend took the tag invalidation; false without tags
   */
  boolean invalidateTags();

  /**
   * Invalidates the prefix this function gives a call with no arguments: every entry under it, in one
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
  Supplier<? extends CompletionStage<R>> uncached();
}
