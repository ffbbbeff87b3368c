package io.tiercache;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.backend.InMemoryBackend;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import jdk.jfr.Event;
import jdk.jfr.Name;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A sync cached function called from virtual threads. The code is compiled for Java 17, where
 * virtual threads do not exist, so they are started through reflection; this class runs only in
 * the {@code virtual-threads} surefire execution of tiercache-core, which Maven turns on from JDK
 * 24 (the first JDK where a virtual thread that blocks while holding a monitor no longer pins its
 * carrier, JEP 491). {@code scripts/test} runs the suite again on JDK 25 and fails if this class
 * did not run there, so it is never skipped silently.
 */
class VirtualThreadsTest {
  private static final int THREADS = 10_000;
  private static final Method OF_VIRTUAL;
  private static final Method NAME;
  private static final Method START;

  static {
    try {
      OF_VIRTUAL = Thread.class.getMethod("ofVirtual");
      Class<?> builder = Class.forName("java.lang.Thread$Builder");
      NAME = builder.getMethod("name", String.class);
      START = builder.getMethod("start", Runnable.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(
          "VirtualThreadsTest needs JDK 24 or newer (virtual threads), running on "
              + Runtime.version() + ": " + e);
    }
  }

  private final TierCache cache =
      TierCache.builder().backend("default", InMemoryBackend.create()).build();

  @BeforeAll
  static void needsJdk24() {
    assertThat(Runtime.version().feature())
        .as("this test belongs to the JDK 24+ execution only").isGreaterThanOrEqualTo(24);
  }

  private static Thread startVirtual(String name, Runnable task) {
    try {
      return (Thread) START.invoke(NAME.invoke(OF_VIRTUAL.invoke(null), name), task);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("could not start a virtual thread", e);
    }
  }

  private static void joinAll(List<Thread> threads) throws InterruptedException {
    for (Thread thread : threads) {
      thread.join(TimeUnit.SECONDS.toMillis(10));
      assertThat(thread.isAlive()).as("%s finished within 10 s", thread).isFalse();
    }
  }

  /**
   * Starts {@code count} virtual threads named {@code prefix-i} that each call {@code f} with 7,
   * and returns them once every one of them is parked (waiting on the flight of the leader).
   */
  private static List<Thread> parkedCallers(String prefix, int count, CachedFunction1<Integer, Object> f,
      AtomicReferenceArray<Object> results, int offset) {
    List<Thread> threads = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int slot = offset + i;
      threads.add(startVirtual(prefix + "-" + i, () -> results.set(slot, f.apply(7))));
    }
    Latches.until(() -> threads.stream().allMatch(t -> t.getState() == Thread.State.WAITING
        || t.getState() == Thread.State.TIMED_WAITING), count + " callers parked on the flight");
    return threads;
  }

  /** A cached function whose computation counts itself and waits until released. */
  private static final class Blocking {
    final AtomicInteger computations = new AtomicInteger();
    final CountDownLatch leaderInside = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final CachedFunction1<Integer, Object> f;

    Blocking(TierCache cache, String name) {
      f = cache.function(name, Object.class).of((Integer x) -> {
        computations.incrementAndGet();
        leaderInside.countDown();
        Latches.await(release);
        return List.of("value", x);
      });
    }

    /**
     * The miss path under contention: a virtual thread {@code prefix-leader} computes key 7 (and
     * parks inside the computation) while {@code joiners} more join its flight; then all finish.
     * Results go to {@code results[0 .. joiners]}.
     */
    void missWithJoiners(String prefix, int joiners, AtomicReferenceArray<Object> results)
        throws InterruptedException {
      List<Thread> threads = new ArrayList<>();
      threads.add(startVirtual(prefix + "-leader", () -> results.set(0, f.apply(7))));
      Latches.await(leaderInside);
      threads.addAll(parkedCallers(prefix + "-joiner", joiners, f, results, 1));
      release.countDown();
      joinAll(threads);
    }
  }

