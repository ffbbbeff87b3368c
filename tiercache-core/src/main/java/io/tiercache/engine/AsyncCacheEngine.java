package io.tiercache.engine;

import io.tiercache.coherence.InvalidationMessage;
import io.tiercache.engine.EntryPlanner.Plan;
import io.tiercache.engine.L1Admission.Ticket;
import io.tiercache.expiry.ExpiryTimer;
import io.tiercache.expiry.Scheduler;
import io.tiercache.flight.AsyncFlight;
import io.tiercache.flight.AsyncFlights;
import io.tiercache.key.ArgsKey;
import io.tiercache.local.L1Store;
import io.tiercache.local.LruStore;
import io.tiercache.tag.TagStamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
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
 * L1 at their deadlines through one {@link ExpiryTimer}.
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
public final class AsyncCacheEngine<R> extends AbstractEngine<R> {
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
    Call call = new Call(key, args, plan, flight, admissionTicket, compute, false);
    if (l2 == null) {
      counters.l2Miss();
      call.guarded(() -> call.compute(Optional.of(List.of()), new HashMap<>()));
    } else {
      continueWith(l2.readAsync(plan.l2Key(), plan.tagKeys()), call::afterRead, call);
    }
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
    Call call = new Call(key, args, plan, flight, admissionTicket, compute, true);
    if (l2 == null || plan.tagKeys().isEmpty()) {
      call.guarded(() -> call.compute(Optional.of(List.of()), new HashMap<>()));
    } else {
      Map<String, Long> versions = new HashMap<>();
      continueWith(l2.stampsAsync(plan.tagKeys(), versions), before -> call.compute(before, versions), call);
    }
    return ticket.future();
  }

  /**
   * Runs {@code next} with the value of {@code stage}: at once if it is complete (an in-memory L2),
   * else on the executor, so neither the function nor decoding ever runs on a backend's thread.
   */
  private <T> void continueWith(CompletableFuture<T> stage, Consumer<T> next, Call call) {
    if (stage.isDone()) {
      call.guarded(() -> next.accept(stage.join()));
    } else {
      stage.thenAcceptAsync(value -> call.guarded(() -> next.accept(value)), executor)
          .whenComplete((ignored, refused) -> {
            if (refused != null) { // the executor refused the step (shut down): fail, never hang
              call.end(null, refused);
            }
          });
    }
  }

  /** One leader's way through L2, the function and the stores. */
  private final class Call {
    final ArgsKey key;
    final Object[] args;
    final Plan plan;
    final AsyncFlight<R> flight;
    final Ticket ticket;
    final Supplier<? extends CompletionStage<R>> compute;
    final boolean refresh;
    /** The lease this call holds (it leads: computes and stores), or null. */
    private LeaseGate.Outcome held;

    Call(ArgsKey key, Object[] args, Plan plan, AsyncFlight<R> flight, Ticket ticket,
        Supplier<? extends CompletionStage<R>> compute, boolean refresh) {
      this.key = key;
      this.args = args;
      this.plan = plan;
      this.flight = flight;
      this.ticket = ticket;
      this.compute = compute;
      this.refresh = refresh;
    }

    /** Runs a step; whatever it throws is the flight's failure (never a lost flight). */
    void guarded(Runnable step) {
      try {
        step.run();
      } catch (Throwable failure) {
        end(null, failure);
      }
    }

    /** Lets the lease go (once the L2 write {@code after} is done, if any); does nothing twice. */
    void releaseLease(CompletionStage<?> after) {
      LeaseGate.Outcome leased = held;
      if (leased != null) {
        held = null;
        lease.release(leased.leaseKey(), leased.token(), after);
      }
    }

    /** Ends the call: the lease goes, the flight ends and its callers get the outcome. */
    void end(R value, Throwable failure) {
      releaseLease(null);
      finish(key, flight, value, failure);
    }

    /** Ends a call nobody waits for any more (every caller left). */
    void abandon() {
      releaseLease(null);
      flights.end(key, flight);
    }

    void afterRead(L2Tier.Read read) {
      if (flight.isCancelled()) {
        abandon();
        return;
      }
      if (read.found() == null && lease != null && !read.failed()) {
        continueWith(lease.acquireAsync(plan.l2Key(), () -> l2.readAsync(plan.l2Key(), plan.tagKeys()), scheduler),
            outcome -> afterLease(read, outcome), this);
        return;
      }
      afterReads(read);
    }

    void afterLease(L2Tier.Read first, LeaseGate.Outcome outcome) {
      if (outcome.kind() == LeaseGate.Kind.LEAD) {
        held = outcome;
      }
      if (flight.isCancelled()) {
        abandon();
        return;
      }
      afterReads(outcome.read() != null ? outcome.read() : first);
    }

    void afterReads(L2Tier.Read read) {
      L2Tier.Found found = read.found();
      if (found != null) {
        counters.l2Hit();
        Set<String> tagKeys = new LinkedHashSet<>(plan.tagKeys());
        found.stamps().forEach(stamp -> tagKeys.add(stamp.key()));
        @SuppressWarnings("unchecked")
        R value = (R) found.value();
        storeInL1(value, tagKeys, deadlineOf(found.expiresAtMillis()), false);
        end(value, null);
        return;
      }
      counters.l2Miss();
      Map<String, Long> versions = read.versions();
      if (plan.tagKeys().isEmpty()) {
        compute(Optional.of(List.of()), versions);
      } else { // tag versions captured before computing, as the synchronous engine does
        continueWith(l2.stampsAsync(plan.tagKeys(), versions), before -> compute(before, versions), this);
      }
    }

    void compute(Optional<List<TagStamp>> before, Map<String, Long> versions) {
      if (flight.isCancelled()) {
        abandon();
        return;
      }
      CompletionStage<R> stage;
      flight.startingOn(Thread.currentThread());
      try {
        stage = started(compute);
      } finally {
        flight.startingOn(null);
      }
      CompletableFuture<R> running = stage.toCompletableFuture();
      flight.computing(running);
      running.whenComplete((value, failure) -> {
        if (failure != null) {
          end(null, failure);
        } else {
          guarded(() -> store(value, before, versions));
        }
      });
    }

    void store(R value, Optional<List<TagStamp>> before, Map<String, Long> versions) {
      if (value == null && !cacheNulls) {
        if (refresh && !flight.isStale()) { // the entry refreshed to "nothing": drop the old one
          invalidateEntryWhenDeleted(key, plan.l2Key()).whenComplete((ignored, failure) -> end(null, null));
        } else {
          end(null, null);
        }
        return;
      }
      Set<String> tagKeys = planner.tagKeysWithResult(plan, args, value);
      Duration lifetime = planner.lifetime(args); // the clock starts now, as the value is complete
      if (l2 == null || before.isEmpty() || flight.isStale()) {
        storeBoth(value, tagKeys, lifetime, Optional.empty());
        return;
      }
      List<String> afterKeys = new ArrayList<>(tagKeys);
      afterKeys.removeAll(plan.tagKeys());
      continueWith(l2.stampsAsync(afterKeys, versions), after -> storeBoth(value, tagKeys, lifetime,
          after.map(stamps -> {
            List<TagStamp> all = new ArrayList<>(before.get());
            all.addAll(stamps);
            return all;
          })), this);
    }

    void storeBoth(R value, Set<String> tagKeys, Duration lifetime, Optional<List<TagStamp>> stamps) {
      long expiresAtMillis = lifetime == null ? 0 : time.currentTimeMillis() + lifetime.toMillis();
      long deadline = lifetime == null ? LruStore.NEVER : time.nanoTime() + lifetime.toNanos();
      CompletableFuture<?> written = null;
      if (l2 != null && stamps.isPresent()) {
        written = admission.startWriteIf(ticket, () -> !flight.isStale(),
            () -> l2.write(plan.l2Key(), value, lifetime, expiresAtMillis, stamps.get()));
      }
      if (refresh && written != null) {
        // a refresh's value enters L1 only once L2 has it, so a later miss cannot read the old one there
        CompletableFuture<?> landed = written;
        landed.whenComplete((ignored, failure) -> guarded(() -> finishStore(value, tagKeys, deadline, landed)));
      } else {
        finishStore(value, tagKeys, deadline, written);
      }
    }

    private void finishStore(R value, Set<String> tagKeys, long deadline, CompletableFuture<?> written) {
      boolean stored = storeInL1(value, tagKeys, deadline, written != null);
      if (!stored && refresh && !closed) {
        // another refresh or an invalidation came while we computed: whatever either layer holds may
        // be older than what the caller of this refresh has changed, so it must not outlive us
        invalidateEntryWhenDeleted(key, plan.l2Key()).whenComplete((ignored, failure) -> {
          releaseLease(written);
          end(value, null);
        });
        return;
      }
      if (!stored && written != null) {
        l2.deleteQuietly(plan.l2Key()); // an invalidation came while we computed: take it back
      }
      if (refresh && l2 != null) {
        publishRefresh(); // after the new value is in L2, so that a peer that drops its copy reads it
      }
      releaseLease(written); // once the value is in L2, so a process that finds the lease free finds it
      end(value, null);
    }

    /** Stores in L1 unless an invalidation came since the call began; false if one came. */
    boolean storeInL1(R value, Set<String> tagKeys, long deadline, boolean writtenToL2) {
      Object stored = l1 == null ? null
          : planner.l1Value(CompletableFuture.completedFuture(value), plan.l2Key(), tagKeys);
      long capped = admission.deadline(ticket, deadline);
      BooleanSupplier fresh = () -> !closed && !flight.isStale();
      boolean valid = refresh
          ? admission.putAndFenceIf(l1, key, stored, capped, ticket, writtenToL2, fresh)
          : admission.putIf(l1, key, stored, capped, ticket, writtenToL2, fresh);
      if (valid && l1 != null && capped != LruStore.NEVER) {
        timer.expireBy(capped); // (after a flush, a purge that finds nothing due)
      }
      return valid;
    }

    void publishRefresh() {
      registry.publish(l2.backend(), InvalidationMessage.refresh(plan.l2Key()));
    }
  }

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

  /**
   * Removes the entry for {@code key} from both layers and detaches its flight (callers already
   * waiting still get its outcome; it is not stored).
   *
   * @return whether there was an entry, finished or in flight, in L1, L2 or this process's flights
   */
  public boolean invalidate(ArgsKey key, Object[] args) {
    return invalidateEntry(key, planner.plan(key, args).l2Key(), () -> flights.detach(key));
  }

  /**
   * Whether a finished, live value for {@code key} is in L1 or L2; a computation in flight does
   * not count (as for the synchronous function). Touches no statistics or order.
   */
  public boolean contains(ArgsKey key, Object[] args) {
    return (l1 != null && l1.peek(key) != null) || isInL2(key, args);
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
