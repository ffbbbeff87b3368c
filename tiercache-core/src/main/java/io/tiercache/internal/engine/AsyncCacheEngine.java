package io.tiercache.internal.engine;

import io.tiercache.internal.engine.EntryPlanner.Plan;
import io.tiercache.internal.engine.L1Admission.Ticket;
import io.tiercache.internal.expiry.ExpiryTimer;
import io.tiercache.internal.expiry.Scheduler;
import io.tiercache.internal.flight.AsyncFlight;
import io.tiercache.internal.flight.AsyncFlights;
import io.tiercache.internal.key.ArgsKey;
import io.tiercache.internal.local.L1Store;
import io.tiercache.internal.local.LruStore;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The two-layer engine of one cached function whose results are {@link CompletableFuture}s: the
 * same layers, keys, tags and statistics as {@link CacheEngine}, with nothing waited for on the way.
 *
 * <p>L1 holds completed futures, so a hit returns the stored future itself: one map lookup, no
 * allocation. On a miss the first caller of a key leads a flight ({@link AsyncFlights}); callers
 * that arrive meanwhile join it, each with a future of its own (counted as L1 hits). The leader
 * reads L2 without waiting (a read that does not complete at once continues on the executor, never
 * on a backend's I/O thread), and on a miss starts the function. When the function's future
 * completes, the value is written to L2 (not awaited) and to L1, with its lifetime starting then,
 * and handed to every caller. A failure is handed to every caller and never stored. Entries leave
 * L1 at their deadlines through one {@link ExpiryTimer}. The way through the layers is the one
 * both engines share ({@link Miss}); this engine composes its stages and starts the function as
 * its flight's computation.
 *
 * <p>Nothing invalidated is served again, as in {@link CacheEngine}: the same tickets and fences;
 * an invalidation detaches the flight of its key (its callers still get its outcome, later callers
 * start afresh), and a flight whose ticket a fence voided is never joined or stored.
 *
 * <p>Coherence across processes works as in {@link CacheEngine}, through the same
 * {@link L1Admission}: this engine's invalidations are published once their backend command
 * completed (a refresh once its new value is in L2), and other processes' reach its L1.
 *
 * @param <R> the result type
 */
final class AsyncCacheEngine<R> extends AbstractEngine<R> {
  private final AsyncFlights<ArgsKey, R> flights = new AsyncFlights<>();
  private final Executor executor;
  private final Scheduler scheduler;
  private final ExpiryTimer timer;
  private volatile boolean closed;
  private CompletableFuture<Void> closing;

  AsyncCacheEngine(FunctionSpec<R> spec, L2Tier<R> l2, LeaseGate lease, AsyncContext context) {
    super(spec, l2, lease);
    this.executor = context.executor();
    this.scheduler = context.scheduler();
    this.timer = l1 == null ? null : new ExpiryTimer(context.scheduler(), l1::purgeExpired);
    registry.register(this);
  }

  /**
   * The L1 hit path: the stored, completed future, or null on a miss. Counts an L1 hit when found;
   * a miss is counted by {@link #load}.
   */
  @SuppressWarnings("unchecked")
  public CompletableFuture<R> getIfPresent(ArgsKey key) {
    if (l1 != null) {
      L1Store.Entry<Object> node = l1.get(key);
      if (node != null) {
        counters.l1Hit();
        Object stored = node.value();
        return (CompletableFuture<R>) (marksEntries ? ((L1Entry) stored).value() : stored);
      }
    }
    return null;
  }

  /**
   * The miss path: joins the flight for {@code key}, or leads a new one.
   *
   * @param args the call's actual arguments (an instance method's receiver first)
   * @param compute starts the function; called at most once, only by the leader
   * @return the caller's own future (cancelling it lets only this caller go)
   * @throws IllegalStateException if the function was closed
   */
  public CompletableFuture<R> load(ArgsKey key, Object[] args, Supplier<? extends CompletionStage<R>> compute) {
    checkOpen();
    AsyncFlights.Ticket<R> ticket = flights.begin(key, f -> joinable(f.attachment()));
    if (!ticket.leads()) {
      if (ticket.future() == null) { // the function calls itself with its own arguments as it starts
        try {
          planner.plan(key, args); // refuses arguments with no stable encoding before anything counts
          counters.l1Miss();
          counters.l2Miss();
          return started(compute).toCompletableFuture();
        } catch (RuntimeException | Error e) {
          return CompletableFuture.failedFuture(e);
        }
      }
      counters.l1Hit();
      return ticket.future();
    }
    AsyncFlight<R> flight = ticket.flight();
    if (closed) { // closed between the check and the flight: it would never be cancelled
      flight.cancel(closedWhileWaiting());
      checkOpen();
    }
    Plan plan;
    try {
      plan = planner.plan(key, args); // refuses arguments with no stable encoding before anything counts
    } catch (RuntimeException e) {
      finish(key, flight, null, e);
      return ticket.future();
    }
    // the ticket comes before anything is read, L1 included: an invalidation after it keeps later
    // callers out of this flight, whatever it found
    Ticket admissionTicket = admission.ticket(plan.l2Key());
    flight.attach(admissionTicket);
    CompletableFuture<R> stored = getQuietly(key);
    if (stored != null) { // stored by a flight that ended between our L1 miss and now
      counters.l1Hit();
      flights.end(key, flight);
      flight.succeed(stored.join());
      return stored;
    }
    counters.l1Miss();
    new Call(new Miss<>(this, key, args, plan, admissionTicket, () -> !closed && !flight.isStale(), false, true),
        flight, compute).load();
    return ticket.future();
  }

  /**
   * Computes anew, skipping both layers' reads, and stores the result in both, superseding any
   * computation in flight (its callers still get its outcome, which is not stored). Callers that
   * arrive meanwhile join the refresh. Changes no statistics. A null result that is not cached
   * removes the entry.
   *
   * @throws IllegalStateException if the function was closed
   */
  public CompletableFuture<R> refresh(ArgsKey key, Object[] args, Supplier<? extends CompletionStage<R>> compute) {
    checkOpen();
    Plan plan;
    try {
      plan = planner.plan(key, args);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    // computations that began before store nothing and are joined by nobody (see CacheEngine.refresh)
    registry.fenceKey(KeyHash.of(plan.l2Key()));
    AsyncFlights.Ticket<R> ticket = flights.replace(key);
    AsyncFlight<R> flight = ticket.flight();
    Ticket admissionTicket = admission.ticket(plan.l2Key());
    flight.attach(admissionTicket);
    new Call(new Miss<>(this, key, args, plan, admissionTicket, () -> !closed && !flight.isStale(), true, false),
        flight, compute).refresh();
    return ticket.future();
  }

  @Override
  <T, U> CompletableFuture<U> then(CompletableFuture<T> stage, Function<? super T, ? extends CompletableFuture<U>> next) {
    if (stage.isDone()) { // an in-memory L2: no hop
      return applied(next, stage.join());
    }
    CompletableFuture<U> result = new CompletableFuture<>();
    stage.thenAcceptAsync(value -> relay(applied(next, value), result), executor)
        .whenComplete((ignored, refused) -> {
          if (refused != null) { // the executor refused the step (shut down): fail, never hang
            result.completeExceptionally(refused);
          }
        });
    return result;
  }

  /** {@code next} applied to {@code value}; what it throws fails the result, as it is. */
  private static <T, U> CompletableFuture<U> applied(Function<? super T, ? extends CompletableFuture<U>> next,
      T value) {
    try {
      return next.apply(value);
    } catch (Throwable failure) {
      return CompletableFuture.failedFuture(failure);
    }
  }

  /** Completes {@code to} as {@code from} completes, with its failure unwrapped by nothing. */
  private static <U> void relay(CompletableFuture<U> from, CompletableFuture<U> to) {
    from.whenComplete((value, failure) -> {
      if (failure == null) {
        to.complete(value);
      } else {
        to.completeExceptionally(failure);
      }
    });
  }

  /**
   * Each step of a lease goes on where the last completed (a backend's or the scheduler's thread:
   * no user code runs there); the {@link Miss} hops to the executor once the lease is decided.
   */
  @Override
  <T, U> CompletableFuture<U> leaseThen(CompletableFuture<T> stage,
      Function<? super T, ? extends CompletableFuture<U>> next) {
    return compose(stage, next);
  }

  @Override
  CompletableFuture<Boolean> pause(long nanos) { // scheduled: no thread is blocked
    CompletableFuture<Boolean> paused = new CompletableFuture<>();
    scheduler.schedule(time.nanoTime() + nanos, () -> paused.complete(true));
    return paused;
  }

  /** Runs {@code next} with the value of {@code stage} where it completes, without a hop. */
  private static <T, U> CompletableFuture<U> compose(CompletableFuture<T> stage,
      Function<? super T, ? extends CompletableFuture<U>> next) {
    if (stage.isDone()) {
      return applied(next, stage.join());
    }
    CompletableFuture<U> result = new CompletableFuture<>();
    stage.whenComplete((value, failure) -> {
      if (failure != null) {
        result.completeExceptionally(failure);
      } else {
        relay(applied(next, value), result);
      }
    });
    return result;
  }

  @Override
  CompletableFuture<?> landing(ArgsKey key, String l2Key, CompletableFuture<?> written) {
    return written;
  }

  @Override
  CompletableFuture<?> dropOvertaken(ArgsKey key, String l2Key) {
    return invalidateEntryWhenDeleted(key, l2Key);
  }

  @Override
  Object l1Form(R value) {
    return CompletableFuture.completedFuture(value);
  }

  @Override
  boolean isOpen() {
    return !closed;
  }

  @Override
  void expireBy(long deadline) {
    timer.expireBy(deadline); // (after a flush, a purge that finds nothing due)
  }

  /** One flight's {@link Miss}: the function started as the flight's computation, the outcome handed to its callers. */
  private final class Call {
    final Miss<R> miss;
    final AsyncFlight<R> flight;
    final Supplier<? extends CompletionStage<R>> compute;

    Call(Miss<R> miss, AsyncFlight<R> flight, Supplier<? extends CompletionStage<R>> compute) {
      this.miss = miss;
      this.flight = flight;
      this.compute = compute;
    }

    /** L2 (and the lease), then the function unless L2 had the value. */
    void load() {
      step(() -> after(miss.read(flight::isCancelled), read -> {
        if (flight.isCancelled()) {
          abandon();
        } else if (read.found() != null) {
          end(miss.found(read.found()), null);
        } else {
          return after(miss.missed(read), this::compute);
        }
        return DONE;
      }));
    }

    /** The function, skipping both layers' reads. */
    void refresh() {
      step(() -> after(miss.snapshot(L2Tier.nothing()), this::compute));
    }

    /**
     * Runs {@code next} with the value of a {@link Miss} step, where the step completes: it
     * completed through {@link #then}, on the executor or at once, so no further hop is needed.
     */
    private <T, U> CompletableFuture<U> after(CompletableFuture<T> step,
        Function<? super T, ? extends CompletableFuture<U>> next) {
      return compose(step, next);
    }

    /** Runs steps; whatever they throw, or an executor refuses, is the flight's failure (never a lost flight). */
    private void step(Supplier<CompletableFuture<?>> steps) {
      try {
        steps.get().whenComplete((ignored, failure) -> {
          if (failure != null) {
            end(null, failure);
          }
        });
      } catch (Throwable failure) {
        end(null, failure);
      }
    }

    private CompletableFuture<Object> compute(L2Tier.Snapshot before) {
      if (flight.isCancelled()) {
        abandon();
        return DONE;
      }
      CompletableFuture<R> running;
      try {
        flight.startingOn(Thread.currentThread());
        try {
          running = started(compute).toCompletableFuture();
        } finally {
          flight.startingOn(null);
        }
      } catch (Throwable failure) { // the function threw, or gave no stage: its callers see it as it is
        end(null, failure);
        return DONE;
      }
      flight.computing(running);
      running.whenComplete((value, failure) -> {
        if (failure != null) {
          end(null, failure);
        } else {
          step(() -> after(miss.store(value, before), written -> {
            miss.releaseLease(written); // once the value is in L2: a process that finds the lease free finds it
            end(value, null);
            return DONE;
          }));
        }
      });
      return DONE;
    }

    /** Ends the call: the lease goes, the flight ends and its callers get the outcome. */
    void end(R value, Throwable failure) {
      miss.releaseLease(null);
      finish(miss.key, flight, value, failure);
    }

    /** Ends a call nobody waits for any more (every caller left). */
    void abandon() {
      miss.releaseLease(null);
      flights.end(miss.key, flight);
    }
  }

  private static final CompletableFuture<Object> DONE = CompletableFuture.completedFuture(null);

  /** Calls the function; a null instead of a stage is an error naming the function. */
  private CompletionStage<R> started(Supplier<? extends CompletionStage<R>> compute) {
    CompletionStage<R> stage = compute.get();
    if (stage == null) {
      throw new NullPointerException("async cached function '" + name
          + "' returned null instead of a CompletionStage");
    }
    return stage;
  }

  /**
   * Ends the flight (later callers start afresh), then hands its outcome to its callers: a failure
   * exactly as the function's stage failed (as {@code whenComplete} on it sees it), never
   * unwrapped, so that every caller, leader or joiner, gets the same instance, a
   * {@link CompletionException} included, and sees what the uncached function's stage shows.
   */
  private void finish(ArgsKey key, AsyncFlight<R> flight, R value, Throwable failure) {
    flights.end(key, flight);
    if (failure == null) {
      flight.succeed(value);
    } else {
      flight.fail(failure);
    }
  }

  @SuppressWarnings("unchecked")
  private CompletableFuture<R> getQuietly(ArgsKey key) {
    L1Store.Entry<Object> node = l1 == null ? null : l1.get(key);
    if (node == null) {
      return null;
    }
    return (CompletableFuture<R>) (marksEntries ? ((L1Entry) node.value()).value() : node.value());
  }

  @Override
  boolean detachFlight(ArgsKey key) {
    return flights.detach(key);
  }

  /**
   * Empties L1 and forgets the flights (their callers still get their outcomes, which are not
   * stored), and resets the statistics.
   */
  @Override
  public void cacheClear() {
    flights.detachAll();
    clearL1AndStatistics();
  }

  /**
   * Closes the function: calls are refused from now on, L1 hits included (L1 is emptied before
   * this returns, and nothing enters it afterwards), the engine leaves the registry and its name
   * is free to be built again. Without {@code wait}, the computations in flight are cancelled
   * (their callers see a {@link CancellationException}); with it, they finish and their callers
   * get their outcomes, which are stored in neither layer (the flights are marked stale). The
   * future completes once nothing is in flight. A second close returns the first one's future.
   */
  public CompletableFuture<Void> close(boolean wait) {
    synchronized (this) {
      if (closing != null) {
        return closing;
      }
      closed = true; // before the flights are looked at: a leader that starts later sees it
      if (wait) {
        closing = flights.settled();
        flights.markAllStale();
      } else {
        flights.cancelAll(new CancellationException("async cached function '" + name + "' was closed"));
        closing = CompletableFuture.completedFuture(null);
      }
      release();
    }
    return closing;
  }

  /**
   * Empties L1 (a store racing this one is refused under L1's lock, as {@link #closed} is set),
   * stops the expiry timer and leaves the registry, which frees the name.
   */
  private void release() {
    if (l1 != null) {
      l1.clear();
      timer.stop();
    }
    registry.unregister(this);
  }

  /** Whether {@link #close} was called. */
  public boolean isClosed() {
    return closed;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("async cached function '" + name + "' is closed; build a new one");
    }
  }

  private CancellationException closedWhileWaiting() {
    return new CancellationException("async cached function '" + name + "' was closed");
  }

  /** How many computations are in flight (for tests of leaks). */
  public int inFlight() {
    return flights.size();
  }

  /** How many entries L1 holds, expired ones not yet purged included (for tests of expiry and leaks). */
  public int l1Held() {
    return l1 == null ? 0 : l1.heldEntries();
  }
}
