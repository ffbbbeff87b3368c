package io.tiercache;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link TimeSource} that moves only when told to: for tests and simulations of expiry without
 * sleeping. Both clocks advance together, by {@link #advance} or by {@link #sleep}. Thread-safe.
 */
public final class ManualTimeSource implements TimeSource {
  private final AtomicLong nanos = new AtomicLong();
  private final long epochMillisAtStart;

  /** Starts at an arbitrary fixed wall-clock instant (2026-01-01T00:00:00Z). */
  public ManualTimeSource() {
    this(1_767_225_600_000L);
  }

  /** Starts at the given wall-clock instant. */
  public ManualTimeSource(long epochMillisAtStart) {
    this.epochMillisAtStart = epochMillisAtStart;
  }

  /** Moves both clocks forward; a negative duration is an error. */
  public void advance(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("time only moves forward; got " + duration);
    }
    nanos.addAndGet(duration.toNanos());
  }

  /**
   * Advances both clocks by {@code duration} instead of sleeping, so waiting code (a lease waiting
   * for another process) reaches its deadline at once; yields the processor to let other threads
   * move.
   *
   * @throws InterruptedException if the thread is interrupted
   */
  @Override
  public void sleep(Duration duration) throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    advance(duration);
    Thread.yield();
  }

  @Override
  public long nanoTime() {
    return nanos.get();
  }

  @Override
  public long currentTimeMillis() {
    return epochMillisAtStart + nanos.get() / 1_000_000;
  }
}
