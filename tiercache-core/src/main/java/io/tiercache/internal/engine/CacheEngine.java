package io.tiercache.internal.engine;

import io.tiercache.internal.engine.EntryPlanner.Plan;
import io.tiercache.internal.engine.L1Admission.Ticket;
import io.tiercache.internal.flight.Flight;
import io.tiercache.internal.flight.SingleFlight;
import io.tiercache.internal.key.ArgsKey;
import io.tiercache.internal.local.L1Store;
import io.tiercache.internal.local.LruStore;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The two-layer engine of one cached function: L1 lookup, single-flight, L2 read, compute, write
 * back. The handles ({@link CachedFunctions}) build the {@link ArgsKey} and call
 * {@link #getIfPresent} (the hit path, this engine's own) and, on a miss, {@link #load}, which
 * goes through the miss path both engines share ({@link Miss}), waiting for each of its stages on
 * the caller's thread and computing there.
 *
 * <p>Nothing invalidated is served again: a leader takes a {@link Ticket} before it reads anything
 * and attaches it to its flight; every invalidation fences its key (or tags) before its L2 command
 * and again after it landed, then drops the L1 entries. A computation whose ticket a fence voided
 * starts no L2 write, stores nothing in L1, and is joined by no later caller (its own callers still
 * get its result). A refresh fences the key as its value enters L1, once L2 has it. So after an
 * invalidation or a refresh returns, no call that starts later in this process gets a value
 * computed before it ({@code docs/architecture.md} has the protocol and why each step is there).
 *
 * <p>Across processes, the backend's invalidation channel carries each invalidation once its L2
 * command has landed; another process's message fences the key there before it drops the entry,
 * and what is stored while the channel does not deliver lives at most the channel's bound from
 * the computation's start. None of this touches the hit path.
 *
 * @param <R> the result type
 */
final class CacheEngine<R> extends AbstractEngine<R> {
  /** What {@link #getIfPresent} returns on a miss. */
  public static final Object ABSENT = new Object();
  /** How a cached null result is held in L1. */
  private static final Object NULL = new Object();

  private final SingleFlight<ArgsKey> flights = new SingleFlight<>();

  CacheEngine(FunctionSpec<R> spec, L2Tier<R> l2, LeaseGate lease) {
    super(spec, l2, lease);
    registry.register(this);
  }

  /**
   * The L1 hit path: the stored value (see {@link #unmask}) or {@link #ABSENT}. Counts an L1 hit
   * when found; a miss is counted by {@link #load}.
   */
  public Object getIfPresent(ArgsKey key) {
    if (l1 != null) {
      L1Store.Entry<Object> node = l1.get(key);
      if (node != null) {
        counters.l1Hit();
        Object stored = node.value();
        return marksEntries ? ((L1Entry) stored).value() : stored;
      }
    }
    return ABSENT;
  }

  /** The result a value returned by {@link #getIfPresent} stands for. */
  @SuppressWarnings("unchecked")
  public static <R> R unmask(Object stored) {
    return stored == NULL ? null : (R) stored;
  }

  private static Object mask(Object value) {
    return value == null ? NULL : value;
  }

  /**
   * The miss path: join the computation in flight for {@code key}, if it may still be joined, or
   * lead a new one.
   *
   * @param args the call's actual arguments (an instance method's receiver first), for the
   *     function's declarations
   */
  public R load(ArgsKey key, Object[] args, Supplier<R> compute) {
    Flight flight = flights.begin(key, f -> joinable(f.attachment()));
    if (flight.claimLead()) {
      return lead(key, args, flight, compute);
    }
    if (flight.isLedByCurrentThread()) {
      // the function called itself with its own arguments: waiting would be waiting for itself,
      // and so would waiting for a lease its own flight holds
      Plan plan = plan(key, args);
      counters.l1Miss();
      return readOrCompute(new Miss<>(this, key, args, plan, admission.ticket(plan.l2Key()), ALWAYS, false, false),
          compute);
    }
    counters.l1Hit();
    return unmask(flight.await());
  }

  /**
   * A key-value cache's look-up once {@link #getIfPresent} missed (the caller's hit path allocates
   * no arguments): L2, never computing and never joining a computation in flight. The ticket is
   * taken before L2 is read, as on any miss, so a value read from L2 enters L1 only if no
   * invalidation came meanwhile. Counts an L1 miss and an L2 hit or miss (no L2: the L1 miss only).
   *
   * @return the stored value (see {@link #unmask}) or {@link #ABSENT}
   */
  public Object lookupMissed(ArgsKey key, Object[] args) {
    Plan plan = plan(key, args); // refuses a key with no stable encoding before anything counts
    counters.l1Miss();
    if (l2 == null) {
      return ABSENT;
    }
    Miss<R> miss = new Miss<>(this, key, args, plan, admission.ticket(plan.l2Key()), ALWAYS, false, false);
    L2Tier.Read read = miss.read(NEVER).join();
    if (read.found() != null) {
      return mask(miss.found(read.found()));
    }
    counters.l2Miss();
    return ABSENT;
  }

  private static final BooleanSupplier ALWAYS = () -> true;
  private static final BooleanSupplier NEVER = () -> false;
  private static final CompletableFuture<Object> DONE = CompletableFuture.completedFuture(null);

  private R lead(ArgsKey key, Object[] args, Flight flight, Supplier<R> compute) {
    try {
      Plan plan = plan(key, args); // refuses arguments with no stable encoding before anything counts
      // the ticket comes before anything is read, L1 included: an invalidation after it keeps later
      // callers out of this flight, whatever it found
      Ticket ticket = admission.ticket(plan.l2Key());
      flight.attach(ticket);
      Object stored = getQuietly(key);
      if (stored != ABSENT) { // stored by the flight that ended between our L1 miss and now
        counters.l1Hit();
        flight.succeed(stored);
        return unmask(stored);
      }
      counters.l1Miss();
      R value = readOrCompute(new Miss<>(this, key, args, plan, ticket, () -> !flight.isStale(), false, true),
          compute);
      flight.succeed(mask(value));
      return value;
    } catch (Throwable failure) {
      flight.fail(failure);
      throw failure;
    } finally {
      flights.end(key, flight);
    }
  }

  private Object getQuietly(ArgsKey key) {
    L1Store.Entry<Object> node = l1 == null ? null : l1.get(key);
    if (node == null) {
      return ABSENT;
    }
    return marksEntries ? ((L1Entry) node.value()).value() : node.value();
  }

  private Plan plan(ArgsKey key, Object[] args) {
    return planner.plan(key, args);
  }

  /**
   * The {@link Miss} path, with the function computed here, on the caller's thread: L2 (and the
   * lease), then the function; stores what it gets unless an invalidation came meanwhile. Every
   * step's stage is complete when it returns ({@link #then} waits), and whatever the function or a
   * declaration throws reaches the caller as it is.
   */
  private R readOrCompute(Miss<R> miss, Supplier<R> compute) {
    L2Tier.Read read = miss.read(NEVER).join();
    CompletableFuture<?> written = null;
    try {
      if (read.found() != null) {
        return miss.found(read.found());
      }
      L2Tier.Snapshot before = miss.missed(read).join(); // tag versions captured before computing
      R value = compute.get();
      written = miss.store(value, before).join();
      return value;
    } finally {
      miss.releaseLease(written);
    }
  }

  @Override
  <T, U> CompletableFuture<U> then(CompletableFuture<T> stage, Function<? super T, ? extends CompletableFuture<U>> next) {
    return next.apply(stage.join()); // the stage never fails, and its backend steps are bounded
  }

  @Override
  <T, U> CompletableFuture<U> leaseThen(CompletableFuture<T> stage,
      Function<? super T, ? extends CompletableFuture<U>> next) {
    return then(stage, next); // on the caller's thread
  }

  @Override
  CompletableFuture<Boolean> pause(long nanos) { // the caller's thread sleeps
    try {
      time.sleep(Duration.ofNanos(nanos));
      return SLEPT;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return INTERRUPTED;
    }
  }

  private static final CompletableFuture<Boolean> SLEPT = CompletableFuture.completedFuture(true);
  private static final CompletableFuture<Boolean> INTERRUPTED = CompletableFuture.completedFuture(false);

  @Override
  CompletableFuture<?> landing(ArgsKey key, String l2Key, CompletableFuture<?> written) {
    if (!l2.awaitLanding(written, "write of " + l2Key)) {
      // L1 takes the value now, yet L2 has it only once the write lands: a miss meanwhile may read
      // the old one from L2, so the L1 copies go again when it lands
      written.whenComplete((ignored, failure) -> invalidateL1Copies(key, l2Key));
    }
    return DONE;
  }

  @Override
  CompletableFuture<?> dropOvertaken(ArgsKey key, String l2Key) {
    invalidateEntry(key, l2Key, () -> false);
    return DONE;
  }

  @Override
  Object l1Form(R value) {
    return mask(value);
  }

  @Override
  boolean detachFlight(ArgsKey key) {
    flights.detach(key);
    return false; // a synchronous computation in flight is no entry
  }

  /**
   * Computes anew and stores in both layers, superseding any computation in flight: after it
   * returns, no call that starts later gets a value computed before it began. A computation that
   * began before it stores nothing (the key is fenced first), its L2 write lands before its L1
   * store, and the L1 store fences the key again, so nothing read before the write is stored
   * after it. An invalidation that comes while it computes wins: nothing is stored. Published to
   * the other processes once the new value is in L2.
   */
  public R refresh(ArgsKey key, Object[] args, Supplier<R> compute) {
    Plan plan = plan(key, args);
    registry.fenceKey(KeyHash.of(plan.l2Key()));
    flights.detach(key);
    Miss<R> miss = new Miss<>(this, key, args, plan, admission.ticket(plan.l2Key()), ALWAYS, true, false);
    L2Tier.Snapshot before = miss.snapshot(L2Tier.nothing()).join();
    R value = compute.get();
    miss.store(value, before).join();
    return value;
  }

  /** Empties L1 and resets the statistics; computations in flight will not store their results. */
  @Override
  public void cacheClear() {
    flights.detachAll();
    clearL1AndStatistics();
  }

  /** How many computations are in flight (for tests of leaks). */
  public int inFlight() {
    return flights.size();
  }
}
