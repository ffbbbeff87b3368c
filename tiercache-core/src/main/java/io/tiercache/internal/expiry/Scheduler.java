package io.tiercache.internal.expiry;

import io.tiercache.SchedulingTimeSource;
import io.tiercache.TimeSource;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs tasks at deadlines of a {@link TimeSource}'s monotonic clock, for one {@code TierCache}:
 * through the time source itself when it is a {@link SchedulingTimeSource} (tests drive it by
 * advancing the clock), otherwise on one daemon thread, started on first use and let go when idle
 * for a second. Never a thread per task or per entry.
 */
public final class Scheduler {
  private final TimeSource time;
  private final SchedulingTimeSource scheduling;
  private ScheduledThreadPoolExecutor executor;

  /** A scheduler reading deadlines against {@code time}. */
  public Scheduler(TimeSource time) {
    this.time = time;
    this.scheduling = time instanceof SchedulingTimeSource s ? s : null;
  }

  /** The clock deadlines are read against. */
  public TimeSource time() {
    return time;
  }

  /** Runs {@code task} once {@code time.nanoTime()} reaches {@code deadlineNanos}. */
  public SchedulingTimeSource.Scheduled schedule(long deadlineNanos, Runnable task) {
    if (scheduling != null) {
      return scheduling.schedule(deadlineNanos, task);
    }
    long delay = Math.max(0, deadlineNanos - time.nanoTime());
    ScheduledFuture<?> future = executor().schedule(task, delay, TimeUnit.NANOSECONDS);
    return () -> future.cancel(false);
  }

  private synchronized ScheduledThreadPoolExecutor executor() {
    if (executor == null) {
      ScheduledThreadPoolExecutor created = new ScheduledThreadPoolExecutor(1, runnable -> {
        Thread thread = new Thread(runnable, "tiercache-expiry");
        thread.setDaemon(true);
        return thread;
      });
      created.setRemoveOnCancelPolicy(true);
      created.setKeepAliveTime(1, TimeUnit.SECONDS);
      created.allowCoreThreadTimeOut(true);
      executor = created;
    }
    return executor;
  }
}
