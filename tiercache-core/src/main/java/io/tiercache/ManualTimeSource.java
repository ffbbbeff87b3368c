package io.tiercache;

import java.time.Duration;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link TimeSource} that moves only when told to: for tests and simulations of expiry without
 * sleeping. Both clocks advance together, by {@link #advance} or by {@link #sleep}. Tasks {@linkplain #schedule scheduled} on it run on the
 * thread that calls {@link #advance}, in deadline order, once the clock reaches their deadline.
 * Thread-safe.
 */
public final class ManualTimeSource implements SchedulingTimeSource {
  private final AtomicLong nanos = new AtomicLong();
  private final long epochMillisAtStart;
  private final PriorityQueue<Task> tasks = new PriorityQueue<>();
  private long sequence;

  /** Starts at an arbitrary fixed wall-clock instant (2026-01-01T00:00:00Z). */
  public ManualTimeSource() {
    this(1_767_225_600_000L);
  }

  /**
   * Starts at the given wall-clock instant.
   *
   * @param epochMillisAtStart the wall-clock time at start, in milliseconds since the epoch
   */
  public ManualTimeSource(long epochMillisAtStart) {
    this.epochMillisAtStart = epochMillisAtStart;
  }

  /**
   * Moves both clocks forward, then runs every scheduled task whose deadline has come, on this
   * thread; a negative duration is an error.
   *
   * @param duration how far both clocks move; not negative
   */
  public void advance(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("time only moves forward; got " + duration);
    }
    nanos.addAndGet(duration.toNanos());
    runDueTasks();
  }

  @Override
  public Scheduled schedule(long deadlineNanos, Runnable task) {
    Task scheduled;
    synchronized (tasks) {
      scheduled = new Task(deadlineNanos, sequence++, task);
      tasks.add(scheduled);
    }
    if (deadlineNanos - nanos.get() <= 0) {
      runDueTasks();
    }
    return scheduled;
  }

  /**
   * How many scheduled tasks have not run and were not cancelled (for tests of leaks).
   *
   * @return the number of tasks still scheduled
   */
  public int pendingTasks() {
    synchronized (tasks) {
      return (int) tasks.stream().filter(t -> !t.cancelled).count();
    }
  }

  private void runDueTasks() {
    while (true) {
      Task due;
      synchronized (tasks) {
        due = tasks.peek();
        if (due == null || due.deadline - nanos.get() > 0) {
          return;
        }
        tasks.poll();
      }
      if (!due.cancelled) {
        due.task.run();
      }
    }
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

  private final class Task implements Scheduled, Comparable<Task> {
    final long deadline;
    final long order;
    final Runnable task;
    volatile boolean cancelled;

    Task(long deadline, long order, Runnable task) {
      this.deadline = deadline;
      this.order = order;
      this.task = task;
    }

    @Override
    public void cancel() {
      cancelled = true;
      synchronized (tasks) {
        tasks.remove(this);
      }
    }

    @Override
    public int compareTo(Task other) {
      int byDeadline = Long.compare(deadline - other.deadline, 0);
      return byDeadline != 0 ? byDeadline : Long.compare(order, other.order);
    }
  }
}