  @Test
  void tenThousandVirtualThreadsOnOneKeyComputeOnce() throws InterruptedException {
    Blocking blocking = new Blocking(cache, "vt");
    AtomicReferenceArray<Object> results = new AtomicReferenceArray<>(THREADS);
    blocking.missWithJoiners("caller", THREADS - 1, results);

    assertThat(blocking.computations).hasValue(1);
    Object first = results.get(0);
    assertThat(first).isEqualTo(List.of("value", 7));
    for (int i = 1; i < THREADS; i++) {
      assertThat(results.get(i)).as("result of caller %d", i).isSameAs(first);
    }
  }

  /** Committed after the work; once the stream has delivered it, it has delivered all before it. */
  @Name("io.tiercache.test.EndOfWork")
  static final class EndOfWork extends Event {}

  /** Parks in its static initializer: a virtual thread that loads it pins its carrier (JDK 25 too). */
  static final class ParksInInitializer {
    static {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }

    static void load() {}
  }

  /**
   * The miss path (a leader computes, parking inside the computation, while 100 callers join its
   * flight) and then the hit path (1,000 virtual threads find the value in L1), on a function of
   * its own; asserts one computation and one shared result.
   */
  private void exerciseMissAndHits(String name) throws InterruptedException {
    Blocking blocking = new Blocking(cache, name);
    AtomicReferenceArray<Object> results = new AtomicReferenceArray<>(1 + 100 + 1_000);
    blocking.missWithJoiners(name + "-miss", 100, results);
    List<Thread> hitting = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      int slot = 101 + i;
      hitting.add(startVirtual(name + "-hit-" + i, () -> results.set(slot, blocking.f.apply(7))));
    }
    joinAll(hitting);
    assertThat(blocking.computations).hasValue(1);
    for (int i = 1; i < results.length(); i++) {
      assertThat(results.get(i)).as("result %d", i).isSameAs(results.get(0));
    }
  }

  /**
   * JEP 491 lets a virtual thread unmount while it waits for a monitor, but not while the JVM loads
   * or initialises a class: the first caller to touch a class (Flight's failure record,
   * CompletableFuture's waiter) pins while others contend for its initialisation lock. That is the
   * JDK's, once per class per JVM, not the cache's; so the paths run once before the recording
   * starts, and the recording then sees only what every later call does.
   */
  @Test
  void theHitAndMissPathsNeverPinTheCarrier() throws InterruptedException {
    exerciseMissAndHits("vt-pin-warmup");
    List<String> pinnedThreads = new CopyOnWriteArrayList<>();
    List<RecordedEvent> pinned = new CopyOnWriteArrayList<>();
    CountDownLatch delivered = new CountDownLatch(1);
    try (RecordingStream stream = new RecordingStream()) {
      stream.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
      stream.enable(EndOfWork.class);
      stream.onEvent("jdk.VirtualThreadPinned", e -> {
        pinned.add(e);
        pinnedThreads.add(e.getThread().getJavaName());
      });
      stream.onEvent("io.tiercache.test.EndOfWork", e -> delivered.countDown());
      stream.startAsync();

      // the control: the recording sees a pinned park (else zero below would prove nothing)
      Thread control = startVirtual("pinning-control", ParksInInitializer::load);
      joinAll(List.of(control));

      // the paths under test, now with every class they touch already loaded
      exerciseMissAndHits("vt-pin");

      new EndOfWork().commit();
      assertThat(delivered.await(10, TimeUnit.SECONDS)).as("the JFR stream delivered the work's events").isTrue();
    }
    assertThat(pinnedThreads).as("the control pinned").contains("pinning-control");
    List<RecordedEvent> inCache = pinned.stream()
        .filter(e -> !"pinning-control".equals(e.getThread().getJavaName())).toList();
    assertThat(inCache).as("carrier pinned on the hit or miss path").isEmpty();
  }
}
