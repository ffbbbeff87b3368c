package io.tiercache.internal.engine;

import io.tiercache.TimeSource;
import io.tiercache.internal.key.ArgsKey;
import io.tiercache.internal.local.L1Store;
import io.tiercache.internal.local.LruStore;
import io.tiercache.internal.stats.CacheCounters;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Whether a computed (or L2-read) value may enter one function's L1 or be written to L2, and for
 * how long: the rule that keeps a result computed before an invalidation out of both layers, in
 * this process and, through the backend's invalidation channel, in the others. Both engines,
 * synchronous and async, store through it, and take other processes' invalidations by key through
 * {@link #dropL2Hash}.
 *
 * <p>A computation takes a {@link Ticket} before it reads L2. It may write L2, enter L1, or be
 * joined by a later caller only while nothing the ticket recorded has moved: the registry's (tag)
 * epoch, the epoch of its L2 key's stripe (every invalidation of the key, local or remote, refresh
 * included, {@linkplain EngineRegistry#fenceKey fences} it twice: before its L2 command and after
 * that command landed), this function's clear epoch, and, for L1, the flush epoch (a lost channel or
 * a peer's {@code cacheClear}: the value stays out of L1, its L2 write stands). L1 checks under its
 * lock, which also orders removals; L2 writes check under the stripe lock the fences take. If the
 * channel did not deliver at any moment since the ticket, an invalidation may have been missed
 * meanwhile, so the entry lives at most the channel's staleness bound from the ticket on (from
 * before its L2 read, not from the store).
 */
final class L1Admission {
  private final EngineRegistry registry;
  private final CoherenceLink link;
  private final TimeSource time;
  private final boolean marksEntries;
  /** Where the entries stored in L1 are counted. */
  private final CacheCounters counters;
  /** Advanced by this function's {@code cacheClear}. */
  private final AtomicLong clears = new AtomicLong();

  /**
   * @param link the function's backend's channel link, or null (no L2, no channel, coherence off)
   * @param marksEntries whether the function's entries carry tags (so the tag epoch applies)
   * @param counters the function's counters, where every entry stored in L1 is counted
   */
  L1Admission(EngineRegistry registry, CoherenceLink link, TimeSource time, boolean marksEntries,
      CacheCounters counters) {
    this.counters = counters;
    this.registry = registry;
    this.link = link;
    this.time = time;
    this.marksEntries = marksEntries;
  }

  /**
   * What a computation must find unchanged to store its result; taken before L2 is read.
   *
   * @param startedNanos when it was taken, in {@link TimeSource#nanoTime()}
   */
  record Ticket(long epoch, long l2Hash, long keyEpoch, long clearEpoch, long flushEpoch,
      boolean delivering, long startedNanos) {}

  /** A ticket for a computation of the entry under {@code l2Key}. */
  Ticket ticket(String l2Key) {
    long hash = KeyHash.of(l2Key);
    return new Ticket(registry.epoch(), hash, registry.keyEpoch(hash), clears.get(), registry.flushEpoch(),
        link != null && link.isDelivering(), time.nanoTime());
  }

  /** Whether no invalidation that covers the ticket's entry came since it was taken. */
  boolean stillValid(Ticket ticket) {
    return (!marksEntries || registry.epoch() == ticket.epoch())
        && registry.keyEpoch(ticket.l2Hash()) == ticket.keyEpoch()
        && clears.get() == ticket.clearEpoch();
  }

  /**
   * Whether a later caller may join the computation holding {@code ticket}: nothing that would
   * keep its result out of L1 has happened since it began (a flush included).
   */
  boolean joinable(Ticket ticket) {
    return stillValid(ticket) && registry.flushEpoch() == ticket.flushEpoch();
  }

  /** Voids every ticket of this function taken so far ({@code cacheClear}). */
  void clear() {
    clears.incrementAndGet();
  }

  /**
   * Starts {@code write} (an L2 write of the ticket's entry) if {@code valid} (the caller's own
   * checks) and the ticket both still hold, atomically with respect to the key's fences.
   *
   * @return the write's stage, or null if nothing was started
   */
  CompletableFuture<?> startWriteIf(Ticket ticket, BooleanSupplier valid, Supplier<CompletableFuture<?>> write) {
    return registry.startWriteIf(ticket.l2Hash(), () -> valid.getAsBoolean() && stillValid(ticket), write);
  }

