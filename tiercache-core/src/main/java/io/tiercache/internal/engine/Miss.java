package io.tiercache.internal.engine;

import io.tiercache.coherence.InvalidationMessage;
import io.tiercache.internal.engine.EntryPlanner.Plan;
import io.tiercache.internal.engine.L1Admission.Ticket;
import io.tiercache.internal.key.ArgsKey;
import io.tiercache.internal.local.LruStore;
import io.tiercache.codec.TagStamp;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;

/**
 * One computation of one key that this process leads (a miss, or a refresh), and its way through
 * the layers, written once for both kinds of function: the L2 read, the stampede lease, the
 * tag-version snapshot taken before computing, the L2 write and the L1 store, each allowed only
 * while the {@link Ticket} taken before anything was read still holds.
 *
 * <p>Every step is a {@link CompletableFuture}, as the backend SPI is; how one step waits for the
 * stage of the previous one is the engine's ({@link AbstractEngine#then}): the synchronous engine
 * waits on the caller's thread (each backend stage is bounded by the L2 timeout) and goes on
 * there, the async engine composes without blocking. Every stage a step returns completes through
 * {@code then}, so what follows it runs where {@code then} says (never on a backend's thread),
 * and a driver may go on from it without another hop. The engine calls the function itself between
 * {@link #missed} (or {@link #snapshot}) and {@link #store}: the synchronous one on the caller's
 * thread, the async one as its flight's computation.
 *
 * @param <R> the result type
 */
final class Miss<R> {
  // what a function without L2 reads and snapshots, and a store that wrote nothing to L2: shared,
  // so that a miss of an L1-only function allocates no more than it must
  private static final CompletableFuture<L2Tier.Read> NO_L2_READ =
      CompletableFuture.completedFuture(new L2Tier.Read(null, Map.of()));
  private static final CompletableFuture<L2Tier.Snapshot> NO_L2_SNAPSHOT =
      CompletableFuture.completedFuture(new L2Tier.Snapshot(Optional.of(List.of()), Map.of()));
  private static final CompletableFuture<CompletableFuture<?>> NOT_WRITTEN = CompletableFuture.completedFuture(null);

  private final AbstractEngine<R> engine;
  final ArgsKey key;
  final Object[] args;
  final Plan plan;
  final Ticket ticket;
  /** The caller's own checks before anything is stored: its flight not stale, its engine open. */
  private final BooleanSupplier fresh;
  /** Whether this is a refresh (its value enters L1 once L2 has it, and fences the key as it does). */
  private final boolean refresh;
  /** Whether a miss in L2 may take the stampede lease (not for a function calling itself). */
  private final boolean mayLease;
  /** The lease this computation holds (it leads: computes and stores), or null. */
  private volatile LeaseGate.Outcome held;

  /**
   * @param ticket taken before anything was read, L1 included
   * @param fresh the caller's own checks, asked before every store
   */
  Miss(AbstractEngine<R> engine, ArgsKey key, Object[] args, Plan plan, Ticket ticket, BooleanSupplier fresh,
      boolean refresh, boolean mayLease) {
    this.engine = engine;
    this.key = key;
    this.args = args;
    this.plan = plan;
    this.ticket = ticket;
    this.fresh = fresh;
    this.refresh = refresh;
    this.mayLease = mayLease;
  }

  /**
   * Reads L2 (the entry and its tag versions); on a miss, takes the stampede lease or waits for
   * its holder's result, unless {@code cancelled} says nobody waits any more. Never fails.
   */
  CompletableFuture<L2Tier.Read> read(BooleanSupplier cancelled) {
    L2Tier<R> l2 = engine.l2;
    if (l2 == null) {
      return NO_L2_READ;
    }
    return engine.then(l2.read(plan.l2Key(), plan.tagKeys()), read -> {
      if (read.found() != null || engine.lease == null || !mayLease || read.failed() || cancelled.getAsBoolean()) {
        return CompletableFuture.completedFuture(read);
      }
      return engine.then(engine.acquireLease(plan.l2Key(), () -> l2.read(plan.l2Key(), plan.tagKeys())),
          outcome -> {
            if (outcome.kind() == LeaseGate.Kind.LEAD) {
              held = outcome;
            }
            return CompletableFuture.completedFuture(outcome.read() != null ? outcome.read() : read);
          });
    });
  }

  /** An L2 hit (counted): the value enters L1 if the ticket holds; returns it. */
  @SuppressWarnings("unchecked")
  R found(L2Tier.Found found) {
    engine.counters.l2Hit();
    Set<String> tagKeys = new LinkedHashSet<>(plan.tagKeys());
    found.stamps().forEach(stamp -> tagKeys.add(stamp.key()));
    R value = (R) found.value();
    storeInL1(value, tagKeys, engine.deadlineOf(found.expiresAtMillis()), false);
    return value;
  }

  /** An L2 miss (counted): the tag-version snapshot to take before computing. */
  CompletableFuture<L2Tier.Snapshot> missed(L2Tier.Read read) {
    engine.counters.l2Miss();
    return snapshot(read);
  }

