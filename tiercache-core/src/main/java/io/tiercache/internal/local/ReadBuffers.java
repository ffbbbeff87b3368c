package io.tiercache.internal.local;

import io.tiercache.internal.local.LruStore.Node;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The accesses that hits made, recorded per thread and applied to the entries' recency stamps in
 * batches, so that a hit writes no cache line that hits on other cores write too (the BP-Wrapper
 * idea: batch the bookkeeping of reads, apply it under a try-lock; Caffeine's read buffers are
 * one such design, this one is tiercache's own).
 *
 * <p><b>Recording.</b> A hit appends its entry to the buffer of its thread's stripe (stripes are
 * picked by thread id and created on first use, each on cache lines of its own): two plain stores
 * on lines only that stripe writes. The stamps come later: a <em>drain</em> takes a stripe's
 * records in order and gives each the next value of the store's clock, one atomic add per batch.
 * The store's eviction heap reads the stamps lazily, as it always did.
 *
 * <p><b>When records are applied.</b> A stripe is drained by its own thread when it is full (under
 * the stripe's own flag, never the store's lock: a hit never waits for a put); every stripe is
 * drained before each eviction decision ({@link #drainAll()}, called by the store under its lock).
 * So a single thread's accesses are all applied, in order, before the next eviction: exact LRU.
 *
 * <p><b>Across threads.</b> Each record gets its stamp when drained, so records of two stripes
 * would be ordered by when each stripe is drained, not by when the hits happened. To keep calls
 * that follow each other on different threads (a request served by one pool thread, the next by
 * another) in exact order, the store remembers which stripe recorded last (the <em>owner</em>, on
 * a line of its own that hits only read). A hit from another stripe first drains every other
 * stripe, then becomes the owner: the earlier thread's accesses take their stamps before its own.
 * Such a change of owner is a shared write, so when two threads keep taking turns within
 * {@value #DENSE_NANOS} ns (they are hitting at the same time, not one after the other) a stripe
 * stops claiming the store for its next {@value #QUIET} records: the order between threads hitting
 * at once is approximate, as any order between concurrent calls is, and costs no shared write.
 *
 * <p><b>Lossy only under races.</b> A record is dropped only when two threads of one stripe append
 * at once, or when a full stripe is being drained by another thread at that moment; neither
 * happens to calls ordered one after another. A record of an entry removed meanwhile stamps a node
 * that no heap holds any more: removals win, nothing comes back.
 */
final class ReadBuffers {
  /** Records per stripe: a power of two. */
  static final int SIZE = 32;
  private static final int MASK = SIZE - 1;
  /** Slots left free at each end of a stripe's array, so that no other object shares its lines. */
  private static final int PAD = 16;
  /** Owner changes closer than this are taken for threads hitting at the same time. */
  static final long DENSE_NANOS = 1_000;
  /** How many records a stripe makes without claiming the store after seeing such a race. */
  static final int QUIET = 4 * SIZE;
  private static final int MAX_STRIPES = 64;

  private static final VarHandle STRIPES = MethodHandles.arrayElementVarHandle(Stripe[].class);
  private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Node[].class);
  private static final VarHandle CLOCK = MethodHandles.arrayElementVarHandle(long[].class);
  private static final VarHandle TAIL;
  private static final VarHandle HEAD;
  private static final VarHandle DRAINING;
  private static final VarHandle OWNER;
  private static final VarHandle CLAIMED_AT;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      TAIL = lookup.findVarHandle(StripeFields.class, "tail", long.class);
      HEAD = lookup.findVarHandle(StripeFields.class, "head", long.class);
      DRAINING = lookup.findVarHandle(StripeFields.class, "draining", int.class);
      OWNER = lookup.findVarHandle(OwnerFields.class, "owner", int.class);
      CLAIMED_AT = lookup.findVarHandle(OwnerFields.class, "claimedAt", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Where the clock sits in {@link #clock}: alone on its cache line. */
  private static final int TICK = 8;
  /** The stamp clock: taken by drains and by stores, never by a hit. */
  private final long[] clock = new long[2 * TICK];
  private final Stripe[] stripes;
  /** 64 minus log2 of the stripe count. */
  private final int shift;
  private final Owner owner = new Owner();

  ReadBuffers() {
    int wanted = Integer.highestOneBit(Math.max(1, 4 * Runtime.getRuntime().availableProcessors() - 1)) << 1;
    int count = Math.min(MAX_STRIPES, Math.max(2, wanted));
    this.stripes = new Stripe[count];
    this.shift = 64 - Integer.numberOfTrailingZeros(count);
    OWNER.setOpaque(owner, -1);
    CLAIMED_AT.setOpaque(owner, System.nanoTime() - 2 * DENSE_NANOS);
  }

  /**
   * Records a hit on {@code node}; the hit path: no lock, no allocation, no shared write mostly.
   * Kept small (the rest is in {@link #recordSlowly}) so that it inlines into the caller's lookup,
   * which lets the JIT keep the caller's key off the heap.
   */
  void record(Node<?, ?> node) {
    int index = (int) ((Thread.currentThread().getId() * 0x9E3779B97F4A7C15L) >>> shift);
    Stripe stripe = stripes[index]; // a stripe is published by CAS; its slots field is final
    if (stripe != null) {
      long tail = stripe.tail;
      if (tail - (long) HEAD.getOpaque(stripe) < SIZE
          && ((int) OWNER.getOpaque(owner) == index || stripe.quietUntil - tail > 0)) {
        stripe.slots[PAD + (int) (tail & MASK)] = node;
        TAIL.setRelease(stripe, tail + 1);
        return;
      }
    }
    recordSlowly(node, index);
  }

  /** {@link #record} when the stripe is new, full, or not the owner. */
  private void recordSlowly(Node<?, ?> node, int index) {
    Stripe stripe = (Stripe) STRIPES.getAcquire(stripes, index);
    if (stripe == null) {
      stripe = newStripe(index);
    }
    if ((int) OWNER.getOpaque(owner) != index) {
      claim(index, stripe);
    }
    long tail = stripe.tail;
    if (tail - (long) HEAD.getAcquire(stripe) >= SIZE) {
      if (!drain(stripe)) {
        return; // being drained by another thread right now: a race, the record is dropped
      }
    }
    stripe.slots[PAD + (int) (tail & MASK)] = node;
    TAIL.setRelease(stripe, tail + 1);
  }

  /** The next stamp, for an entry being stored (under the store's lock, after {@link #drainAll}). */
  long nextStamp() {
    return (long) CLOCK.getAndAdd(clock, TICK, 1L) + 1;
  }

  /** Applies every record made so far, stripe by stripe (before an eviction decision). */
  void drainAll() {
    for (int i = 0; i < stripes.length; i++) {
      Stripe stripe = (Stripe) STRIPES.getAcquire(stripes, i);
      if (stripe != null) {
        drain(stripe);
      }
    }
  }

  /**
   * Makes {@code index} the owner after applying every other stripe's records, unless threads are
   * taking turns at once (then this stripe stays quiet for its next {@link #QUIET} records).
   */
  private void claim(int index, Stripe stripe) {
    if (stripe.quietUntil - stripe.tail > 0) {
      return;
    }
    long now = System.nanoTime();
    if (now - (long) CLAIMED_AT.getOpaque(owner) < DENSE_NANOS) {
      stripe.quietUntil = stripe.tail + QUIET;
      return;
    }
    CLAIMED_AT.setOpaque(owner, now);
    for (int i = 0; i < stripes.length; i++) {
      Stripe other = (Stripe) STRIPES.getAcquire(stripes, i);
      if (i != index && other != null) {
        drain(other);
      }
    }
    OWNER.setOpaque(owner, index);
  }

  /**
   * Gives the records of {@code stripe} their stamps, in order, and clears their slots.
   *
   * @return false if another thread was draining it (nothing done)
   */
  private boolean drain(Stripe stripe) {
    if ((long) TAIL.getAcquire(stripe) == (long) HEAD.getOpaque(stripe)
        || !DRAINING.compareAndSet(stripe, 0, 1)) {
      return (long) TAIL.getOpaque(stripe) == (long) HEAD.getOpaque(stripe);
    }
    try {
      long head = stripe.head;
      long tail = (long) TAIL.getAcquire(stripe);
      // two threads of one stripe appending at once may leave the tail behind the head: drop
      int count = (int) Math.max(0, Math.min(SIZE, tail - head));
      if (count > 0) {
        Node<?, ?>[] slots = stripe.slots;
        long stamp = (long) CLOCK.getAndAdd(clock, TICK, (long) count);
        for (long i = head; i < head + count; i++) {
          int slot = PAD + (int) (i & MASK);
          Node<?, ?> node = (Node<?, ?>) SLOTS.getOpaque(slots, slot);
          if (node != null) {
            node.setStamp(++stamp);
            slots[slot] = null;
          }
        }
      }
      HEAD.setRelease(stripe, head + count);
      return true;
    } finally {
      DRAINING.setRelease(stripe, 0);
    }
  }

  private Stripe newStripe(int index) {
    Stripe created = new Stripe();
    Stripe witness = (Stripe) STRIPES.compareAndExchange(stripes, index, null, created);
    return witness == null ? created : witness;
  }

  /** Padding before a stripe's fields. */
  abstract static class StripeHead {
    long p01, p02, p03, p04, p05, p06, p07, p08;
  }

  /** A stripe's state: its records' slots, how many were appended and how many drained. */
  abstract static class StripeFields extends StripeHead {
    final Node<?, ?>[] slots = new Node<?, ?>[SIZE + 2 * PAD];
    /** Records appended; written by the stripe's thread. */
    long tail;
    /** Records drained; written by drains only. */
    long head;
    /** The tail before which this stripe does not claim the store (see {@link #claim}). */
    long quietUntil;
    /** 1 while a drain runs. */
    int draining;
  }

  /** One stripe, padded after its fields too. */
  static final class Stripe extends StripeFields {
    long q01, q02, q03, q04, q05, q06, q07, q08;
  }

  /** Padding before the owner's fields. */
  abstract static class OwnerHead {
    long p01, p02, p03, p04, p05, p06, p07, p08;
  }

  /** Which stripe recorded last, and when it claimed the store. */
  abstract static class OwnerFields extends OwnerHead {
    int owner;
    long claimedAt;
  }

  /** The owner, padded after its fields too. */
  static final class Owner extends OwnerFields {
    long q01, q02, q03, q04, q05, q06, q07, q08;
  }
}
