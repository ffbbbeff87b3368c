package io.tiercache.internal.engine;

import io.tiercache.CacheHandle;
import io.tiercache.CacheInfo;
import io.tiercache.CacheStats;
import io.tiercache.L1Policy;
import io.tiercache.TimeSource;
import io.tiercache.backend.Backend;
import io.tiercache.coherence.InvalidationMessage;
import io.tiercache.internal.key.ArgsKey;
import io.tiercache.lease.LeaseStats;
import io.tiercache.internal.local.L1Store;
import io.tiercache.internal.local.LruStore;
import io.tiercache.internal.local.TinyLfuStore;
import io.tiercache.internal.stats.CacheCounters;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What both kinds of engine are made of, the synchronous {@link CacheEngine} and the async
 * {@link AsyncCacheEngine}: the two layers, the planner of keys, tags and lifetimes, the
 * statistics, the stampede lease and the rule of what may enter L1 ({@link L1Admission}); and what
 * invalidations need of an engine ({@link RegisteredEngine}), local or from another process. The
 * two differ in how a call goes through the layers (waiting, or composing futures), not in what
 * the layers are, so that lives here once.
 *
 * @param <R> the result type
 */
abstract sealed class AbstractEngine<R> implements RegisteredEngine permits CacheEngine, AsyncCacheEngine {
  final String name;
  /** L1, or null when the function keeps nothing in it ({@code l1MaxSize(0)}). */
  final L1Store<ArgsKey, Object> l1;
  private final long l1MaxSizeForInfo;
  /** L2, or null for an L1-only function. */
  final L2Tier<R> l2;
  final EntryPlanner planner;
  /** Whether L1 values are {@link L1Entry}s (tags, prefixes or an explicit key to find them by). */
  final boolean marksEntries;
  final EngineRegistry registry;
  final CacheCounters counters = new CacheCounters();
  final boolean cacheNulls;
  final TimeSource time;
  /** The stampede lease used on an L2 miss, or null (the function has none). */
  final LeaseGate lease;
  /** Whether a computed value may enter L1 (invalidations here and, if coherent, elsewhere). */
  final L1Admission admission;
  private volatile CacheHandle handle;

  /**
   * Builds the layers of the function {@code spec} describes. The subclass registers the engine
   * with the registry once it is whole.
   *
   * @param l2 the L2 tier, or null for an L1-only function
   * @param lease the lease gate, or null (ignored without L2)
   */
  AbstractEngine(FunctionSpec<R> spec, L2Tier<R> l2, LeaseGate lease) {
    this.name = spec.name();
    this.registry = spec.registry();
    this.time = spec.time();
    long l1MaxSize = spec.l1MaxSize();
    CoherenceLink link = l2 == null ? null : registry.linkOf(l2.backend());
    // indexed by L2-key hash: an invalidation by L2 key (local, by text, or from another process)
    // finds every entry stored under it, whichever argument list stored it
    this.l1 = l1MaxSize == 0 ? null : spec.l1Policy() == L1Policy.W_TINY_LFU
        ? new TinyLfuStore<>(l1MaxSize, time) : new LruStore<>(l1MaxSize, time, true);
    this.l1MaxSizeForInfo = l1MaxSize == LruStore.UNBOUNDED ? CacheInfo.UNBOUNDED : l1MaxSize;
    this.cacheNulls = spec.cacheNulls();
    this.planner = new EntryPlanner(spec.keys(), spec.declarations(), registry, spec.ttl());
    this.marksEntries = planner.marksEntries();
    this.l2 = l2;
    this.lease = l2 == null ? null : lease;
    this.admission = new L1Admission(registry, link, time, marksEntries, counters);
  }

  @Override
  public final String name() {
    return name;
  }

  /** The backend of this function, or null without L2. */
  @Override
  public final Backend backend() {
    return l2 == null ? null : l2.backend();
  }

  @Override
  public final int dropTagged(Collection<String> tagKeys) {
    return l1 != null && marksEntries ? L1Entry.dropTagged(l1, tagKeys) : 0;
  }

  @Override
  public final boolean dropL2Key(String l2Key) {
    if (l1 == null) {
      return false;
    }
    // every L1 finds its entries by the hash of their L2 key (a bare value under the default key too)
    return l1.removeByL2Hash(KeyHash.of(l2Key)) != null;
  }

  @Override
  public final RemoteDrop dropL2Hash(long l2Hash, String l2Key, boolean deleteOwnWrite) {
    return L1Admission.dropL2Hash(l1, l2, l2Hash, l2Key, deleteOwnWrite);
  }

  @Override
  public final void flushL1() {
    if (l1 != null) {
      l1.clear();
    }
  }

  /** Statistics in this process. */
  public final CacheInfo cacheInfo() {
    return counters.snapshot(l1MaxSizeForInfo, l1 == null ? 0 : l1.size());
  }

  /**
   * Empties L1, resets the statistics and forgets the computations in flight, whose results are
   * not stored (see {@link #clearL1AndStatistics}).
   */
  public abstract void cacheClear();

