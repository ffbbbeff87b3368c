package io.tiercache;

/**
 * A {@link TimeSource} that can also run a task when its monotonic clock reaches a deadline. When
 * a {@link TierCache} is given one, expiry of async cached functions is driven by it: entries leave
 * L1 at their deadline without a call and without a thread per entry. {@link ManualTimeSource} is
 * one, and runs due tasks on {@link ManualTimeSource#advance}, so tests of expiry are deterministic.
 * With any other {@code TimeSource}, the {@code TierCache} runs such tasks on one daemon thread of
 * its own.
 */
public interface SchedulingTimeSource extends TimeSource {

  /**
   * Runs {@code task} once {@link #nanoTime()} has reached {@code deadlineNanos} (at once, or on the
   * next chance, if it already has). Tasks must be short and must not throw.
   *
   * @param deadlineNanos when to run, on the {@link #nanoTime()} scale
   * @param task the short, non-throwing task to run
   * @return a handle that cancels the task if it has not run yet
   */
  Scheduled schedule(long deadlineNanos, Runnable task);

  /** A task waiting for its deadline. */
  interface Scheduled {
    /** Stops the task from running, if it has not run yet; does nothing otherwise. */
    void cancel();
  }
}
