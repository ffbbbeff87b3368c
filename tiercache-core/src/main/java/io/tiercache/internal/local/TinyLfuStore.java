package io.tiercache.internal.local;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tiercache.TimeSource;
import java.util.Collection;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * An L1 store whose eviction policy is Caffeine's W-TinyLFU ({@code maximumSize}): for users who
 * prefer a higher hit ratio on skewed workloads to {@link LruStore}'s exact LRU order.
 *
 * <p>Caffeine holds the entries and decides what to evict; this class adds what the engine needs
 * on top, with the same contract as {@link LruStore} (see {@link L1Store}):
 *
 * <ul>
 *   <li>Conditional stores and every removal take one lock, so {@link #putIf}'s check is ordered
 *       with removals exactly as in {@link LruStore}. Caffeine's own work (eviction, its buffers)
 *       never takes this lock, so no lock order between the two exists to break.
 *   <li>The index by L2-key hash, the index by tag and the deadline order are concurrent
 *       structures. A new entry is indexed <em>before</em> it enters Caffeine, and Caffeine's
 *       eviction listener, which runs synchronously when it evicts, removes exactly that entry
 *       (conditional removes), so an eviction never leaves an index entry behind and never removes
 *       a newer entry's. An index entry whose entry is gone is harmless anyway: every removal
 *       through an index removes the entry from Caffeine only if it is still the one held.
 *   <li>Expiry is exact against the {@link TimeSource}, as in {@link LruStore}: an entry whose
 *       deadline has passed is invisible to reads at once, is never counted by {@link #size()}, and
 *       is dropped (through the deadline order) before every store, on {@link #size()} and on
 *       {@link #purgeExpired()}. Caffeine's own expiry is not used: its timer wheel drops entries
 *       up to about a second late, which {@link #size()} would count.
 * </ul>
 *
 * <p>Caffeine's maintenance (applying reads to the policy, evicting) runs on the calling thread,
 * not in a pool, so a store of n entries holds at most n once the calls that stored them return.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class TinyLfuStore<K, V> implements L1Store<K, V> {
  /** The deadline order: by deadline, then by the order of stores (entries are distinct). */
  private static final Comparator<Item<?, ?>> BY_DEADLINE = (a, b) -> {
    int order = Long.compare(a.deadline, b.deadline);
    return order != 0 ? order : Long.compare(a.sequence, b.sequence);
  };

  private final Cache<K, Item<K, V>> cache;
  private final ConcurrentMap<K, Item<K, V>> map;
  private final ReentrantLock lock = new ReentrantLock();
  private final TimeSource time;
  private final long maxSize;
  /** Counts stores, for {@link #BY_DEADLINE}; only written under the lock. */
  private long sequence;
  private final ConcurrentHashMap<Long, Item<K, V>> byL2Hash = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Set<Item<K, V>>> byTag = new ConcurrentHashMap<>();
  /** The entries with a deadline, soonest first. */
  private final ConcurrentSkipListSet<Item<K, V>> byDeadline = new ConcurrentSkipListSet<>(BY_DEADLINE);
  /** Entries Caffeine evicted for the bound, and entries dropped at their deadline. */
  private final LongAdder evictions = new LongAdder();

  /**
   * @param maxSize the most entries kept; at least 1 (W-TinyLFU is an eviction policy: a store
   *     without bound has nothing to decide)
   * @param time the clock that deadlines are read against
   * @throws IllegalArgumentException if {@code maxSize} is below 1
   */
  public TinyLfuStore(long maxSize, TimeSource time) {
    if (maxSize < 1) {
      throw new IllegalArgumentException("a W-TinyLFU store needs a bound of at least 1, got " + maxSize);
    }
    this.maxSize = maxSize;
    this.time = time;
    this.cache = Caffeine.newBuilder()
        .maximumSize(maxSize)
        .executor(Runnable::run)
        .<K, Item<K, V>>evictionListener((key, item, cause) -> {
          if (item != null) {
            unindex(item);
          }
          if (cause.wasEvicted()) {
            evictions.increment();
          }
        })
        .build();
    this.map = cache.asMap();
  }

  /** The bound. */
  public long maxSize() {
    return maxSize;
  }

  @Override
  public Item<K, V> get(K key) {
    Item<K, V> item = cache.getIfPresent(key);
    return item == null || isExpired(item, time.nanoTime()) ? null : item;
  }

  @Override
  public Item<K, V> peek(K key) {
    Item<K, V> item = cache.policy().getIfPresentQuietly(key);
    return item == null || isExpired(item, time.nanoTime()) ? null : item;
  }

  @Override
  public boolean putIf(K key, V value, long deadline, long l2Hash, boolean marked,
      BooleanSupplier stillValid) {
    lock.lock();
    try {
      if (!stillValid.getAsBoolean()) {
        return false;
      }
      dropExpired(time.nanoTime());
      Item<K, V> item = new Item<>(key, value, deadline, l2Hash, marked, ++sequence);
      // indexed before Caffeine holds it: an eviction right after the put finds every index entry
      Item<K, V> sameHash = l2Hash == LruStore.NO_HASH ? null : byL2Hash.put(l2Hash, item);
      if (value instanceof LruStore.Tagged tagged) {
        for (String tagKey : tagged.tagKeys()) {
          byTag.compute(tagKey, (k, items) -> {
            Set<Item<K, V>> group = items != null ? items : ConcurrentHashMap.newKeySet();
            group.add(item);
            return group;
          });
        }
      }
      if (deadline != LruStore.NEVER) {
        byDeadline.add(item);
      }
      Item<K, V> old = map.put(key, item);
      if (old != null) {
        unindex(old);
      }
      if (sameHash != null && sameHash != old && map.remove(sameHash.key, sameHash)) {
        unindex(sameHash);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean remove(K key) {
    lock.lock();
    try {
      Item<K, V> item = map.remove(key);
      if (item == null) {
        return false;
      }
      unindex(item);
      return !isExpired(item, time.nanoTime());
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Item<K, V> peekByL2Hash(long l2Hash) {
    return l2Hash == LruStore.NO_HASH ? null : byL2Hash.get(l2Hash);
  }

  @Override
  public Item<K, V> removeByL2Hash(long l2Hash) {
    if (l2Hash == LruStore.NO_HASH) {
      return null;
    }
    lock.lock();
    try {
      Item<K, V> item = byL2Hash.get(l2Hash);
      return item != null && removeHeld(item) ? item : null;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int removeIf(Predicate<? super V> matches) {
    lock.lock();
    try {
      long now = time.nanoTime();
      int removed = 0;
      for (Item<K, V> item : map.values()) {
        if (matches.test(item.value) && removeHeld(item) && !isExpired(item, now)) {
          removed++;
        }
      }
      return removed;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int removeTagged(Collection<String> tagKeys) {
    lock.lock();
    try {
      long now = time.nanoTime();
      int removed = 0;
      for (String tagKey : tagKeys) {
        Set<Item<K, V>> group = byTag.remove(tagKey);
        if (group == null) {
          continue;
        }
        for (Item<K, V> item : group) {
          if (removeHeld(item) && !isExpired(item, now)) {
            removed++;
          }
        }
      }
      return removed;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void clear() {
    lock.lock();
    try {
      map.clear();
      byL2Hash.clear();
      byTag.clear();
      byDeadline.clear();
    } finally {
      lock.unlock();
    }
  }

  /** The number of live entries, after Caffeine's pending evictions ran (so at most the bound). */
  @Override
  public int size() {
    lock.lock();
    try {
      dropExpired(time.nanoTime());
      cache.cleanUp();
      return map.size();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public long purgeExpired() {
    lock.lock();
    try {
      dropExpired(time.nanoTime());
      for (Item<K, V> first : byDeadline) {
        return first.deadline;
      }
      return LruStore.NEVER;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int heldEntries() {
    return map.size();
  }

  @Override
  public long evictions() {
    return evictions.sum();
  }

  /** Removes {@code item} from Caffeine and the indexes if Caffeine still holds it. */
  private boolean removeHeld(Item<K, V> item) {
    boolean held = map.remove(item.key, item);
    unindex(item); // also clears what an entry that is gone left behind
    return held;
  }

  /** Drops the entries whose deadline has passed, soonest first (the set's iterator is safe to remove under). */
  private void dropExpired(long now) {
    for (Item<K, V> first : byDeadline) {
      if (now - first.deadline < 0) {
        return;
      }
      if (removeHeld(first)) {
        evictions.increment();
      }
    }
  }

  /** Removes {@code item}, and only it, from every index; safe to repeat and to race with stores. */
  private void unindex(Item<K, V> item) {
    if (item.l2Hash != LruStore.NO_HASH) {
      byL2Hash.remove(item.l2Hash, item);
    }
    if (item.value instanceof LruStore.Tagged tagged) {
      for (String tagKey : tagged.tagKeys()) {
        byTag.computeIfPresent(tagKey, (k, group) -> group.remove(item) && group.isEmpty() ? null : group);
      }
    }
    if (item.deadline != LruStore.NEVER) {
      byDeadline.remove(item);
    }
  }

  private static boolean isExpired(Item<?, ?> item, long now) {
    return item.deadline != LruStore.NEVER && now - item.deadline >= 0;
  }

  /**
   * One stored entry. Nothing changes once stored: a replacement is a new item. Equal only to
   * itself, which is what Caffeine's conditional removes and the indexes compare by.
   *
   * @param <K> key type
   * @param <V> value type
   */
  public static final class Item<K, V> implements L1Store.Entry<V> {
    final K key;
    final V value;
    final long deadline;
    final long l2Hash;
    final boolean marked;
    /** The order of the store that made it, for the deadline order. */
    final long sequence;

    Item(K key, V value, long deadline, long l2Hash, boolean marked, long sequence) {
      this.key = key;
      this.value = value;
      this.deadline = deadline;
      this.l2Hash = l2Hash;
      this.marked = marked;
      this.sequence = sequence;
    }

    @Override
    public V value() {
      return value;
    }

    @Override
    public long deadline() {
      return deadline;
    }

    @Override
    public boolean marked() {
      return marked;
    }
  }
}