  /**
   * What {@code cacheClear} does beside forgetting the computations in flight: empties L1, resets
   * the statistics (the lease's too), and tells the other processes to empty their L1s of this
   * function.
   */
  final void clearL1AndStatistics() {
    admission.clear();
    flushL1();
    counters.reset();
    if (lease != null) {
      lease.reset();
    }
    if (l2 != null) {
      registry.publish(l2.backend(), InvalidationMessage.clear(name));
    }
  }

  /** Statistics in this process since the function was built; never reset. */
  public final CacheStats stats() {
    return counters.stats(l1 == null ? 0 : l1.evictions(), l2ErrorCount());
  }

  /** The handle users hold, once it is built (null before: the engine registers first). */
  @Override
  public final CacheHandle handle() {
    return handle;
  }

  /** Told by the function's handle as it is built: what {@code TierCache.functions()} lists. */
  final void bind(CacheHandle handle) {
    this.handle = handle;
  }

  /** L2 failures (lease operations included) and unusable entries met so far. */
  public final long l2ErrorCount() {
    return l2 == null ? 0 : l2.errorCount() + (lease == null ? 0 : lease.errorCount());
  }

  /** What the stampede lease did since the function was built; never reset. */
  public final LeaseStats leaseTotals() {
    return lease == null ? LeaseStats.NONE : lease.totals();
  }

  /** What the stampede lease did in this process; {@link LeaseStats#NONE} without a lease. */
  public final LeaseStats leaseStats() {
    return lease == null ? LeaseStats.NONE : lease.stats();
  }

  /**
   * Invalidates the tags this function declares for a call with {@code args} (not its prefix), in
   * its backend and in this process's L1s.
   *
   * @return false if it declares none or the backend did not take the invalidation
   */
  public final boolean invalidateTagsOf(Object[] args) {
    Set<String> keys = planner.declaredTagKeysOf(args);
    return !keys.isEmpty() && registry.invalidateTagKeys(targets(), keys);
  }

  /**
   * Invalidates the prefix this function gives a call with {@code args}: every entry under it.
   *
   * @return false if it has no prefix or the backend did not take the invalidation
   */
  public final boolean invalidatePrefixOf(Object[] args) {
    String key = planner.prefixKeyOf(args);
    return key != null && registry.invalidateTagKeys(targets(), Set.of(key));
  }

  /**
   * Invalidates the entry under {@code l2Key} (stored for {@code key} or any argument list that
   * shares its L2 key): after this returns, no call that starts later in this process gets a value
   * computed or read before it, and the other processes are told once the L2 delete has landed.
   *
   * <p>The order is what makes that hold: fence the key (computations that began before store
   * nothing in either layer, and nobody joins them), detach the flight, delete in L2 and wait for it
   * (at most the L2 timeout), fence again (a computation that began meanwhile may have read the old
   * value), then drop the L1 entries. A delete that outlives the timeout fences and drops again
   * when it lands, and only then is published.
   *
   * @param detachFlight detaches {@code key}'s flight; returns whether one was there and counts
   * @return whether L1 or L2 held an entry (or {@code detachFlight} said so)
   */
  final boolean invalidateEntry(ArgsKey key, String l2Key, BooleanSupplier detachFlight) {
    long hash = KeyHash.of(l2Key);
    registry.fenceKey(hash);
    boolean existed = detachFlight.getAsBoolean();
    if (l2 != null) {
      CompletableFuture<Boolean> deleted = l2.startDelete(l2Key);
      boolean inTime = l2.awaitLanding(deleted, "delete of " + l2Key);
      existed |= Boolean.TRUE.equals(deleted.getNow(false));
      deleted.whenComplete((ignored, failure) -> {
        if (!inTime) {
          invalidateL1Copies(key, l2Key);
        }
        registry.publish(l2.backend(), InvalidationMessage.key(l2Key));
      });
    }
    registry.fenceKey(hash);
    return dropFromL1(key, hash) | existed;
  }

  /**
   * {@link #invalidateEntry} without waiting, for the async engine: the L1 copies go and the
   * invalidation is published once the L2 delete has landed, when the returned stage completes.
   */
  final CompletableFuture<?> invalidateEntryWhenDeleted(ArgsKey key, String l2Key) {
    registry.fenceKey(KeyHash.of(l2Key));
    CompletableFuture<Boolean> deleted = l2 == null
        ? CompletableFuture.completedFuture(false) : l2.startDelete(l2Key);
    return deleted.whenComplete((ignored, failure) -> {
      invalidateL1Copies(key, l2Key);
      if (l2 != null) {
        registry.publish(l2.backend(), InvalidationMessage.key(l2Key));
      }
    });
  }

  /** Fences {@code l2Key} and drops the L1 copies stored under it (see {@link #invalidateEntry}). */
  final void invalidateL1Copies(ArgsKey key, String l2Key) {
    long hash = KeyHash.of(l2Key);
    registry.fenceKey(hash);
    dropFromL1(key, hash);
  }

  /** Drops {@code key}'s L1 entry and any other stored under the same L2 key. */
  private boolean dropFromL1(ArgsKey key, long l2Hash) {
    if (l1 == null) {
      return false;
    }
    boolean dropped = l1.remove(key);
    return l1.removeByL2Hash(l2Hash) != null | dropped;
  }

