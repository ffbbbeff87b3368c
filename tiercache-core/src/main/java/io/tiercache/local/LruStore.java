package io.tiercache.local;

import io.tiercache.TimeSource;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * A concurrent L1 store with exact least-recently-used eviction for sequential use and optional
 * per-entry expiry.
 *
 * <p>Why not Caffeine: its W-TinyLFU policy may refuse a new entry to keep a frequent one, while
 * tiercache promises lru2cache's exact LRU order (with a bound of 2, calls 1, 2, 3, 1 make the last
 * one a miss). Why not a locked {@code LinkedHashMap}: every hit would take the lock.
 *
 * <p>How it stays cheap on a hit: a hit is one {@link ConcurrentHashMap#get} plus, only when the
 * entry is not already the most recent, an access record. Recording writes the store's access
 * counter and most recent entry (one cache line, padded) and appends (entry's slot, stamp) to one
 * of a few padded access buffers, picked by the calling thread's id. Only longs and ints are
 * written, so no garbage collector write barrier; and never the entry, so the
 * entries' lines (key, value, deadline) stay shared by all cores that hit them. No lock, no
 * allocation, no CAS (but one allocation and one CAS the first time a buffer is used). A full buffer is
 * drained under the lock if the lock is free (once per
 * {@value AccessBuffer#SIZE} records); if it is not, the stamp is written into the entry itself
 * instead, so no access is ever lost.
 *
 * <p>Eviction, under the lock, first drains every buffer into the recency heap (each record
 * raises its entry's latest stamp, kept in the heap beside the entry), then pops the entry with the
 * smallest stamp from that binary heap, whose priorities are refreshed lazily: a root whose stamp
 * moved since it was placed is re-sifted with its new stamp until the root's priority is current.
 * Stamps only grow and every access of a sequence of calls (on one thread, or on threads ordered
 * by happens-before, such as a hand-off through a queue) gets a larger stamp than the accesses
 * before it, so the root is then the least recently used entry: exact LRU. Under concurrent hits the
 * counter may skip or repeat values and records may be lost, so the order becomes approximate,
 * never wrong in content.
 *
 * <p>Expired entries are invisible to reads, are never counted by {@link #size()}, and are
 * dropped (through a second heap ordered by deadline) before anything live is evicted.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class LruStore<K, V> {
  /** The deadline of an entry that never expires. */
  public static final long NEVER = Long.MAX_VALUE;
  /** The bound of a store that never evicts. */
  public static final long UNBOUNDED = -1;

  /** How many access buffers a store may have: a power of two, at least 4 per core, at most 64. */
  private static final int BUFFERS =
      Math.min(64, 4 * Integer.highestOneBit(Math.max(1, Runtime.getRuntime().availableProcessors())));

  private static final VarHandle TICK;
  private static final VarHandle LAST;
  private static final VarHandle STAMP;
  private static final VarHandle COUNT;
  private static final VarHandle RECORDS = MethodHandles.arrayElementVarHandle(long[].class);
  private static final VarHandle BUFFER_SLOT =
      MethodHandles.arrayElementVarHandle(AccessBuffer[].class);

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      TICK = lookup.findVarHandle(RecencyFields.class, "tick", long.class);
      LAST = lookup.findVarHandle(RecencyFields.class, "last", int.class);
      STAMP = lookup.findVarHandle(Node.class, "stamp", long.class);
      COUNT = lookup.findVarHandle(AccessBufferFields.class, "count", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final ConcurrentHashMap<K, Node<K, V>> map = new ConcurrentHashMap<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final long maxSize;
  private final TimeSource time;
  private final NodeHeap<K, V> byRecency = NodeHeap.byRecency();
  private final NodeHeap<K, V> byDeadline = NodeHeap.byDeadline();
  /** The access counter and the most recently accessed entry, alone on their cache lines. */
  private final Recency recency = new Recency();
  /** The access buffers, created on first use; a thread uses the one its id hashes to. */
  private final AccessBuffer[] buffers = new AccessBuffer[BUFFERS];
  /**
   * The bounded store's entries by slot: the number a record names its entry by (a record holds
   * no reference, since storing one would cost the hit a garbage collector write barrier). Under
   * the lock. A slot freed by a removal is given to a later entry, whose put stamp is larger than
   * any record of the old one, so a late record of the old entry never changes the new one's order.
   */
  @SuppressWarnings("unchecked")
  private Node<K, V>[] slots = (Node<K, V>[]) new Node<?, ?>[16];
  private int[] freeSlots = new int[16];
  private int freeSlotCount;
  private int slotsUsed;

  /**
   * @param maxSize the most entries kept, or {@link #UNBOUNDED}; must not be 0 (a bound of 0 is
   *     a function with no L1, which has no store)
   * @param time the clock that deadlines are read against
   */
  public LruStore(long maxSize, TimeSource time) {
    if (maxSize == 0 || maxSize < UNBOUNDED) {
      throw new IllegalArgumentException("maxSize must be positive or UNBOUNDED, got " + maxSize);
    }
    this.maxSize = maxSize;
    this.time = time;
  }

  /** The bound, or {@link #UNBOUNDED}. */
  public long maxSize() {
    return maxSize;
  }

  /**
   * The live entry for {@code key}, made the most recently used; null if absent or expired.
   * This is the hit path: no lock, no allocation.
   */
  public Node<K, V> get(K key) {
    Node<K, V> node = map.get(key);
    if (node == null || (node.deadline != NEVER && time.nanoTime() - node.deadline >= 0)) {
      return null;
    }
    if (maxSize != UNBOUNDED && (int) LAST.getOpaque(recency) != node.slot) {
      recordAccess(node);
    }
    return node;
  }

  /** Gives {@code node} the next stamp and records it; the hit path's only writes. */
  private void recordAccess(Node<K, V> node) {
    long stamp = (long) TICK.getOpaque(recency) + 1;
    TICK.setOpaque(recency, stamp);
    LAST.setOpaque(recency, node.slot);
    int index = (int) ((Thread.currentThread().getId() * 0x9E3779B97F4A7C15L) >>> 58) & (BUFFERS - 1);
    AccessBuffer buffer = (AccessBuffer) BUFFER_SLOT.getAcquire(buffers, index);
    if (buffer == null) {
      buffer = createBuffer(index);
    }
    int count = (int) COUNT.getOpaque(buffer);
    if (count >= 0 && count < AccessBuffer.SIZE) {
      RECORDS.setOpaque(buffer.records, 2 * count, (long) node.slot);
      RECORDS.setOpaque(buffer.records, 2 * count + 1, stamp);
      COUNT.setOpaque(buffer, count + 1);
    } else {
      recordInFullBuffer(buffer, node, stamp);
    }
  }

  /**
   * A full buffer: drained now if the lock is free, else the stamp goes into the node itself (read
   * by the heap too), so the access is not lost and the hit never waits.
   */
  private void recordInFullBuffer(AccessBuffer buffer, Node<K, V> node, long stamp) {
    if (lock.tryLock()) {
      try {
        drain(buffer);
        byRecency.touch(node, stamp);
      } finally {
        lock.unlock();
      }
    } else {
      STAMP.setOpaque(node, stamp);
    }
  }

  /**
   * The first hit of a thread whose buffer does not exist yet: one allocation and one CAS, once
   * per buffer, never the lock (a hit never waits for a writer).
   */
  private AccessBuffer createBuffer(int index) {
    AccessBuffer created = new AccessBuffer();
    AccessBuffer witness = (AccessBuffer) BUFFER_SLOT.compareAndExchange(buffers, index, null, created);
    return witness == null ? created : witness;
  }

  /** Applies and empties one buffer; under the lock. */
  private void drain(AccessBuffer buffer) {
    int count = Math.min((int) COUNT.getOpaque(buffer), AccessBuffer.SIZE);
    long[] records = buffer.records;
    for (int i = 0; i < count; i++) {
      long slot = (long) RECORDS.getOpaque(records, 2 * i);
      if (slot >= 0 && slot < slotsUsed) {
        Node<K, V> node = slots[(int) slot];
        if (node != null) {
          byRecency.touch(node, (long) RECORDS.getOpaque(records, 2 * i + 1));
        }
      }
    }
    COUNT.setOpaque(buffer, 0);
  }

  private void assignSlot(Node<K, V> node) {
    int slot;
    if (freeSlotCount > 0) {
      slot = freeSlots[--freeSlotCount];
    } else {
      if (slotsUsed == slots.length) {
        slots = Arrays.copyOf(slots, slotsUsed * 2);
      }
      slot = slotsUsed++;
    }
    slots[slot] = node;
    node.slot = slot;
  }

  private void freeSlot(Node<K, V> node) {
    int slot = node.slot;
    if (slot >= 0 && slot < slotsUsed && slots[slot] == node) {
      slots[slot] = null;
      if (freeSlotCount == freeSlots.length) {
        freeSlots = Arrays.copyOf(freeSlots, freeSlotCount * 2);
      }
      freeSlots[freeSlotCount++] = slot;
    }
  }

  /** Applies and empties every buffer; under the lock, before choosing a victim. */
  private void drainAll() {
    for (AccessBuffer buffer : buffers) {
      if (buffer != null) {
        drain(buffer);
      }
    }
  }

  /** The live entry for {@code key} without touching its recency; null if absent or expired. */
  public Node<K, V> peek(K key) {
    Node<K, V> node = map.get(key);
    return node == null || isExpired(node, time.nanoTime()) ? null : node;
  }

  /**
   * Stores {@code value} under {@code key} if {@code stillValid} holds, checked under the store's
   * lock; the same lock orders every {@link #remove}, so a removal that happened before the check
   * failed it is never undone by this write.
   *
   * @param deadline the {@link TimeSource#nanoTime()} at which the entry expires, or {@link #NEVER}
   * @return whether the value was stored
   */
  public boolean putIf(K key, V value, long deadline, BooleanSupplier stillValid) {
    lock.lock();
    try {
      if (!stillValid.getAsBoolean()) {
        return false;
      }
      long now = time.nanoTime();
      dropExpired(now);
      Node<K, V> node = new Node<>(key, value, deadline);
      long stamp = (long) TICK.getOpaque(recency) + 1;
      TICK.setOpaque(recency, stamp);
      node.stamp = stamp;
      node.priority = stamp;
      if (maxSize != UNBOUNDED) {
        assignSlot(node); // before the node is published: hits read its slot
      }
      Node<K, V> old = map.put(key, node);
      if (old != null) {
        unlink(old);
      }
      if (maxSize != UNBOUNDED) {
        byRecency.add(node);
        LAST.setOpaque(recency, node.slot);
      }
      if (deadline != NEVER) {
        byDeadline.add(node);
      }
      if (maxSize != UNBOUNDED && map.size() > maxSize) {
        drainAll();
        while (map.size() > maxSize) {
          Node<K, V> lru = byRecency.pollLeastRecent();
          forgetRecency(lru);
          map.remove(lru.key, lru);
          if (lru.deadline != NEVER) {
            byDeadline.remove(lru);
          }
        }
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Stores {@code value} unconditionally. */
  public void put(K key, V value, long deadline) {
    putIf(key, value, deadline, () -> true);
  }

  /** Removes the entry for {@code key}; true if a live one was there. */
  public boolean remove(K key) {
    lock.lock();
    try {
      Node<K, V> node = map.remove(key);
      if (node == null) {
        return false;
      }
      unlink(node);
      return !isExpired(node, time.nanoTime());
    } finally {
      lock.unlock();
    }
  }

  /**
   * Removes every entry whose value matches; for invalidation by tag or key, which must reach this
   * process's entries at once. Linear in the store's size, under the lock; touches no backend.
   *
   * @return how many live entries were removed
   */
  public int removeIf(java.util.function.Predicate<? super V> matches) {
    lock.lock();
    try {
      int removed = 0;
      long now = time.nanoTime();
      for (Node<K, V> node : map.values()) {
        if (matches.test(node.value) && map.remove(node.key, node)) {
          unlink(node);
          if (!isExpired(node, now)) {
            removed++;
          }
        }
      }
      return removed;
    } finally {
      lock.unlock();
    }
  }

  /** Removes every entry. */
  public void clear() {
    lock.lock();
    try {
      map.clear();
      byRecency.clear();
      byDeadline.clear();
      drainAll(); // empties the buffers: no node is in the heap any more, so nothing is applied
      Arrays.fill(slots, 0, slotsUsed, null);
      slotsUsed = 0;
      freeSlotCount = 0;
      LAST.setOpaque(recency, -1);
    } finally {
      lock.unlock();
    }
  }

  /** The number of live entries; expired ones are dropped first and never counted. */
  public int size() {
    lock.lock();
    try {
      dropExpired(time.nanoTime());
      return map.size();
    } finally {
      lock.unlock();
    }
  }

  private void dropExpired(long now) {
    Node<K, V> first;
    while ((first = byDeadline.peek()) != null && now - first.deadline >= 0) {
      byDeadline.remove(first);
      map.remove(first.key, first);
      if (maxSize != UNBOUNDED) {
        byRecency.remove(first);
        forgetRecency(first);
      }
    }
  }

  private void unlink(Node<K, V> node) {
    if (maxSize != UNBOUNDED) {
      byRecency.remove(node);
      forgetRecency(node);
    }
    if (node.deadline != NEVER) {
      byDeadline.remove(node);
    }
  }

  /** Frees a removed node's slot; under the lock. */
  private void forgetRecency(Node<K, V> node) {
    if ((int) LAST.getOpaque(recency) == node.slot) {
      LAST.setOpaque(recency, -1); // a later entry in the same slot is not the most recent
    }
    freeSlot(node);
  }

  private static boolean isExpired(Node<?, ?> node, long now) {
    return node.deadline != NEVER && now - node.deadline >= 0;
  }

  /**
   * One stored entry. Key, value and deadline never change: a replacement is a new node.
   *
   * @param <K> key type
   * @param <V> value type
   */
  public static final class Node<K, V> {
    final K key;
    final V value;
    final long deadline;
    /**
     * The stamp this node was stored with, or a later access written here (opaque) by a hit that
     * found its access buffer full and the lock taken; the heap keeps the max of it and the
     * stamps recorded in the buffers.
     */
    long stamp;
    /** The stamp this node is ordered by in the recency heap; only touched under the lock. */
    long priority;
    int recencyIndex = -1;
    /** The node's slot in a bounded store, set before the node is published; -1 if none. */
    int slot = -1;
    int deadlineIndex = -1;

    Node(K key, V value, long deadline) {
      this.key = key;
      this.value = value;
      this.deadline = deadline;
    }

    /** The stored value. */
    public V value() {
      return value;
    }

    /** When the entry expires, in {@link TimeSource#nanoTime()}, or {@link #NEVER}. */
    public long deadline() {
      return deadline;
    }

    long currentStamp() {
      return (long) STAMP.getOpaque(this);
    }
  }

  /** 128 bytes before the fields of a padded object (two cache lines, for adjacent-line prefetch). */
  @SuppressWarnings("unused")
  static class PadBefore {
    long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
  }

  /** The fields of {@link Recency}. */
  static class RecencyFields extends PadBefore {
    /** The access counter: the last stamp given. */
    long tick;
    /** The slot of the entry given the last stamp, so a hit on it writes nothing; -1 if none. */
    int last = -1;
  }

  /** The access counter and the most recent entry, padded on both sides. */
  @SuppressWarnings("unused")
  static final class Recency extends RecencyFields {
    long q00, q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15;
  }

  /** The fields of {@link AccessBuffer}. */
  static class AccessBufferFields extends PadBefore {
    /** Records held (the next free slot); written racily when threads share a buffer. */
    int count;
  }

  /** (slot, stamp) records of hits, waiting to be applied to the recency heap. */
  @SuppressWarnings("unused")
  static final class AccessBuffer extends AccessBufferFields {
    static final int SIZE = 64;
    /** Record i is (slot, stamp) at 2i and 2i + 1: longs only, so writing one needs no GC barrier. */
    final long[] records = new long[2 * SIZE];
    long q00, q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15;
  }
}
