package io.tiercache;

import io.tiercache.backend.Backend;
import io.tiercache.backend.ForwardingBackend;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A backend that holds one chosen call at a chosen step until the test releases it, so a test can
 * drive an exact interleaving of the engine's steps (read L2, write L2, delete from L2) against an
 * invalidation, with no sleeps: the test {@linkplain #arm arms} a {@link Pause} for the next call of
 * one kind on a matching key, waits until a thread {@linkplain Pause#awaitReached reached} it, does
 * what the interleaving needs, then {@linkplain Pause#release releases} it.
 *
 * <p>Three steps: {@link Step#BEFORE} holds the calling thread before the delegate is called (the
 * command has not reached the store); {@link Step#AFTER} holds it after the delegate answered (the
 * command took effect, its caller has not seen the answer); {@link Step#DEFERRED} returns at once
 * with a stage that is still pending and calls the delegate only on release, on the releasing
 * thread (a slow command: the engine's {@code l2Timeout} applies, unlike with the two others, which
 * hold the thread inside the call).
 *
 * <p>Every wait is bounded (10 s) and fails loudly. A pause that holds a thread for that long gives
 * up, lets the call through and is recorded; {@link #releaseAllAndCheck()} (for {@code @AfterEach})
 * releases whatever a failed test left held and reports such give-ups. Everything else is
 * forwarded, the channel included, so two {@code TierCache}s sharing the delegate stay coherent.
 */
final class PausingBackend extends ForwardingBackend {
  /** How long any wait of this class lasts before it fails. */
  static final Duration BOUND = Duration.ofSeconds(10);

  /** The kinds of call a pause can catch. */
  enum Op {
    /** {@code get}, or {@code getMany} with a matching key among its keys. */
    READ,
    /** {@code set}, or {@code setMany} with a matching key. */
    SET,
    /** {@code delete}. */
    DELETE
  }

  /** Where a caught call is held. */
  enum Step {
    BEFORE,
    AFTER,
    DEFERRED
  }

  private final List<Pause> armed = new CopyOnWriteArrayList<>();
  private final List<Pause> caught = new CopyOnWriteArrayList<>();
  private final List<String> gaveUp = new CopyOnWriteArrayList<>();

  PausingBackend(Backend delegate) {
    super(delegate);
  }

  /**
   * Arms a pause for the next call of {@code op} on a key {@code keys} accepts; it catches one call
   * only, then disarms itself.
   */
  Pause arm(Op op, Step step, Predicate<String> keys) {
    Pause pause = new Pause(Objects.requireNonNull(op, "op"), Objects.requireNonNull(step, "step"),
        Objects.requireNonNull(keys, "keys"));
    armed.add(pause);
    return pause;
  }

  /** A key filter for {@link #arm}: every key of the function (or tag) whose L2 key contains {@code part}. */
  static Predicate<String> containing(String part) {
    return key -> key.contains(part);
  }

  /** Releases every held call and disarms the rest; fails if a pause had to give up on its own. */
  void releaseAllAndCheck() {
    armed.clear();
    for (Pause pause : caught) {
      pause.release();
    }
    if (!gaveUp.isEmpty()) {
      throw new AssertionError("pauses never released by the test: " + gaveUp);
    }
  }

  @Override
  public CompletionStage<byte[]> get(String key) {
    return through(Op.READ, List.of(key), () -> delegate().get(key));
  }

  @Override
  public CompletionStage<Map<String, byte[]>> getMany(Collection<String> keys) {
    return through(Op.READ, keys, () -> delegate().getMany(keys));
  }

  @Override
  public CompletionStage<Void> set(String key, byte[] value, Duration ttl) {
    return through(Op.SET, List.of(key), () -> delegate().set(key, value, ttl));
  }

  @Override
  public CompletionStage<Void> setMany(Map<String, byte[]> entries, Duration ttl) {
    return through(Op.SET, entries.keySet(), () -> delegate().setMany(entries, ttl));
  }

  @Override
  public CompletionStage<Boolean> delete(String key) {
    return through(Op.DELETE, List.of(key), () -> delegate().delete(key));
  }

  @Override
  public String describe() {
    return "pausing(" + delegate().describe() + ")";
  }

  private <T> CompletionStage<T> through(Op op, Collection<String> keys, Supplier<CompletionStage<T>> call) {
    Pause pause = take(op, keys);
    if (pause == null) {
      return call.get();
    }
    switch (pause.step) {
      case BEFORE -> {
        pause.hold();
        return call.get();
      }
      case AFTER -> {
        CompletionStage<T> answer = call.get();
        pause.hold();
        return answer;
      }
      default -> {
        CompletableFuture<T> pending = new CompletableFuture<>();
        pause.defer(() -> call.get().whenComplete((value, failure) -> {
          if (failure != null) {
            pending.completeExceptionally(failure);
          } else {
            pending.complete(value);
          }
        }), pending);
        return pending;
      }
    }
  }

  /** The armed pause this call triggers (removed from the armed ones), or null. */
  private Pause take(Op op, Collection<String> keys) {
    for (Pause pause : armed) {
      if (pause.op != op) {
        continue;
      }
      for (String key : keys) {
        if (pause.keys.test(key) && armed.remove(pause)) {
          pause.key = key;
          caught.add(pause);
          return pause;
        }
      }
    }
    return null;
  }

  /** One armed pause; see {@link PausingBackend}. */
  final class Pause {
    private final Op op;
    private final Step step;
    private final Predicate<String> keys;
    private final CountDownLatch reached = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private volatile String key;
    private volatile Runnable deferred;

    private Pause(Op op, Step step, Predicate<String> keys) {
      this.op = op;
      this.step = step;
      this.keys = keys;
    }

    /** The key of the call it caught (for a batch, the first matching key), or null. */
    String key() {
      return key;
    }

    /** Whether a call reached it. */
    boolean reached() {
      return reached.getCount() == 0;
    }

    /** Waits (at most 10 s) until a call reached it; fails loudly if none did. */
    void awaitReached() {
      if (!await(reached)) {
        throw new AssertionError("no " + op + " call reached the pause " + step + " it");
      }
    }

    /**
     * Lets the held call go on (a deferred one is sent to the delegate now, on this thread); a
     * pause that caught nothing yet is disarmed instead. Idempotent.
     */
    void release() {
      if (!reached()) {
        armed.remove(this);
      }
      released.countDown();
      Runnable send;
      synchronized (this) {
        send = deferred;
        deferred = null;
      }
      if (send != null) {
        send.run();
      }
    }

    /** Waits (at most 10 s) until the caught call's own stage completed after release. */
    void awaitDone() {
      try {
        done.get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        throw new AssertionError("the " + op + " held at " + step + " did not complete", e);
      }
    }

    private void hold() {
      reached.countDown();
      if (!await(released)) {
        gaveUp.add(op + " " + step + " " + key);
      }
      done.complete(null);
    }

    private synchronized void defer(Runnable send, CompletableFuture<?> pending) {
      pending.whenComplete((v, f) -> done.complete(null));
      if (released.getCount() == 0) {
        reached.countDown();
        send.run();
        return;
      }
      deferred = send;
      reached.countDown();
    }

    private boolean await(CountDownLatch latch) {
      try {
        return latch.await(BOUND.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }
}
