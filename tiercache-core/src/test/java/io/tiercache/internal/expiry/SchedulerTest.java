package io.tiercache.internal.expiry;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.ManualTimeSource;
import io.tiercache.SchedulingTimeSource;
import io.tiercache.TimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The scheduler of expiry: driven by a {@link ManualTimeSource}, or by one daemon thread. */
class SchedulerTest {

  @Test
  void aManualClockRunsDueTasksInDeadlineOrderWhenAdvanced() {
    ManualTimeSource clock = new ManualTimeSource();
    Scheduler scheduler = new Scheduler(clock);
    List<String> ran = new ArrayList<>();
    scheduler.schedule(300, () -> ran.add("c"));
    scheduler.schedule(100, () -> ran.add("a"));
    SchedulingTimeSource.Scheduled cancelled = scheduler.schedule(200, () -> ran.add("cancelled"));
    scheduler.schedule(200, () -> ran.add("b"));
    cancelled.cancel();
    assertThat(clock.pendingTasks()).isEqualTo(3);
    clock.advance(Duration.ofNanos(99));
    assertThat(ran).isEmpty();
    clock.advance(Duration.ofNanos(101));
    assertThat(ran).containsExactly("a", "b");
    clock.advance(Duration.ofSeconds(1));
    assertThat(ran).containsExactly("a", "b", "c");
    scheduler.schedule(0, () -> ran.add("past")); // a deadline already passed runs at once
    assertThat(ran).containsExactly("a", "b", "c", "past");
    assertThat(clock.pendingTasks()).isZero();
  }

  @Test
  void anExpiryTimerKeepsOneTaskForTheEarliestDeadline() {
    ManualTimeSource clock = new ManualTimeSource();
    List<Long> deadlines = new ArrayList<>(List.of(500L, 900L));
    AtomicInteger purges = new AtomicInteger();
    ExpiryTimer timer = new ExpiryTimer(new Scheduler(clock), () -> {
      purges.incrementAndGet();
      deadlines.removeIf(d -> d <= clock.nanoTime());
      return deadlines.isEmpty() ? ExpiryTimer.NONE : deadlines.get(0);
    });
    timer.expireBy(900);
    timer.expireBy(500); // earlier: replaces the task for 900
    timer.expireBy(700); // later than the one scheduled: nothing to do
    assertThat(clock.pendingTasks()).isEqualTo(1);
    clock.advance(Duration.ofNanos(500));
    assertThat(purges).hasValue(1);
    assertThat(timer.isScheduled()).isTrue(); // for 900, the next deadline the purge reported
    clock.advance(Duration.ofNanos(400));
    assertThat(purges).hasValue(2);
    assertThat(timer.isScheduled()).isFalse();
    timer.expireBy(1_000);
    timer.stop();
    assertThat(clock.pendingTasks()).isZero();
    timer.expireBy(2_000); // stopped: schedules nothing more
    assertThat(clock.pendingTasks()).isZero();
  }

  @Test
  void withAnyOtherClockTasksRunOnOneDaemonThread() throws InterruptedException {
    AtomicLong now = new AtomicLong();
    TimeSource real = new TimeSource() {
      @Override
      public long nanoTime() {
        return System.nanoTime();
      }

      @Override
      public long currentTimeMillis() {
        return now.get();
      }
    };
    Scheduler scheduler = new Scheduler(real);
    CountDownLatch ran = new CountDownLatch(2);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      scheduler.schedule(System.nanoTime() + 1_000_000, () -> {
        synchronized (threads) {
          threads.add(Thread.currentThread());
        }
        ran.countDown();
      });
    }
    assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(threads).hasSize(2);
    assertThat(threads.get(0)).isSameAs(threads.get(1));
    assertThat(threads.get(0).isDaemon()).isTrue();
    assertThat(threads.get(0).getName()).isEqualTo("tiercache-expiry");
  }
}
