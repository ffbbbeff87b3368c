package io.tiercache;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A cached asynchronous function of three arguments; see {@link AsyncCachedFunction0} for how calls
 * share computations, hits, cancellation and failures.
 *
 * @param <A> the first argument type
 * @param <B> the second argument type
 * @param <C> the third argument type
 * @param <R> the result type
 */
public interface AsyncCachedFunction3<A, B, C, R>
    extends TriFunction<A, B, C, CompletableFuture<R>>, AsyncCacheHandle {

  /**
   * Removes the entry for these arguments from L1 and L2 and forgets its computation in flight
   * (whose callers still get its outcome); true if any was there.
   *
   * @param a the first argument of the call
   * @param b the second argument of the call
   * @param c the third argument of the call
   * @return true if an entry in L1 or L2, or a computation in flight, was there
   */
  boolean invalidate(A a, B b, C c);

  /**
   * True if a finished value for these arguments is cached in L1 or L2 (a computation in flight does
   * not count, as for a synchronous function); changes no statistics or order.
   *
   * @param a the first argument of the call
   * @param b the second argument of the call
   * @param c the third argument of the call
   * @return true if a finished value is cached in either layer
   */
  boolean contains(A a, B b, C c);

  /**
   * Computes the value for these arguments anew (reading neither layer) and stores it in both,
   * superseding a computation in flight; callers that arrive meanwhile share the refresh.
   *
   * @param a the first argument of the call
   * @param b the second argument of the call
   * @param c the third argument of the call
   * @return completes with the newly computed value once it is stored, or with the computation's
   *   failure
   */
  CompletableFuture<R> refresh(A a, B b, C c);

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
  TriFunction<A, B, C, ? extends CompletionStage<R>> uncached();
}
