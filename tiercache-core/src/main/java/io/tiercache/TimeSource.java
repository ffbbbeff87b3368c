package io.tiercache;

/**
 * Where a cache reads time: a monotonic clock for L1 expiry and a wall clock for the expiry stamped
 * into L2 entries (which other processes read). Injected so tests and simulations control time.
 */
public interface TimeSource {

  /**
   * Monotonic nanoseconds, as {@link System#nanoTime()}; only differences are meaningful.
   *
   * @return the current monotonic time in nanoseconds
   */
  long nanoTime();

  /**
   * Milliseconds since the epoch, as {@link System#currentTimeMillis()}.
   *
   * @return the current wall-clock time
   */
  long currentTimeMillis();

  /**
   * Pauses the calling thread for {@code duration} on this clock: the system clock sleeps; a
   * {@link ManualTimeSource} advances itself instead, so code that waits (a lease waiting for
   * another process's result) runs without real delay in tests.
   *
   * @param duration how long to pause; nothing happens when not positive
   * @throws InterruptedException if the thread is interrupted
   */
  default void sleep(java.time.Duration duration) throws InterruptedException {
    long nanos = duration.toNanos();
    if (nanos > 0) {
      Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
    }
  }

  /**
   * The JVM's clocks.
   *
   * @return the clock backed by {@link System}
   */
  static TimeSource system() {
    return SystemTimeSource.INSTANCE;
  }
}

enum SystemTimeSource implements TimeSource {
  INSTANCE;

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public long currentTimeMillis() {
    return System.currentTimeMillis();
  }
}