  /**
   * The deadline an entry computed under {@code ticket} may have in L1: {@code deadline}, capped at
   * the channel's staleness bound from the ticket on when the channel did not deliver at some
   * moment since (an invalidation made elsewhere meanwhile may not reach us).
   */
  long deadline(Ticket ticket, long deadline) {
    if (link == null || (ticket.delivering() && link.isDelivering())) {
      return deadline;
    }
    long cap = ticket.startedNanos() + link.stalenessBoundNanos();
    return deadline == LruStore.NEVER || deadline - cap > 0 ? cap : deadline;
  }

  /**
   * Stores {@code value} in {@code l1} if {@code valid} (the caller's own checks, flight staleness
   * and the like) and the ticket both still hold.
   *
   * @param deadline as given by {@link #deadline}
   * @param writtenToL2 whether this process wrote the value to L2 (see {@link #dropL2Hash})
   * @return whether no invalidation came (false: a value written to L2 must be taken back); a
   *     flush alone keeps the value out of L1 yet returns true
   */
  boolean putIf(L1Store<ArgsKey, Object> l1, ArgsKey key, Object value, long deadline, Ticket ticket,
      boolean writtenToL2, BooleanSupplier valid) {
    return putIf(l1, key, value, deadline, ticket, writtenToL2, valid, false);
  }

  /**
   * As {@link #putIf}, for a refresh: when the value goes in, the key is fenced first, under L1's
   * lock, so every computation of the key that began before (and may have read the value the
   * refresh replaces) stores nothing after it.
   */
  boolean putAndFenceIf(L1Store<ArgsKey, Object> l1, ArgsKey key, Object value, long deadline,
      Ticket ticket, boolean writtenToL2, BooleanSupplier valid) {
    return putIf(l1, key, value, deadline, ticket, writtenToL2, valid, true);
  }

  private boolean putIf(L1Store<ArgsKey, Object> l1, ArgsKey key, Object value, long deadline, Ticket ticket,
      boolean writtenToL2, BooleanSupplier valid, boolean fence) {
    BooleanSupplier unchanged = () -> {
      if (!valid.getAsBoolean() || !stillValid(ticket)) {
        return false;
      }
      if (fence) {
        registry.fenceKey(ticket.l2Hash());
      }
      return true;
    };
    if (l1 == null) {
      return unchanged.getAsBoolean();
    }
    // every entry is stored with its L2-key hash, by which invalidations find it (see AbstractEngine)
    long hash = ticket.l2Hash();
    boolean stored = l1.putIf(key, value, deadline, hash, writtenToL2, link == null ? unchanged
        : () -> registry.flushEpoch() == ticket.flushEpoch() && unchanged.getAsBoolean());
    if (stored) {
      counters.l1Put();
    }
    return stored || (link != null && unchanged.getAsBoolean());
  }

  /**
   * Drops the L1 entry whose L2 key hashes to {@code l2Hash}: another process invalidated it. If
   * this process wrote that entry's value to L2 and {@code deleteOwnWrite}, it deletes the key again
   * first (its write may have landed after the other process's delete), on the same connection after
   * that write, and before its L1 copy goes, so that no read of ours that follows the drop can find
   * the late write. A refresh elsewhere passes false: the other process has just written the new
   * value, which must stay.
   */
  static RegisteredEngine.RemoteDrop dropL2Hash(L1Store<ArgsKey, Object> l1, L2Tier<?> l2, long l2Hash,
      String l2Key, boolean deleteOwnWrite) {
    if (l1 == null) {
      return RegisteredEngine.RemoteDrop.NONE;
    }
    L1Store.Entry<Object> held = deleteOwnWrite ? l1.peekByL2Hash(l2Hash) : null;
    boolean deleteAgain = held != null && held.marked() && l2 != null;
    if (deleteAgain) {
      l2.deleteQuietly(l2Key);
    }
    if (l1.removeByL2Hash(l2Hash) == null) {
      return RegisteredEngine.RemoteDrop.NONE;
    }
    return deleteAgain ? RegisteredEngine.RemoteDrop.DROPPED_AND_DELETED : RegisteredEngine.RemoteDrop.DROPPED;
  }
}
