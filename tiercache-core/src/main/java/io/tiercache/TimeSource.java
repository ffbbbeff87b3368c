package io.tiercache;

/**
 * Where a cache reads time: a monotonic clock for L1 expiry and a wall clock for the expiry stamped
 * into L2 entries (which other processes read). Injected so tests and simulations control time.
 */
public interface TimeSource {

  /** Monotonic nanoseconds, as {@link System#nanoTime()}; only differences are meaningful. */
  long nanoTime();

  /** Milliseconds since the epoch, as {@link System#currentTimeMillis()}. */
  long currentTimeMillis();

  /** The JVM's clocks. */
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
