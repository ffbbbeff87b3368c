package io.tiercache.internal.local;

import io.tiercache.TimeSource;
import java.util.Collection;
import java.util.HashMap;
import java.util.Set;
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
 * <p>How it stays cheap on a hit: a hit is one {@link ConcurrentHashMap#get} plus one record of
 * the access in its thread's stripe of read buffers ({@link ReadBuffers}): no lock, no
 * allocation, one compare-and-set on the stripe's own line, and on most hits no write to a cache
 * line that another core writes. The
 * records become recency stamps in batches (when a thread's buffer fills, and all of them before
 * each eviction decision). Eviction, under a lock, pops the entry with the smallest stamp from a
 * binary heap whose priorities are refreshed lazily: a root whose stamp moved since it was placed
 * is re-sifted with its new stamp until the root's priority is current. Stamps only grow, so the
 * root is then the least recently used entry. The calls of one thread keep exact LRU order (all of
 * its accesses are applied, in order, before the next eviction decision), as does any sequence of
 * calls whose store writes each drain the buffers first; between the hits of different threads the
 * order is approximate (records are stamped stripe by stripe), never wrong in content.
 *
 * <p>Expired entries are invisible to reads, are never counted by {@link #size()}, and are
 * dropped (through a second heap ordered by deadline) before anything live is evicted.
 *
 * <p>An entry may carry a 64-bit {@linkplain #putIf(Object, Object, long, long, boolean, BooleanSupplier)
 * hash of its L2 key}; a store built {@linkplain #LruStore(long, TimeSource, boolean) with an
 * index} finds it by that hash in O(1) ({@link #removeByL2Hash}), which is how an invalidation
 * made by another process reaches this L1. The index holds the nodes in an open-addressing table,
 * one array slot per entry (no boxed hash, no map node). It keeps the whole 64 bits: with 32, two
 * of a million entries would share a hash about a hundred times, and each such pair is one entry.
 *
 * <p>Such a store also indexes the entries whose value is {@link Tagged} by each of its tag keys,
 * so that {@link #removeTagged} costs time in proportion to the entries it removes, not to the
 * store's size (a tag no entry carries costs one map lookup). Both indexes are kept under the
 * lock, on writes only (store, replace, remove, evict, expire); a hit never touches them.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class LruStore<K, V> implements L1Store<K, V> {
  /** The deadline of an entry that never expires. */
  public static final long NEVER = Long.MAX_VALUE;
  /** The bound of a store that never evicts. */
  public static final long UNBOUNDED = -1;

  private final ConcurrentHashMap<K, Node<K, V>> map = new ConcurrentHashMap<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final long maxSize;
  private final TimeSource time;
  private final NodeHeap<K, V> byRecency = NodeHeap.byRecency();
  private final NodeHeap<K, V> byDeadline = NodeHeap.byDeadline();
  /** The hits' access records and the stamp clock; null for an unbounded store (no recency). */
  private final ReadBuffers reads;
  /** Entries by L2 key hash (at most one per hash), or null; only touched under the lock. */
  private final NodeTable<K, V> byL2Hash;
  /**
   * The entries carrying each tag key, or null (a store without index): a tag carried by one entry
   * maps to its {@link Node}, by more to a {@link NodeTable} set of them. Only touched under the
   * lock.
   */
  private final HashMap<String, Object> byTag;
  /** Entries dropped for the bound or their deadline; only written under the lock. */
  private volatile long evictions;

  /**
   * @param maxSize the most entries kept, or {@link #UNBOUNDED}; must not be 0 (a bound of 0 is
   *     a function with no L1, which has no store)
   * @param time the clock that deadlines are read against
   */
  public LruStore(long maxSize, TimeSource time) {
    this(maxSize, time, false);
  }

  /**
   * @param maxSize as {@link #LruStore(long, TimeSource)}
   * @param time the clock that deadlines are read against
   * @param indexByL2Hash whether to find entries by the L2 key hash they were stored with, and
   *     {@link Tagged} ones by tag key
   */
  public LruStore(long maxSize, TimeSource time, boolean indexByL2Hash) {
    this(maxSize, time, indexByL2Hash, maxSize == UNBOUNDED ? null : new ReadBuffers());
  }

  /** A store without index whose hits record in {@code stripes} read buffers (for tests). */
  LruStore(long maxSize, TimeSource time, int stripes) {
    this(maxSize, time, false, maxSize == UNBOUNDED ? null : new ReadBuffers(stripes));
  }

  private LruStore(long maxSize, TimeSource time, boolean indexByL2Hash, ReadBuffers reads) {
    this.byL2Hash = indexByL2Hash ? NodeTable.byL2Hash() : null;
    this.byTag = indexByL2Hash ? new HashMap<>() : null;
    if (maxSize == 0 || maxSize < UNBOUNDED) {
      throw new IllegalArgumentException("maxSize must be positive or UNBOUNDED, got " + maxSize);
    }
    this.maxSize = maxSize;
    this.time = time;
    this.reads = reads;
  }

  /** The bound, or {@link #UNBOUNDED}. */
  public long maxSize() {
    return maxSize;
  }

  @Override
  public long evictions() {
    return evictions;
  }

  /**
   * The live entry for {@code key}, made the most recently used; null if absent or expired.
   * This is the hit path: no lock, no allocation.
   */
  @Override
  public Node<K, V> get(K key) {
    Node<K, V> node = map.get(key);
    if (node == null || (node instanceof TimedNode<K, V> timed && time.nanoTime() - timed.deadline >= 0)) {
      return null;
    }
    if (reads != null) {
      reads.record(node);
    }
    return node;
  }

  /** The live entry for {@code key} without touching its recency; null if absent or expired. */
  @Override
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
    return putIf(key, value, deadline, NO_HASH, false, stillValid);
  }

  /** What an entry stored without an L2 key hash carries. */
  public static final long NO_HASH = 0;

  /**
   * As {@link #putIf(Object, Object, long, BooleanSupplier)}, remembering the hash of the entry's
   * L2 key ({@link #NO_HASH} for none) and a mark of the owner's (the engine marks the values it
   * wrote to L2 itself). In an indexed store, another entry with the same hash but another key is
   * dropped (a collision costs a miss, never a wrong value).
   */
  @Override
  public boolean putIf(K key, V value, long deadline, long l2Hash, boolean marked,
      BooleanSupplier stillValid) {
    lock.lock();
    try {
      if (!stillValid.getAsBoolean()) {
        return false;
      }
      long now = time.nanoTime();
      dropExpired(now);
      Node<K, V> node = Node.of(key, value, deadline, l2Hash, marked);
      if (reads != null) {
        // every access recorded before this store is applied before it evicts anything
        reads.drainAll();
        long stamp = reads.nextStamp();
        node.slot(reads.stamps.allocate(stamp));
        node.priority = stamp;
      }
      Node<K, V> old = map.put(key, node);
      if (old != null) {
        unlink(old);
      }
      if (byL2Hash != null && l2Hash != NO_HASH) {
        Node<K, V> sameHash = byL2Hash.put(node);
        if (sameHash != null && sameHash != old && map.remove(sameHash.key, sameHash)) {
          unlink(sameHash);
        }
      }
      if (byTag != null && value instanceof Tagged tagged) {
        for (String tagKey : tagged.tagKeys()) {
          addTagged(tagKey, node);
        }
      }
      if (maxSize != UNBOUNDED) {
        byRecency.add(node);
      }
      if (node instanceof TimedNode<K, V> timed) {
        byDeadline.add(timed);
      }
      if (maxSize != UNBOUNDED) {
        while (map.size() > maxSize) {
          Node<K, V> lru = byRecency.pollLeastRecent(reads.stamps);
          evictions++;
          map.remove(lru.key, lru);
          reads.stamps.release(lru.slot());
          if (lru instanceof TimedNode<K, V> timed) {
            byDeadline.remove(timed);
          }
          unindex(lru);
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
  @Override
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

  /** The entry stored with L2 key hash {@code l2Hash} (live or expired), or null; O(1). */
  @Override
  public Node<K, V> peekByL2Hash(long l2Hash) {
    if (byL2Hash == null || l2Hash == NO_HASH) {
      return null;
    }
    lock.lock();
    try {
      return byL2Hash.get(l2Hash);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Removes the entry stored with L2 key hash {@code l2Hash}, in O(1); only for a store built with
   * an index (otherwise nothing is found).
   *
   * @return the removed entry (live or expired), or null
   */
  @Override
  public Node<K, V> removeByL2Hash(long l2Hash) {
    if (byL2Hash == null || l2Hash == NO_HASH) {
      return null;
    }
    lock.lock();
    try {
      Node<K, V> node = byL2Hash.get(l2Hash);
      if (node == null || !map.remove(node.key, node)) {
        return null;
      }
      unlink(node);
      return node;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Removes every entry whose value matches. Linear in the store's size, under the lock; touches no
   * backend. An invalidation by tag uses {@link #removeTagged}, which is not linear.
   *
   * @return how many live entries were removed
   */
  @Override
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

  /**
   * Removes every entry whose value is {@link Tagged} with any of {@code tagKeys} (live or expired),
   * under the lock, in time proportional to the entries removed: each tag key is one lookup in the
   * index by tag. Only a store built with an index finds anything. This is how an invalidation by
   * tag or prefix reaches this process's entries at once.
   *
   * @return how many live entries were removed
   */
  @Override
  public int removeTagged(Collection<String> tagKeys) {
    if (byTag == null) {
      return 0;
    }
    lock.lock();
    try {
      long now = time.nanoTime();
      int removed = 0;
      for (String tagKey : tagKeys) {
        // detached first: removing its nodes below then leaves the group itself unchanged
        Object group = byTag.remove(tagKey);
        if (group instanceof NodeTable<?, ?> nodes) {
          @SuppressWarnings("unchecked")
          NodeTable<K, V> typed = (NodeTable<K, V>) nodes;
          int[] live = {0};
          typed.forEach(node -> live[0] += removeTaggedNode(node, now));
          removed += live[0];
        } else if (group != null) {
          @SuppressWarnings("unchecked")
          Node<K, V> node = (Node<K, V>) group;
          removed += removeTaggedNode(node, now);
        }
      }
      return removed;
    } finally {
      lock.unlock();
    }
  }

  /** Removes {@code node} if still held; 1 if it was live, else 0. */
  private int removeTaggedNode(Node<K, V> node, long now) {
    if (!map.remove(node.key, node)) {
      return 0;
    }
    unlink(node);
    return isExpired(node, now) ? 0 : 1;
  }

  /** Removes every entry. */
  @Override
  public void clear() {
    lock.lock();
    try {
      map.clear();
      if (reads != null) {
        reads.drainAll(); // lets go of the cleared entries the records still point at
        reads.stamps.releaseAll();
      }
      byRecency.clear();
      byDeadline.clear();
      if (byL2Hash != null) {
        byL2Hash.clear();
        byTag.clear();
      }
    } finally {
      lock.unlock();
    }
  }

  /** The number of live entries; expired ones are dropped first and never counted. */
  @Override
  public int size() {
    lock.lock();
    try {
      dropExpired(time.nanoTime());
      return map.size();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Drops every entry whose deadline has passed, for a timer that expires entries without waiting
   * for a call.
   *
   * @return the earliest deadline among the entries left, or {@link #NEVER}
   */
  @Override
  public long purgeExpired() {
    lock.lock();
    try {
      dropExpired(time.nanoTime());
      Node<K, V> first = byDeadline.peek();
      return first == null ? NEVER : first.deadline();
    } finally {
      lock.unlock();
    }
  }

  /** How many entries the store holds, expired ones not yet dropped included (for tests of expiry). */
  @Override
  public int heldEntries() {
    return map.size();
  }

  /**
   * How many entries the eviction order holds, for tests of its invariant: in a bounded store,
   * exactly {@link #heldEntries()} (an entry missing there could never be evicted).
   */
  int recencyEntries() {
    lock.lock();
    try {
      return maxSize == UNBOUNDED ? map.size() : byRecency.size();
    } finally {
      lock.unlock();
    }
  }

  /**
   * How many recency stamps a bounded store has given: one per entry stored, one per hit whose
   * record was applied (for tests that no hit is lost).
   */
  long stampsGiven() {
    return reads.stampsGiven();
  }

  /**
   * How many stamp slots a bounded store ever created: at most one more than the bound, as the
   * slots of entries that left are given to new ones (for tests).
   */
  int stampSlotsCreated() {
    return reads.stamps.slotsCreated();
  }

  private void dropExpired(long now) {
    Node<K, V> first;
    while ((first = byDeadline.peek()) != null && now - first.deadline() >= 0) {
      byDeadline.remove(first);
      map.remove(first.key, first);
      evictions++;
      if (maxSize != UNBOUNDED) {
        byRecency.remove(first);
        reads.stamps.release(first.slot());
      }
      unindex(first);
    }
  }

  private void unlink(Node<K, V> node) {
    if (maxSize != UNBOUNDED) {
      byRecency.remove(node);
      reads.stamps.release(node.slot());
    }
    if (node instanceof TimedNode<K, V> timed) {
      byDeadline.remove(timed);
    }
    unindex(node);
  }

  private void unindex(Node<K, V> node) {
    if (byL2Hash == null) {
      return;
    }
    if (node.l2Hash != NO_HASH) {
      byL2Hash.remove(node);
    }
    if (node.value instanceof Tagged tagged) {
      for (String tagKey : tagged.tagKeys()) {
        untag(tagKey, node);
      }
    }
  }

  private void addTagged(String tagKey, Node<K, V> node) {
    Object group = byTag.putIfAbsent(tagKey, node);
    if (group == null) {
      return;
    }
    NodeTable<K, V> nodes;
    if (group instanceof NodeTable<?, ?> table) {
      @SuppressWarnings("unchecked")
      NodeTable<K, V> typed = (NodeTable<K, V>) table;
      nodes = typed;
    } else {
      @SuppressWarnings("unchecked")
      Node<K, V> single = (Node<K, V>) group;
      nodes = NodeTable.byIdentity();
      nodes.put(single);
      byTag.put(tagKey, nodes);
    }
    nodes.put(node);
  }

  private void untag(String tagKey, Node<K, V> node) {
    Object group = byTag.get(tagKey);
    if (group == node) {
      byTag.remove(tagKey);
    } else if (group instanceof NodeTable<?, ?> nodes) {
      @SuppressWarnings("unchecked")
      NodeTable<K, V> typed = (NodeTable<K, V>) nodes;
      if (typed.remove(node) && typed.size() == 0) {
        byTag.remove(tagKey);
      }
    }
  }

  private static boolean isExpired(Node<?, ?> node, long now) {
    return node instanceof TimedNode<?, ?> timed && now - timed.deadline >= 0;
  }

  /**
   * A value that carries tag keys, by which a store {@linkplain LruStore#LruStore(long, TimeSource,
   * boolean) with an index} finds its entry ({@link LruStore#removeTagged}). The keys must not change once stored.
   */
  public interface Tagged {
    /** The tag keys this value's entry is found by. */
    Set<String> tagKeys();
  }

  /**
   * One stored entry. Key, value and deadline never change: a replacement is a new node. An entry
   * without a deadline is this class alone (48 bytes with compressed oops, plus 8 for its stamp in the
   * store's {@link Stamps}); one with a deadline is
   * a {@link TimedNode}, which adds the deadline and its place in the expiry heap, so functions
   * without a TTL do not pay for them.
   *
   * @param <K> key type
   * @param <V> value type
   */
  public static sealed class Node<K, V> implements L1Store.Entry<V> permits TimedNode {
    /** The top bit of {@link #slotAndMark}: the owner's mark. */
    private static final int MARK = 0x8000_0000;

    final K key;
    final V value;
    /** The hash of the entry's L2 key, or {@link LruStore#NO_HASH}. */
    final long l2Hash;
    /**
     * The owner's mark, given when stored, in the top bit; below it, where this entry's
     * last-access stamp is kept in its store's {@link Stamps} (a bounded store only): drains write
     * the stamp there, not here, so the lines a hit reads are not written while the entry is held.
     * The slot is set under the lock before the entry is published. One field for both keeps a
     * {@link TimedNode} at 56 bytes.
     */
    private int slotAndMark;
    /** The stamp this node is ordered by in the recency heap; only touched under the lock. */
    long priority;
    int recencyIndex = -1;

    Node(K key, V value, long l2Hash, boolean marked) {
      this.key = key;
      this.value = value;
      this.l2Hash = l2Hash;
      this.slotAndMark = marked ? MARK : 0;
    }

    /** The entry's slot in its store's {@link Stamps}. */
    final int slot() {
      return slotAndMark & ~MARK;
    }

    /** Gives the entry its slot in its store's {@link Stamps} (under the lock, before publication). */
    final void slot(int slot) {
      slotAndMark = (slotAndMark & MARK) | slot;
    }

    /** A node of the lean kind when {@code deadline} is {@link #NEVER}, else a timed one. */
    static <K, V> Node<K, V> of(K key, V value, long deadline, long l2Hash, boolean marked) {
      return deadline == NEVER ? new Node<>(key, value, l2Hash, marked)
          : new TimedNode<>(key, value, deadline, l2Hash, marked);
    }

    /** The mark the entry was stored with. */
    @Override
    public boolean marked() {
      return slotAndMark < 0;
    }

    /** The stored value. */
    @Override
    public V value() {
      return value;
    }

    /** When the entry expires, in {@link TimeSource#nanoTime()}, or {@link #NEVER}. */
    @Override
    public long deadline() {
      return NEVER;
    }
  }

  /**
   * An entry with a deadline: it is also held in the store's expiry heap.
   *
   * @param <K> key type
   * @param <V> value type
   */
  static final class TimedNode<K, V> extends Node<K, V> {
    final long deadline;
    int deadlineIndex = -1;

    TimedNode(K key, V value, long deadline, long l2Hash, boolean marked) {
      super(key, value, l2Hash, marked);
      this.deadline = deadline;
    }

    @Override
    public long deadline() {
      return deadline;
    }
  }
}
