package io.tiercache;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Bounded waits for test latches, usable inside cached functions (no checked exceptions). */
final class Latches {
  private Latches() {}

  /** Waits up to 10 s for {@code latch}; fails loudly if it is never released. */
  static void await(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("test latch never released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
