package io.tiercache.engine;

import io.tiercache.TimeSource;
import io.tiercache.key.ArgsKey;
import io.tiercache.local.LruStore;
import java.util.function.BooleanSupplier;

/**
 * Whether a computed (or L2-read) value may enter one function's L1, and for how long: the rule
 * that keeps a result computed before an invalidation out of L1, in this process and, through the
 * backend's invalidation channel, in the others. Both engines, synchronous and async, store
 * through it, and take other processes' invalidations by key through {@link #dropL2Hash}.
 *
 * <p>A computation takes a {@link Ticket} before it reads L2. Its value enters L1 only if, under
 * L1's lock, nothing the ticket recorded has moved since: the registry's (tag) epoch, the epoch of
 * its L2 key's stripe (an invalidation of the key, local or remote: the caller takes its L2 write
 * back), the flush epoch (a lost channel or a peer's {@code cacheClear}: the value stays out of
 * L1, its L2 write stands). If the channel did not deliver at any moment between the ticket and
 * the store, an invalidation may have been missed meanwhile, so the entry lives at most the
 * channel's staleness bound.
 */
final class L1Admission {
  private final EngineRegistry registry;
  private final CoherenceLink link;
  private final TimeSource time;
  private final boolean marksEntries;

  /**
   * @param link the function's backend's channel link, or null (no L2, no channel, coherence off)
   * @param marksEntries whether the function's entries carry tags (so the tag epoch applies)
   */
  L1Admission(EngineRegistry registry, CoherenceLink link, TimeSource time, boolean marksEntries) {
    this.registry = registry;
    this.link = link;
    this.time = time;
    this.marksEntries = marksEntries;
  }

  /** Whether the function's L1 must index its entries by L2-key hash (for remote invalidations). */
  boolean coherent() {
    return link != null;
  }

  /** What a computation must find unchanged to store its result; taken before L2 is read. */
  record Ticket(long epoch, long l2Hash, long keyEpoch, long flushEpoch, boolean delivering) {}

  /** A ticket for a computation of the entry under {@code l2Key}. */
  Ticket ticket(String l2Key) {
    long epoch = registry.epoch();
    if (link == null) {
      return new Ticket(epoch, LruStore.NO_HASH, 0, 0, false);
    }
    long flushEpoch = registry.flushEpoch();
    boolean delivering = link.isDelivering();
    long hash = KeyHash.of(l2Key);
    return new Ticket(epoch, hash, registry.keyEpoch(hash), flushEpoch, delivering);
  }

  /** Whether no invalidation that covers the ticket's entry came since it was taken. */
  boolean stillValid(Ticket ticket) {
    return (!marksEntries || registry.epoch() == ticket.epoch())
        && (link == null || registry.keyEpoch(ticket.l2Hash()) == ticket.keyEpoch());
  }

  /**
   * Stores {@code value} in {@code l1} if {@code valid} (the caller's own checks, flight staleness
   * and the like) and the ticket both still hold.
   *
   * @param writtenToL2 whether this process wrote the value to L2 (see {@link #dropL2Hash})
   * @return whether no invalidation came (false: a value written to L2 must be taken back); a
   *     flush alone keeps the value out of L1 yet returns true
   */
  boolean putIf(LruStore<ArgsKey, Object> l1, ArgsKey key, Object value, long deadline, Ticket ticket,
      boolean writtenToL2, BooleanSupplier valid) {
    BooleanSupplier unchanged = () -> valid.getAsBoolean() && stillValid(ticket);
    if (l1 == null) {
      return unchanged.getAsBoolean();
    }
    if (link == null) {
      return l1.putIf(key, value, deadline, unchanged);
    }
    if (!ticket.delivering() || !link.isDelivering()) {
      // invalidations made elsewhere may not reach us now: keep the entry no longer than the bound
      long cap = time.nanoTime() + link.stalenessBoundNanos();
      deadline = deadline == LruStore.NEVER || deadline - cap > 0 ? cap : deadline;
    }
    return l1.putIf(key, value, deadline, ticket.l2Hash(), writtenToL2,
        () -> registry.flushEpoch() == ticket.flushEpoch() && unchanged.getAsBoolean())
        || unchanged.getAsBoolean();
  }

  /**
   * Drops the L1 entry whose L2 key hashes to {@code l2Hash}: another process invalidated it. If
   * this process wrote that entry's value to L2, it deletes the key again first (its write may have
   * landed after the other process's delete), on the same connection after that write, and before
   * its L1 copy goes, so that no read of ours that follows the drop can find the late write.
   */
  static RegisteredEngine.RemoteDrop dropL2Hash(LruStore<ArgsKey, Object> l1, L2Tier<?> l2, long l2Hash,
      String l2Key) {
    if (l1 == null) {
      return RegisteredEngine.RemoteDrop.NONE;
    }
    LruStore.Node<ArgsKey, Object> held = l1.peekByL2Hash(l2Hash);
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
