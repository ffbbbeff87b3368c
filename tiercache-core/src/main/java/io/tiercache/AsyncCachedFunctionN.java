package io.tiercache;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A cached asynchronous function of any number of arguments: the generic form behind
 * {@code @Cached} methods that return a {@link CompletableFuture} or {@link CompletionStage}. The
 * number of arguments is fixed when it is built and checked on every call. See
 * {@link AsyncCachedFunction0} for how calls share computations, hits, cancellation and failures.
 *
 * @param <R> the result type
 */
public interface AsyncCachedFunctionN<R> extends ArgsFunction<CompletableFuture<R>>, AsyncCacheHandle {

  /**
   * Calls the function through the cache; the same as {@link #apply(Object[])}.
   *
   * @param args the arguments of the call, in declaration order; exactly {@link #arity()} of them
   * @return completes with the cached or newly computed result, or with the computation's failure
   */
  default CompletableFuture<R> call(Object... args) {
    return apply(args);
  }

  /**
   * Removes the entry for these arguments from L1 and L2 and forgets its computation in flight
   * (whose callers still get its outcome); true if any was there.
   *
   * @param args the arguments of the call, in declaration order; exactly {@link #arity()} of them
   * @return true if an entry in L1 or L2, or a computation in flight, was there
   */
  boolean invalidate(Object... args);

  /**
   * True if a finished value for these arguments is cached in L1 or L2 (a computation in flight does
   * not count, as for a synchronous function); changes no statistics or order.
   *
   * @param args the arguments of the call, in declaration order; exactly {@link #arity()} of them
   * @return true if a finished value is cached in either layer
   */
  boolean contains(Object... args);

  /**
   * Computes the value for these arguments anew (reading neither layer) and stores it in both,
   * superseding a computation in flight; callers that arrive meanwhile share the refresh.
   *
   * @param args the arguments of the call, in declaration order; exactly {@link #arity()} of them
   * @return completes with the newly computed value once it is stored, or with the computation's
   *   failure
   */
  CompletableFuture<R> refresh(Object... args);

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
  ArgsFunction<? extends CompletionStage<R>> uncached();
}