  /**
   * The tag versions to stamp the result with, captured before computing, reusing those
   * {@code read} learnt ({@link L2Tier#nothing()} for a refresh, which reads nothing). Never fails.
   */
  CompletableFuture<L2Tier.Snapshot> snapshot(L2Tier.Read read) {
    if (engine.l2 == null) {
      return NO_L2_SNAPSHOT;
    }
    if (plan.tagKeys().isEmpty()) {
      return CompletableFuture.completedFuture(new L2Tier.Snapshot(Optional.of(List.of()), read.versions()));
    }
    return engine.then(engine.l2.snapshot(plan.tagKeys(), read), CompletableFuture::completedFuture);
  }

  /**
   * Stores the computed {@code value} in both layers, if no invalidation came since the ticket was
   * taken: starts the L2 write (stamped with {@code before} and the versions of the tags derived
   * from the value), then the L1 store; a refresh waits for the write to land first, and an
   * overtaken refresh (or one whose value is a null not cached) leaves the key empty.
   *
   * @return a stage of the L2 write (null if none was started), after which the lease may go
   */
  CompletableFuture<CompletableFuture<?>> store(R value, L2Tier.Snapshot before) {
    if (value == null && !engine.cacheNulls) {
      if (refresh && fresh.getAsBoolean()) { // the entry refreshed to "nothing": drop the old one
        return engine.then(engine.dropOvertaken(key, plan.l2Key()), ignored -> CompletableFuture.completedFuture(null));
      }
      return NOT_WRITTEN;
    }
    Set<String> tagKeys = engine.planner.tagKeysWithResult(plan, args, value);
    Duration lifetime = engine.planner.lifetime(args); // the clock starts now, as the value is complete
    if (engine.l2 == null || before.before().isEmpty() || !fresh.getAsBoolean()) {
      return write(value, tagKeys, lifetime, Optional.empty());
    }
    return engine.then(engine.l2.stampsFor(before, plan.tagKeys(), tagKeys),
        stamps -> write(value, tagKeys, lifetime, stamps));
  }

  private CompletableFuture<CompletableFuture<?>> write(R value, Set<String> tagKeys, Duration lifetime,
      Optional<List<TagStamp>> stamps) {
    long expiresAtMillis = lifetime == null ? 0 : engine.time.currentTimeMillis() + lifetime.toMillis();
    long deadline = lifetime == null ? LruStore.NEVER : engine.time.nanoTime() + lifetime.toNanos();
    CompletableFuture<?> written = null;
    if (stamps.isPresent()) {
      written = engine.admission.startWriteIf(ticket, fresh,
          () -> engine.l2.write(plan.l2Key(), value, lifetime, expiresAtMillis, stamps.get()));
      if (written != null) {
        engine.counters.l2Put();
      }
    }
    if (refresh && written != null) {
      // a refresh's value enters L1 only once L2 has it, so that a later miss cannot read the old one there
      CompletableFuture<?> landing = written;
      return engine.then(engine.landing(key, plan.l2Key(), written),
          ignored -> admit(value, tagKeys, deadline, landing));
    }
    return admit(value, tagKeys, deadline, written);
  }

  private CompletableFuture<CompletableFuture<?>> admit(R value, Set<String> tagKeys, long deadline,
      CompletableFuture<?> written) {
    boolean stored = storeInL1(value, tagKeys, deadline, written != null);
    if (!stored && refresh && engine.isOpen()) {
      // another refresh or an invalidation came while we computed: whatever either layer holds may
      // be older than what the caller of this refresh has changed, so it must not outlive us
      return engine.then(engine.dropOvertaken(key, plan.l2Key()), ignored -> CompletableFuture.completedFuture(written));
    }
    if (!stored && written != null) {
      engine.l2.deleteQuietly(plan.l2Key()); // an invalidation came while we computed: take back what we wrote
    }
    if (refresh && engine.l2 != null) {
      // once the new value is in L2, so that a peer that drops its copy reads it
      CompletableFuture<?> landed = written == null ? CompletableFuture.completedFuture(null) : written;
      landed.whenComplete((ignored, failure) ->
          engine.registry.publish(engine.l2.backend(), InvalidationMessage.refresh(plan.l2Key())));
    }
    return written == null ? NOT_WRITTEN : CompletableFuture.completedFuture(written);
  }

  /**
   * Stores in L1 unless an invalidation came since the ticket was taken (a refresh fences the key
   * as its value goes in, see {@link L1Admission#putAndFenceIf}).
   *
   * @return whether no invalidation came (false: a value written to L2 must be taken back)
   */
  private boolean storeInL1(R value, Set<String> tagKeys, long deadline, boolean writtenToL2) {
    Object stored = engine.l1 == null ? null : engine.planner.l1Value(engine.l1Form(value), plan.l2Key(), tagKeys);
    long capped = engine.admission.deadline(ticket, deadline);
    boolean valid = refresh
        ? engine.admission.putAndFenceIf(engine.l1, key, stored, capped, ticket, writtenToL2, fresh)
        : engine.admission.putIf(engine.l1, key, stored, capped, ticket, writtenToL2, fresh);
    if (valid && engine.l1 != null && capped != LruStore.NEVER) {
      engine.expireBy(capped);
    }
    return valid;
  }

  /** Lets the lease go (once the L2 write {@code after} is done, if any); does nothing twice. */
  void releaseLease(CompletionStage<?> after) {
    LeaseGate.Outcome leased = held;
    if (leased != null) {
      held = null;
      engine.lease.release(leased.leaseKey(), leased.token(), after);
    }
  }
}
