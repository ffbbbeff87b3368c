package io.tiercache;

import java.util.concurrent.CompletableFuture;

/**
 * What every async cached function offers beside calling it: statistics and clearing as for any
 * cached function, and closing, as async-lru's {@code cache_close()}.
 *
 * <p>Statistics follow the synchronous functions: a call served from L1 or that joins a
 * computation already in flight for its arguments is an L1 hit; every other call is an L1 miss and
 * then an L2 hit or an L2 miss.
 */
public interface AsyncCacheHandle extends CacheHandle, AutoCloseable {

  /**
   * Empties this function's L1 and resets its statistics. Computations in flight are forgotten,
   * not cancelled: the callers already waiting for them still get their outcomes, which are not
   * stored; later calls start afresh.
   */
  @Override
  void cacheClear();

  /**
   * Closes the function at once: computations in flight are cancelled (every caller waiting for
   * one sees a {@link java.util.concurrent.CancellationException}), L1 is emptied, and later calls
   * fail with an {@link IllegalStateException}. L2 is shared and stays. A second close does
   * nothing.
   */
  @Override
  void close();

  /**
   * Closes the function. Calls are refused at once. With {@code wait}, computations in flight run
   * to the end and their callers get their outcomes (which are not stored); without it, they are
   * cancelled as by {@link #close()}. L1 is emptied.
   *
   * @param wait true to let computations in flight finish, false to cancel them
   * @return completes when nothing is in flight any more; a second close returns the first one's
   */
  CompletableFuture<Void> close(boolean wait);

  /**
   * Whether the function was closed: calls now fail with an {@link IllegalStateException}.
   *
   * @return true once {@code close} was called
   */
  boolean isClosed();
}
