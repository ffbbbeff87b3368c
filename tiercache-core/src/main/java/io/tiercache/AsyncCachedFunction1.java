package io.tiercache;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * A cached asynchronous function of one argument; see {@link AsyncCachedFunction0} for how calls
 * share computations, hits, cancellation and failures.
 *
 * @param <A> the argument type
 * @param <R> the result type
 */
public interface AsyncCachedFunction1<A, R> extends Function<A, CompletableFuture<R>>, AsyncCacheHandle {

  /**
   * Removes the entry for this argument from L1 and L2 and forgets its computation in flight (whose
   * callers still get its outcome); true if any was there.
   */
  boolean invalidate(A a);

  /**
   * True if a finished value for this argument is cached in L1 or L2 (a computation in flight does
   * not count, as for a synchronous function); changes no statistics or order.
   */
  boolean contains(A a);

  /**
   * Computes the value for this argument anew (reading neither layer) and stores it in both,
   * superseding a computation in flight; callers that arrive meanwhile share the refresh.
   */
  CompletableFuture<R> refresh(A a);

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
  Function<A, ? extends CompletionStage<R>> uncached();
}