  /** Whether the flight found for a key may still be joined, from its leader's ticket (null: not taken yet). */
  final boolean joinable(Object leaderTicket) {
    return leaderTicket == null || admission.joinable((L1Admission.Ticket) leaderTicket);
  }

  /**
   * Removes the entry for {@code key} (and any stored under the same L2 key) from both layers and
   * detaches its flight (callers already waiting still get its outcome; it is not stored); see
   * {@link #invalidateEntry} for the order that keeps it from coming back.
   *
   * @return whether either layer held an entry (for an async function: or a flight was there)
   */
  public final boolean invalidate(ArgsKey key, Object[] args) {
    return invalidateEntry(key, planner.plan(key, args).l2Key(), () -> detachFlight(key));
  }

  /**
   * Detaches {@code key}'s flight, if any (see {@link #invalidate}).
   *
   * @return whether a flight counts as an entry that was there
   */
  abstract boolean detachFlight(ArgsKey key);

  /**
   * Whether a finished, live value for {@code key} is in L1 or L2; a computation in flight does
   * not count (sync and async agree). Touches no statistics or order.
   */
  public final boolean contains(ArgsKey key, Object[] args) {
    return (l1 != null && l1.peek(key) != null) || isInL2(key, args);
  }

  /** Whether L2 holds a live entry for this call; false without L2. */
  final boolean isInL2(ArgsKey key, Object[] args) {
    if (l2 == null) {
      return false;
    }
    EntryPlanner.Plan plan = planner.plan(key, args);
    return l2.read(plan.l2Key(), plan.tagKeys()).join().found() != null; // bounded by the L2 timeout
  }

  // How a Miss goes from one step to the next: the only things the two engines do differently
  // on a miss, beside calling the function.

  /**
   * Runs {@code next} with the value of {@code stage}, a step of a {@link Miss} (it never fails).
   * The synchronous engine waits for it (each backend stage in it is bounded by the L2 timeout) and
   * runs {@code next} on the caller's thread, so whatever {@code next} throws reaches the caller
   * as it is; the async engine runs it at once if the stage is complete, otherwise on its
   * executor (never on a backend's thread), and a throwable of {@code next} fails the result.
   */
  abstract <T, U> CompletableFuture<U> then(CompletableFuture<T> stage,
      Function<? super T, ? extends CompletableFuture<U>> next);

  /** Takes the stampede lease for {@code l2Key} or waits for its holder's result; never fails. */
  final CompletableFuture<LeaseGate.Outcome> acquireLease(String l2Key,
      Supplier<CompletableFuture<L2Tier.Read>> poll) {
    return lease.acquire(l2Key, poll, leaseSteps);
  }

  /** How a wait for the lease goes from one step to the next: {@link #leaseThen} and {@link #pause}. */
  private final LeaseGate.Steps leaseSteps = new LeaseGate.Steps() {
    @Override
    public <T, U> CompletableFuture<U> then(CompletableFuture<T> stage,
        Function<? super T, ? extends CompletableFuture<U>> next) {
      return leaseThen(stage, next);
    }

    @Override
    public CompletableFuture<Boolean> pause(long nanos) {
      return AbstractEngine.this.pause(nanos);
    }
  };

  /** Runs {@code next} with the value of {@code stage}, a step of the lease (see {@link LeaseGate.Steps}). */
  abstract <T, U> CompletableFuture<U> leaseThen(CompletableFuture<T> stage,
      Function<? super T, ? extends CompletableFuture<U>> next);

  /** Completes after {@code nanos} (a pause between the lease's polls): true, or false if interrupted. */
  abstract CompletableFuture<Boolean> pause(long nanos);

  /**
   * The stage after which a refresh's value, whose L2 write is {@code written}, may enter L1: the
   * write's landing (the synchronous engine waits at most the L2 timeout, and drops the L1 copy
   * again when a later landing comes).
   */
  abstract CompletableFuture<?> landing(ArgsKey key, String l2Key, CompletableFuture<?> written);

  /**
   * Empties the entry under {@code l2Key} in both layers after an overtaken refresh (see
   * {@link #invalidateEntry}); the stage completes once that is done.
   */
  abstract CompletableFuture<?> dropOvertaken(ArgsKey key, String l2Key);

  /** How a result is held in L1. */
  abstract Object l1Form(R value);

  /** Whether the function still takes calls (an async one may be closed). */
  boolean isOpen() {
    return true;
  }

  /** Told when an entry that expires at {@code deadline} (nanoTime) entered L1. */
  void expireBy(long deadline) {}

  private List<Backend> targets() {
    return l2 == null ? List.of() : List.of(l2.backend());
  }

  /** The L1 deadline of an entry read from L2 that expires at {@code expiresAtMillis} (0: never). */
  final long deadlineOf(long expiresAtMillis) {
    if (expiresAtMillis == 0) {
      return LruStore.NEVER;
    }
    long remainingMillis = Math.max(0, expiresAtMillis - time.currentTimeMillis());
    return time.nanoTime() + remainingMillis * 1_000_000;
  }
}
