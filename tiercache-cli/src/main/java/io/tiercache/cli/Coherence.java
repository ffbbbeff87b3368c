package io.tiercache.cli;

import io.tiercache.TierCache;
import java.time.Duration;

/** Waiting for a {@code TierCache}'s invalidation channel before acting on it. */
final class Coherence {
  private Coherence() {}

  /**
   * Waits at most {@code timeout} until every channel of {@code cache} delivers; true at once for a
   * cache without channels.
   */
  static boolean awaitDelivering(TierCache cache, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!cache.coherence().delivering()) {
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
}
