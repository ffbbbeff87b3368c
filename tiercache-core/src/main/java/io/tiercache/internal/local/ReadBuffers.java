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
 * picked by thread id and created on first use, each on cache lines of its own): a compare-and-set
 * of the stripe's tail and a store in its slot, on lines that only the threads of that stripe
 * write. Nothing else: no clock, no owner, no line that every stripe writes. The stamps come
 * later: a <em>drain</em> takes a stripe's records in order and gives each the next value of the
 * store's clock, one atomic add per batch, written into the entry's slot of {@link Stamps} (not
 * into the entry, so the lines a hit reads stay unwritten). The store's eviction heap reads the
 * stamps lazily.
 *
 * <p><b>When records are applied.</b> A stripe is drained by a thread of its own when it is full
 * (under the stripe's own flag, never the store's lock: a hit never waits for a put), and every
 * stripe is drained before each eviction decision ({@link #drainAll()}, called by the store under
 * its lock). Nothing is dropped: a full stripe is drained (or, while another thread drains it,
 * waited for) before the record is appended, and a drain waits for a slot whose tail was claimed
 * until its record lands. A thread always records in the same stripe and a stripe is applied in
 * the order of its appends, so every access of one thread is applied, in order, before the next
 * eviction decision: exact LRU for the calls of one thread, and for any sequence of calls in which
 * each store write drains first.
 *
 * <p><b>Across threads.</b> Records of two stripes are ordered by when each stripe is drained,
 * not by when the hits happened: between threads the order is approximate (as Caffeine's is),
 * which costs no shared write on a hit. A record of an entry removed meanwhile stamps a node that
 * no heap holds any more, or the slot of the entry that took its place (which then looks more
 * recently used than it is): removals win, nothing comes back.
 */
final class ReadBuffers {
  /** Records per stripe: a power of two. */
  static final int SIZE = 32;
  private static final int MASK = SIZE - 1;
  /** Slots left free at each end of a stripe's array, so that no other object shares its lines. */
  private static final int PAD = 16;
  private static final int MAX_STRIPES = 64;

  private static final VarHandle STRIPES = MethodHandles.arrayElementVarHandle(Stripe[].class);
  private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Node[].class);
  private static final VarHandle CLOCK = MethodHandles.arrayElementVarHandle(long[].class);
  private static final VarHandle TAIL;
  private static final VarHandle HEAD;
  private static final VarHandle DRAINING;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      TAIL = lookup.findVarHandle(StripeFields.class, "tail", long.class);
      HEAD = lookup.findVarHandle(StripeFields.class, "head", long.class);
      DRAINING = lookup.findVarHandle(StripeFields.class, "draining", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Where the clock sits in {@link #clock}: alone on its cache line. */
  private static final int TICK = 8;
  /** The stamp clock: taken by drains and by stores, never by a hit. */
  private final long[] clock = new long[2 * TICK];
  /** The entries' stamps, which drains write: off the entries, whose lines hits read. */
  final Stamps stamps = new Stamps();
  private final Stripe[] stripes;
  /** 32 minus log2 of the stripe count (a long shifted by 32 is 0 when there is one stripe). */
  private final int shift;

  /** Four stripes per processor (rounded up to a power of two), at most {@value #MAX_STRIPES}. */
  ReadBuffers() {
    this(Integer.highestOneBit(Math.max(1, 4 * Runtime.getRuntime().availableProcessors() - 1)) << 1);
  }

  /** {@code count} stripes, rounded to a power of two between 1 and {@value #MAX_STRIPES}. */
  ReadBuffers(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("stripe count must be positive, got " + count);
    }
    int stripes = Math.min(MAX_STRIPES, Integer.highestOneBit(count));
    this.stripes = new Stripe[stripes];
    this.shift = 32 - Integer.numberOfTrailingZeros(stripes);
  }

  /**
   * Records a hit on {@code node}; the hit path: no lock, no allocation, no shared write mostly.
   * Kept small (the rest is in {@link #recordSlowly}) so that it inlines into the caller's lookup,
   * which lets the JIT keep the caller's key off the heap.
   */
  void record(Node<?, ?> node) {
    // a stripe is published by CAS and its slots field is final: a plain read sees it whole
    Stripe stripe = stripes[stripeOf(Thread.currentThread().getId())];
    if (stripe != null) {
      long tail = stripe.tail;
      if (tail - (long) HEAD.getAcquire(stripe) < SIZE && TAIL.compareAndSet(stripe, tail, tail + 1)) {
        SLOTS.setRelease(stripe.slots, PAD + (int) (tail & MASK), node);
        return;
      }
    }
    recordSlowly(node);
  }

  /** {@link #record} when the stripe is new, full, or another thread of it appended at once. */
  private void recordSlowly(Node<?, ?> node) {
    int index = stripeOf(Thread.currentThread().getId());
    Stripe stripe = (Stripe) STRIPES.getAcquire(stripes, index);
    if (stripe == null) {
      stripe = newStripe(index);
    }
    while (true) {
      long tail = (long) TAIL.getVolatile(stripe);
      if (tail - (long) HEAD.getAcquire(stripe) >= SIZE) {
        drain(stripe);
      } else if (TAIL.compareAndSet(stripe, tail, tail + 1)) {
        SLOTS.setRelease(stripe.slots, PAD + (int) (tail & MASK), node);
        return;
      }
    }
  }

  /** The stripe of the thread with id {@code threadId}. */
  int stripeOf(long threadId) {
    // the top bits of a Fibonacci hash of the id: threads created one after another spread over
    // the stripes (the low bits of the product repeat for consecutive ids)
    return (int) ((threadId * 0x9E3779B97F4A7C15L) >>> 32 >>> shift);
  }

  /** The next stamp, for an entry being stored (under the store's lock, after {@link #drainAll}). */
  long nextStamp() {
    return (long) CLOCK.getAndAdd(clock, TICK, 1L) + 1;
  }

  /** How many stamps were given so far: one per store, one per record applied (for tests). */
  long stampsGiven() {
    return (long) CLOCK.getVolatile(clock, TICK);
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
   * Gives the records appended to {@code stripe} before this call their stamps, in order, and
   * clears their slots. If another thread is draining it, waits for that drain to end and drains
   * what is left; waits likewise for a record whose slot was claimed but not yet written (the
   * appending thread is between its two steps, which never block).
   */
  private void drain(Stripe stripe) {
    long tail = (long) TAIL.getVolatile(stripe);
    while ((long) HEAD.getAcquire(stripe) - tail < 0) {
      if (!DRAINING.compareAndSet(stripe, 0, 1)) {
        Thread.onSpinWait();
        continue;
      }
      try {
        long head = stripe.head;
        int count = (int) (tail - head);
        if (count > 0) {
          Node<?, ?>[] slots = stripe.slots;
          long stamp = (long) CLOCK.getAndAdd(clock, TICK, (long) count);
          for (long i = head; i < tail; i++) {
            int slot = PAD + (int) (i & MASK);
            Node<?, ?> node;
            while ((node = (Node<?, ?>) SLOTS.getAcquire(slots, slot)) == null) {
              Thread.onSpinWait();
            }
            stamps.set(node.slot(), ++stamp);
            slots[slot] = null;
          }
          HEAD.setRelease(stripe, tail);
        }
      } finally {
        DRAINING.setRelease(stripe, 0);
      }
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
    /** Records appended; moved by compare-and-set, by the threads of this stripe. */
    long tail;
    /** Records drained; written by drains only. */
    long head;
    /** 1 while a drain runs. */
    int draining;
  }

  /** One stripe, padded after its fields too. */
  static final class Stripe extends StripeFields {
    long q01, q02, q03, q04, q05, q06, q07, q08;
  }
}
