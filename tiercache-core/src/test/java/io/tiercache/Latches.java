package io.tiercache;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Bounded waits for test latches, usable inside cached functions (no checked exceptions). */
public final class Latches {
  private Latches() {}

  /** Waits up to 10 s for {@code latch}; fails loudly if it is never released. */
  public static void await(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("test latch never released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Waits up to 10 s for {@code condition} (checked every millisecond), for a state no latch can
   * signal, such as a caller having joined a computation inside the engine; fails loudly, naming
   * {@code what}, if it never holds.
   */
  public static void until(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("waited 10 s for: " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
  }
}
