package io.tiercache.cli;

import io.tiercache.TierCache;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** The command line's bounded waits: for a connection, a channel, a subscription. */
final class Waits {
  private Waits() {}

  /**
   * Checks {@code condition} every few milliseconds until it holds or {@code timeout} has passed.
   *
   * @return whether it holds (false also when interrupted, with the interrupt flag kept)
   */
  static boolean until(Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  /** Waits at most {@code timeout} until every channel of {@code cache} delivers (at once without channels). */
  static boolean delivering(TierCache cache, Duration timeout) {
    return until(timeout, () -> cache.coherence().delivering());
  }
}
