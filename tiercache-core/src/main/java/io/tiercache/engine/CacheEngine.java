package io.tiercache.engine;

import io.tiercache.CacheInfo;
import io.tiercache.TimeSource;
import io.tiercache.expiry.TtlPolicy;
import io.tiercache.flight.Flight;
import io.tiercache.flight.SingleFlight;
import io.tiercache.key.ArgsKey;
import io.tiercache.key.L2KeyEncoder;
import io.tiercache.local.LruStore;
import io.tiercache.stats.CacheCounters;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The two-layer engine of one cached function: L1 lookup, single-flight, L2 read, compute, write
 * back. The handles ({@link CachedFunctions}) build the {@link ArgsKey} and call
 * {@link #getIfPresent} (the hit path) and, on a miss, {@link #load}.
 *
 * <p>No stale writes: an invalidation marks the computation in flight for its key stale before it
 * removes the entry, and the computation stores its result in L1 only if it is not stale, checked
 * under L1's lock, which also orders the removal; a stale result already written to L2 is deleted
 * again. So after {@code invalidate} returns, this process never serves a value computed before it.
 *
 * @param <R> the result type
 */
public final class CacheEngine<R> {
  /** What {@link #getIfPresent} returns on a miss. */
  public static final Object ABSENT = new Object();
  /** How a cached null result is held in L1. */
  private static final Object NULL = new Object();

  private final String name;
  private final LruStore<ArgsKey, Object> l1;
  private final long l1MaxSizeForInfo;
  private final L2Tier<R> l2;
  private final L2KeyEncoder keys;
  private final SingleFlight<ArgsKey> flights = new SingleFlight<>();
  private final CacheCounters counters = new CacheCounters();
  private final boolean cacheNulls;
  private final TtlPolicy ttl;
  private final TimeSource time;

  CacheEngine(String name, long l1MaxSize, boolean cacheNulls, TtlPolicy ttl, L2KeyEncoder keys,
      L2Tier<R> l2, TimeSource time) {
    this.name = name;
    this.l1 = l1MaxSize == 0 ? null : new LruStore<>(l1MaxSize, time);
    this.l1MaxSizeForInfo = l1MaxSize == LruStore.UNBOUNDED ? CacheInfo.UNBOUNDED : l1MaxSize;
    this.cacheNulls = cacheNulls;
    this.ttl = ttl;
    this.keys = keys;
    this.l2 = l2;
    this.time = time;
  }

  String name() {
    return name;
  }

  /**
   * The L1 hit path: the stored value (see {@link #unmask}) or {@link #ABSENT}. Counts an L1 hit
   * when found; a miss is counted by {@link #load}.
   */
  public Object getIfPresent(ArgsKey key) {
    if (l1 != null) {
      LruStore.Node<ArgsKey, Object> node = l1.get(key);
      if (node != null) {
        counters.l1Hit();
        return node.value();
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

  /** The miss path: join the computation in flight for {@code key}, or lead a new one. */
  public R load(ArgsKey key, Supplier<R> compute) {
    Flight flight = flights.begin(key);
    if (flight.claimLead()) {
      return lead(key, flight, compute);
    }
    if (flight.isLedByCurrentThread()) {
      // the function called itself with its own arguments: waiting would be waiting for itself
      counters.l1Miss();
      return readOrCompute(key, compute, null);
    }
    counters.l1Hit();
    return unmask(flight.await());
  }

  private R lead(ArgsKey key, Flight flight, Supplier<R> compute) {
    try {
      LruStore.Node<ArgsKey, Object> node = l1 == null ? null : l1.get(key);
      if (node != null) { // stored by the flight that ended between our L1 miss and now
        counters.l1Hit();
        flight.succeed(node.value());
        return unmask(node.value());
      }
      counters.l1Miss();
      R value = readOrCompute(key, compute, flight);
      flight.succeed(mask(value));
      return value;
    } catch (Throwable failure) {
      flight.fail(failure);
      throw failure;
    } finally {
      flights.end(key, flight);
    }
  }

  /** L2, then the function; stores what it gets unless {@code flight} went stale meanwhile. */
  private R readOrCompute(ArgsKey key, Supplier<R> compute, Flight flight) {
    String l2Key = keys.encode(key); // validates the arguments before anything is computed
    if (l2 != null) {
      L2Tier.Found found = l2.read(l2Key);
      if (found != null) {
        counters.l2Hit();
        storeInL1(key, mask(found.value()), deadlineOf(found.expiresAtMillis()), flight);
        return unmask(found.value());
      }
    }
    counters.l2Miss();
    R value = compute.get();
    store(key, l2Key, value, flight);
    return value;
  }

  private void store(ArgsKey key, String l2Key, R value, Flight flight) {
    if (value == null && !cacheNulls) {
      return;
    }
    Duration lifetime = ttl.next();
    long expiresAtMillis = lifetime == null ? 0 : time.currentTimeMillis() + lifetime.toMillis();
    long deadline = lifetime == null ? LruStore.NEVER : time.nanoTime() + lifetime.toNanos();
    if (l2 != null) {
      if (flight != null && flight.isStale()) {
        return;
      }
      l2.write(l2Key, value, lifetime, expiresAtMillis);
    }
    boolean stored = storeInL1(key, mask(value), deadline, flight);
    if (!stored && l2 != null) {
      l2.delete(l2Key); // an invalidation came while we computed: take back what we wrote
    }
  }

  private boolean storeInL1(ArgsKey key, Object value, long deadline, Flight flight) {
    if (l1 == null) {
      return flight == null || !flight.isStale();
    }
    return l1.putIf(key, value, deadline, () -> flight == null || !flight.isStale());
  }

  private long deadlineOf(long expiresAtMillis) {
    if (expiresAtMillis == 0) {
      return LruStore.NEVER;
    }
    long remainingMillis = Math.max(0, expiresAtMillis - time.currentTimeMillis());
    return time.nanoTime() + remainingMillis * 1_000_000;
  }

  /** Removes the entry for {@code key} from both layers; true if either held one. */
  public boolean invalidate(ArgsKey key) {
    String l2Key = keys.encode(key);
    flights.markStale(key);
    boolean existed = l1 != null && l1.remove(key);
    if (l2 != null) {
      existed |= l2.delete(l2Key);
    }
    return existed;
  }

  /** Whether a live value for {@code key} is in L1 or L2; touches no statistics or order. */
  public boolean contains(ArgsKey key) {
    if (l1 != null && l1.peek(key) != null) {
      return true;
    }
    return l2 != null && l2.read(keys.encode(key)) != null;
  }

  /** Computes anew and stores in both layers, superseding any computation in flight. */
  public R refresh(ArgsKey key, Supplier<R> compute) {
    String l2Key = keys.encode(key);
    flights.markStale(key);
    R value = compute.get();
    if (value == null && !cacheNulls) {
      if (l1 != null) {
        l1.remove(key);
      }
      if (l2 != null) {
        l2.delete(l2Key);
      }
    } else {
      store(key, l2Key, value, null);
    }
    return value;
  }

  /** Statistics in this process. */
  public CacheInfo cacheInfo() {
    return counters.snapshot(l1MaxSizeForInfo, l1 == null ? 0 : l1.size());
  }

  /** Empties L1 and resets the statistics; computations in flight will not store their results. */
  public void cacheClear() {
    flights.markAllStale();
    if (l1 != null) {
      l1.clear();
    }
    counters.reset();
  }

  /** L2 failures and unusable entries met so far. */
  public long l2ErrorCount() {
    return l2 == null ? 0 : l2.errorCount();
  }

  /** How many computations are in flight (for tests of leaks). */
  public int inFlight() {
    return flights.size();
  }
}
