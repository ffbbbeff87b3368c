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
   */
  boolean invalidate(A a, B b, C c);

  /**
   * True if a finished value for these arguments is cached in L1 or L2 (a computation in flight does
   * not count, as for a synchronous function); changes no statistics or order.
   */
  boolean contains(A a, B b, C c);

  /**
   * Computes the value for these arguments anew (reading neither layer) and stores it in both,
   * superseding a computation in flight; callers that arrive meanwhile share the refresh.
   */
  CompletableFuture<R> refresh(A a, B b, C c);

  /**
   * Invalidates the tags this function gives a call with these arguments (its {@code tags(...)}), in its
   * backend and in this process's L1s; false if it has none or the backend did not take it.
   */
  boolean invalidateTags(A a, B b, C c);

  /**
   * Invalidates the prefix this function gives a call with these arguments: every entry under it, in one
   * backend command; false if it has no prefix or the backend did not take it.
   */
  boolean invalidatePrefix(A a, B b, C c);

  /** The original function: calling it bypasses the cache and changes no statistics. */
  TriFunction<A, B, C, ? extends CompletionStage<R>> uncached();
}
