package io.tiercache.redis;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition that a background activity makes true (never asserts on time). */
final class Eventually {
  private Eventually() {}

  /** Polls {@code condition} every 10 ms; fails with {@code what} if it is still false after {@code max}. */
  static void waitFor(String what, Duration max, BooleanSupplier condition) {
    long deadline = System.nanoTime() + max.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("still not true after " + max + ": " + what);
      }
      sleep(Duration.ofMillis(10));
    }
  }

  static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
