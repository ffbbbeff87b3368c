package io.tiercache.internal.local;

import io.tiercache.internal.local.LruStore.Node;
import java.util.function.Consumer;

/**
 * An open-addressing table of store nodes (linear probing, backward-shift deletion), used under the
 * store's lock. It holds the nodes themselves, so an entry costs one array slot: no boxed key, no
 * map node. Two kinds:
 *
 * <ul>
 *   <li>{@linkplain #byL2Hash() by L2-key hash}: at most one node per hash, found by the hash
 *       ({@link #get}); a {@link #put} of a node with a hash already held replaces the node there.
 *   <li>{@linkplain #byIdentity() by identity}: a set of nodes (the entries carrying one tag).
 * </ul>
 *
 * @param <K> key type
 * @param <V> value type
 */
final class NodeTable<K, V> {
  /** Fibonacci hashing: spreads any 64-bit hash over the table's high bits. */
  private static final long SPREAD = 0x9E3779B97F4A7C15L;
  private static final int MIN_CAPACITY = 8;

  private final boolean byL2Hash;
  private Node<K, V>[] slots;
  /** 64 minus log2 of the capacity: the shift that turns a spread hash into a slot. */
  private int shift;
  private int size;

  private NodeTable(boolean byL2Hash, int capacity) {
    this.byL2Hash = byL2Hash;
    allocate(capacity);
  }

  /** A table with at most one node per {@link Node#l2Hash}. */
  static <K, V> NodeTable<K, V> byL2Hash() {
    return new NodeTable<>(true, MIN_CAPACITY);
  }

  /** A set of distinct nodes. */
  static <K, V> NodeTable<K, V> byIdentity() {
    return new NodeTable<>(false, MIN_CAPACITY);
  }

  int size() {
    return size;
  }

  /** The node with L2-key hash {@code l2Hash}, or null (tables {@linkplain #byL2Hash() by hash} only). */
  Node<K, V> get(long l2Hash) {
    int mask = slots.length - 1;
    for (int i = home(l2Hash); ; i = (i + 1) & mask) {
      Node<K, V> held = slots[i];
      if (held == null || held.l2Hash == l2Hash) {
        return held;
      }
    }
  }

  /**
   * Adds {@code node}; in a table by hash, replaces the node of the same hash.
   *
   * @return the node replaced (by hash), or null; in a set, {@code node} if it was already there
   */
  Node<K, V> put(Node<K, V> node) {
    if (3 * (size + 1) > 2 * slots.length) {
      resize(slots.length * 2);
    }
    int mask = slots.length - 1;
    for (int i = home(hashOf(node)); ; i = (i + 1) & mask) {
      Node<K, V> held = slots[i];
      if (held == null) {
        slots[i] = node;
        size++;
        return null;
      }
      if (same(held, node)) {
        slots[i] = node;
        return held;
      }
    }
  }

  /** Removes {@code node} itself (not another node of the same hash); whether it was there. */
  boolean remove(Node<K, V> node) {
    int mask = slots.length - 1;
    int i = home(hashOf(node));
    for (; ; i = (i + 1) & mask) {
      Node<K, V> held = slots[i];
      if (held == null) {
        return false;
      }
      if (held == node) {
        break;
      }
    }
    // backward shift: move up every later node of the run that may not stay behind the hole
    int hole = i;
    for (int j = (i + 1) & mask; ; j = (j + 1) & mask) {
      Node<K, V> moving = slots[j];
      if (moving == null) {
        break;
      }
      int want = home(hashOf(moving));
      // moving may fill the hole if its home is not cyclically within (hole, j]
      boolean homeBetween = hole <= j ? (hole < want && want <= j) : (hole < want || want <= j);
      if (!homeBetween) {
        slots[hole] = moving;
        hole = j;
      }
    }
    slots[hole] = null;
    size--;
    return true;
  }

  /** Calls {@code action} with every node, in no particular order; the table must not change meanwhile. */
  void forEach(Consumer<Node<K, V>> action) {
    for (Node<K, V> node : slots) {
      if (node != null) {
        action.accept(node);
      }
    }
  }

  /** Removes every node and gives back the memory of a large table. */
  void clear() {
    allocate(MIN_CAPACITY);
  }

  private long hashOf(Node<K, V> node) {
    return byL2Hash ? node.l2Hash : System.identityHashCode(node);
  }

  private boolean same(Node<K, V> held, Node<K, V> node) {
    return byL2Hash ? held.l2Hash == node.l2Hash : held == node;
  }

  private int home(long hash) {
    return (int) ((hash * SPREAD) >>> shift);
  }

  private void resize(int capacity) {
    Node<K, V>[] old = slots;
    allocate(capacity);
    int mask = capacity - 1;
    for (Node<K, V> node : old) {
      if (node != null) {
        int i = home(hashOf(node));
        while (slots[i] != null) {
          i = (i + 1) & mask;
        }
        slots[i] = node;
        size++;
      }
    }
  }

  @SuppressWarnings("unchecked")
  private void allocate(int capacity) {
    slots = (Node<K, V>[]) new Node<?, ?>[capacity];
    shift = 64 - Integer.numberOfTrailingZeros(capacity);
    size = 0;
  }
}
