package io.tiercache.engine;

import io.tiercache.coherence.InvalidationMessage;
import io.tiercache.engine.EntryPlanner.Plan;
import io.tiercache.engine.L1Admission.Ticket;
import io.tiercache.flight.Flight;
import io.tiercache.flight.SingleFlight;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The two-layer engine of one cached function: L1 lookup, single-flight, L2 read, compute, write
 * back. The handles ({@link CachedFunctions}) build the {@link ArgsKey} and call
 * {@link #getIfPresent} (the hit path) and, on a miss, {@link #load}.
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
public final class CacheEngine<R> extends AbstractEngine<R> {
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
      // the function called itself with its own arguments: waiting would be waiting for itself
      Plan plan = plan(key, args);
      counters.l1Miss();
      return readOrCompute(key, args, plan, admission.ticket(plan.l2Key()), compute, null);
    }
    counters.l1Hit();
    return unmask(flight.await());
  }

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
      R value = readOrCompute(key, args, plan, ticket, compute, flight);
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
   * L2, then the function; stores what it gets unless an invalidation came meanwhile. With a
   * lease, a miss first takes the lease or waits for its holder's result (not on a recursive call
   * with its own arguments, {@code flight == null}: it would wait for itself).
   */
  private R readOrCompute(ArgsKey key, Object[] args, Plan plan, Ticket ticket, Supplier<R> compute,
      Flight flight) {
    Map<String, Long> versions = new HashMap<>();
    LeaseGate.Outcome leased = null;
    if (l2 != null) {
      L2Tier.Read read = l2.read(plan.l2Key(), plan.tagKeys());
      if (read.found() == null && lease != null && flight != null && !read.failed()) {
        leased = lease.acquire(plan.l2Key(), () -> l2.read(plan.l2Key(), plan.tagKeys()));
        if (leased.read() != null) {
          read = leased.read();
        }
      }
      versions = read.versions();
      L2Tier.Found found = read.found();
      if (found != null) {
        counters.l2Hit();
        Set<String> tagKeys = new LinkedHashSet<>(plan.tagKeys());
        found.stamps().forEach(stamp -> tagKeys.add(stamp.key()));
        storeInL1(key, l1Value(found.value(), plan.l2Key(), tagKeys), deadlineOf(found.expiresAtMillis()),
            flight, ticket, false, false);
        return unmask(found.value());
      }
    }
    counters.l2Miss();
    boolean leading = leased != null && leased.kind() == LeaseGate.Kind.LEAD;
    CompletionStage<?> written = null;
    try {
      Optional<List<TagStamp>> before = Optional.of(List.of());
      if (l2 != null && !plan.tagKeys().isEmpty()) {
        before = l2.stamps(plan.tagKeys(), versions); // captured before computing
      }
      R value = compute.get();
      written = store(key, args, plan, value, flight, ticket, before, versions, false);
      return value;
    } finally {
      if (leading) {
        lease.release(leased.leaseKey(), leased.token(), written);
      }
    }
  }

  /**
   * Stores in both layers, if no invalidation came since {@code ticket} was taken.
   *
   * @param refresh whether a refresh stores: it waits (at most the L2 timeout) for L2 to take the
   *     value before it enters L1, and fences the key as it does (see {@link L1Admission#putAndFenceIf})
   * @return the L2 write, or null if nothing was written to L2
   */
  private CompletableFuture<?> store(ArgsKey key, Object[] args, Plan plan, R value, Flight flight, Ticket ticket,
      Optional<List<TagStamp>> before, Map<String, Long> versions, boolean refresh) {
    if (value == null && !cacheNulls) {
      return null;
    }
    Set<String> tagKeys = planner.tagKeysWithResult(plan, args, value);
    Duration lifetime = planner.lifetime(args);
    long expiresAtMillis = lifetime == null ? 0 : time.currentTimeMillis() + lifetime.toMillis();
    long deadline = lifetime == null ? LruStore.NEVER : time.nanoTime() + lifetime.toNanos();
    CompletableFuture<?> written = null;
    if (l2 != null && before.isPresent()) {
      List<String> afterKeys = new ArrayList<>(tagKeys);
      afterKeys.removeAll(plan.tagKeys());
      Optional<List<TagStamp>> after = l2.stamps(afterKeys, versions);
      if (after.isPresent()) {
        List<TagStamp> stamps = new ArrayList<>(before.get());
        stamps.addAll(after.get());
        written = admission.startWriteIf(ticket, () -> flight == null || !flight.isStale(),
            () -> l2.write(plan.l2Key(), value, lifetime, expiresAtMillis, stamps));
      }
    }
    if (refresh && written != null && !l2.awaitLanding(written, "write of " + plan.l2Key())) {
      // L1 takes the value only once L2 has it (a later miss must not read the old one from L2)
      written.whenComplete((ignored, failure) -> invalidateL1Copies(key, plan.l2Key()));
    }
    boolean stored = storeInL1(key, l1Value(value, plan.l2Key(), tagKeys), deadline, flight, ticket,
        written != null, refresh);
    if (!stored && refresh) {
      // another refresh or an invalidation came while we computed: whatever either layer holds may
      // be older than what the caller of this refresh has changed, so it must not outlive us
      invalidateEntry(key, plan.l2Key(), () -> false);
    } else if (!stored && written != null) {
      l2.deleteQuietly(plan.l2Key()); // an invalidation came while we computed: take back what we wrote
    }
    return written;
  }

  private Object l1Value(Object value, String l2Key, Set<String> tagKeys) {
    return planner.l1Value(mask(value), l2Key, tagKeys);
  }

  /**
   * Stores in L1 unless an invalidation came since the computation began.
   *
   * @param fence whether to fence the key as the value goes in (a refresh)
   * @return whether no invalidation came (false: a value written to L2 must be taken back)
   */
  private boolean storeInL1(ArgsKey key, Object value, long deadline, Flight flight, Ticket ticket,
      boolean writtenToL2, boolean fence) {
    BooleanSupplier fresh = () -> flight == null || !flight.isStale();
    long capped = admission.deadline(ticket, deadline);
    return fence
        ? admission.putAndFenceIf(l1, key, value, capped, ticket, writtenToL2, fresh)
        : admission.putIf(l1, key, value, capped, ticket, writtenToL2, fresh);
  }

  /**
   * Removes the entry for {@code key} (and any stored under the same L2 key) from both layers; see
   * {@link #invalidateEntry} for the order that keeps it from coming back.
   *
   * @return true if either layer held one
   */
  public boolean invalidate(ArgsKey key, Object[] args) {
    return invalidateEntry(key, plan(key, args).l2Key(), () -> {
      flights.detach(key);
      return false;
    });
  }

  /**
   * Whether a finished, live value for {@code key} is in L1 or L2; a computation in flight does
   * not count. Touches no statistics or order.
   */
  public boolean contains(ArgsKey key, Object[] args) {
    return (l1 != null && l1.peek(key) != null) || isInL2(key, args);
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
    Ticket ticket = admission.ticket(plan.l2Key());
    Map<String, Long> versions = new HashMap<>();
    Optional<List<TagStamp>> before = Optional.of(List.of());
    if (l2 != null && !plan.tagKeys().isEmpty()) {
      before = l2.stamps(plan.tagKeys(), versions);
    }
    R value = compute.get();
    if (value == null && !cacheNulls) {
      invalidateEntry(key, plan.l2Key(), () -> false);
      return null;
    }
    CompletableFuture<?> written = store(key, args, plan, value, null, ticket, before, versions, true);
    if (l2 != null) {
      // once the new value is in L2, so a peer that drops its copy reads it
      CompletableFuture<?> landed = written == null ? CompletableFuture.completedFuture(null) : written;
      landed.whenComplete((ignored, failure) ->
          registry.publish(l2.backend(), InvalidationMessage.refresh(plan.l2Key())));
    }
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
