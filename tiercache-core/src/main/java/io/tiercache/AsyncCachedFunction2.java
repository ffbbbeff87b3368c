package io.tiercache;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;

/**
 * A cached asynchronous function of two arguments; see {@link AsyncCachedFunction0} for how calls
 * share computations, hits, cancellation and failures.
 *
 * @param <A> the first argument type
 * @param <B> the second argument type
 * @param <R> the result type
 */
public interface AsyncCachedFunction2<A, B, R> extends BiFunction<A, B, CompletableFuture<R>>, AsyncCacheHandle {

  /**
   * Removes the entry for these arguments from L1 and L2 and forgets its computation in flight
   * (whose callers still get its outcome); true if any was there.
   */
  boolean invalidate(A a, B b);

  /**
   * True if a finished value for these arguments is cached in L1 or L2 (a computation in flight does
   * not count, as for a synchronous function); changes no statistics or order.
   */
  boolean contains(A a, B b);

  /**
   * Computes the value for these arguments anew (reading neither layer) and stores it in both,
   * superseding a computation in flight; callers that arrive meanwhile share the refresh.
   */
  CompletableFuture<R> refresh(A a, B b);

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
  BiFunction<A, B, ? extends CompletionStage<R>> uncached();
}
