package io.tiercache.internal.expiry;

import io.tiercache.SchedulingTimeSource;
import java.util.function.LongSupplier;

/**
 * Purges one L1 of its expired entries at their deadlines, with at most one task scheduled at a
 * time: the one for the earliest deadline known. The purge returns the next deadline left in the
 * store, and the timer schedules itself for it. So expired entries leave L1 (and its size) without
 * a call, and a store of a million entries costs one scheduled task, not a million.
 */
public final class ExpiryTimer {
  /** A deadline meaning "none". */
  public static final long NONE = Long.MAX_VALUE;

  private final Scheduler scheduler;
  private final LongSupplier purge;
  private long scheduledAt = NONE;
  private SchedulingTimeSource.Scheduled pending;
  private boolean stopped;

  /**
   * @param scheduler where the purge runs
   * @param purge drops expired entries and returns the earliest deadline left, or {@link #NONE}
   */
  public ExpiryTimer(Scheduler scheduler, LongSupplier purge) {
    this.scheduler = scheduler;
    this.purge = purge;
  }

  /** Makes sure a purge runs by {@code deadlineNanos}; called when an entry with it is stored. */
  public void expireBy(long deadlineNanos) {
    if (deadlineNanos == NONE) {
      return;
    }
    SchedulingTimeSource.Scheduled replaced;
    synchronized (this) {
      if (stopped || (scheduledAt != NONE && scheduledAt - deadlineNanos <= 0)) {
        return;
      }
      replaced = pending;
      scheduledAt = deadlineNanos;
      pending = null;
    }
    if (replaced != null) {
      replaced.cancel();
    }
    SchedulingTimeSource.Scheduled task = scheduler.schedule(deadlineNanos, () -> fire(deadlineNanos));
    synchronized (this) {
      if (scheduledAt == deadlineNanos && pending == null && !stopped) {
        pending = task;
        return;
      }
    }
    task.cancel(); // superseded, or already fired, while we scheduled it
  }

  private void fire(long deadlineNanos) {
    synchronized (this) {
      if (scheduledAt != deadlineNanos || stopped) {
        return;
      }
      pending = null;
      scheduledAt = NONE;
    }
    long next = purge.getAsLong();
    expireBy(next);
  }

  /** Cancels the pending purge and schedules nothing more. */
  public void stop() {
    SchedulingTimeSource.Scheduled cancelled;
    synchronized (this) {
      stopped = true;
      cancelled = pending;
      pending = null;
      scheduledAt = NONE;
    }
    if (cancelled != null) {
      cancelled.cancel();
    }
  }

  /** Whether a purge is scheduled (for tests). */
  public synchronized boolean isScheduled() {
    return pending != null;
  }
}
