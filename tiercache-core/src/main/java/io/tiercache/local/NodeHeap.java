package io.tiercache.local;

import io.tiercache.local.LruStore.Node;
import java.util.Arrays;

/**
 * An indexed binary min-heap of store nodes, used under the store's lock: by recency stamp (with
 * lazily refreshed priorities) for eviction, by deadline for expiry. Each node remembers its
 * position, so removal of any node is O(log n).
 *
 * <p>Beside each node, at the same position, the heap keeps the node's latest known access stamp
 * ({@link #touch}), so that recording an access writes this array, never the node: the nodes' cache
 * lines stay read-only for the threads that hit them.
 */
abstract class NodeHeap<K, V> {
  private Node<K, V>[] nodes = newArray(16);
  /** The latest access stamp recorded for the node at the same position. */
  private long[] latest = new long[16];
  private int size;

  static <K, V> NodeHeap<K, V> byRecency() {
    return new NodeHeap<>() {
      @Override
      long priority(Node<K, V> node) {
        return node.priority;
      }

      @Override
      int index(Node<K, V> node) {
        return node.recencyIndex;
      }

      @Override
      void setIndex(Node<K, V> node, int index) {
        node.recencyIndex = index;
      }
    };
  }

  static <K, V> NodeHeap<K, V> byDeadline() {
    return new NodeHeap<>() {
      @Override
      long priority(Node<K, V> node) {
        return node.deadline;
      }

      @Override
      int index(Node<K, V> node) {
        return node.deadlineIndex;
      }

      @Override
      void setIndex(Node<K, V> node, int index) {
        node.deadlineIndex = index;
      }
    };
  }

  abstract long priority(Node<K, V> node);

  abstract int index(Node<K, V> node);

  abstract void setIndex(Node<K, V> node, int index);

  /** Adds {@code node}, whose latest access stamp is its priority. */
  void add(Node<K, V> node) {
    if (size == nodes.length) {
      nodes = Arrays.copyOf(nodes, size * 2);
      latest = Arrays.copyOf(latest, size * 2);
    }
    nodes[size] = node;
    latest[size] = priority(node);
    setIndex(node, size);
    siftUp(size++);
  }

  /**
   * Records that {@code node} was accessed at {@code stamp}; ignored if the node is no longer in
   * the heap (removed or replaced since) or if a later access was already recorded.
   */
  void touch(Node<K, V> node, long stamp) {
    int i = index(node);
    if (i >= 0 && i < size && nodes[i] == node && latest[i] < stamp) {
      latest[i] = stamp;
    }
  }

  Node<K, V> peek() {
    return size == 0 ? null : nodes[0];
  }

  void remove(Node<K, V> node) {
    int i = index(node);
    if (i < 0 || i >= size || nodes[i] != node) {
      return;
    }
    Node<K, V> last = nodes[--size];
    long lastLatest = latest[size];
    nodes[size] = null;
    setIndex(node, -1);
    if (i < size) {
      nodes[i] = last;
      latest[i] = lastLatest;
      setIndex(last, i);
      siftDown(i);
      siftUp(index(last));
    }
  }

  /**
   * Removes and returns the least recently used node: while the root was touched since it was
   * placed, it takes its current stamp (the later of the one recorded here by {@link #touch} and
   * the one written in the node itself) and sinks; stamps only grow, so a root whose priority is
   * current has the smallest stamp of all.
   */
  Node<K, V> pollLeastRecent() {
    Node<K, V> root;
    long stamp;
    while ((stamp = Math.max(latest[0], (root = nodes[0]).currentStamp())) != root.priority) {
      root.priority = stamp;
      siftDown(0);
    }
    remove(root);
    return root;
  }

  void clear() {
    Arrays.fill(nodes, 0, size, null);
    size = 0;
  }

  private void siftUp(int i) {
    Node<K, V> node = nodes[i];
    long nodeLatest = latest[i];
    long p = priority(node);
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      Node<K, V> up = nodes[parent];
      if (priority(up) <= p) {
        break;
      }
      nodes[i] = up;
      latest[i] = latest[parent];
      setIndex(up, i);
      i = parent;
    }
    nodes[i] = node;
    latest[i] = nodeLatest;
    setIndex(node, i);
  }

  private void siftDown(int i) {
    Node<K, V> node = nodes[i];
    long nodeLatest = latest[i];
    long p = priority(node);
    int half = size >>> 1;
    while (i < half) {
      int child = 2 * i + 1;
      int right = child + 1;
      if (right < size && priority(nodes[right]) < priority(nodes[child])) {
        child = right;
      }
      if (p <= priority(nodes[child])) {
        break;
      }
      nodes[i] = nodes[child];
      latest[i] = latest[child];
      setIndex(nodes[i], i);
      i = child;
    }
    nodes[i] = node;
    latest[i] = nodeLatest;
    setIndex(node, i);
  }

  @SuppressWarnings("unchecked")
  private static <K, V> Node<K, V>[] newArray(int length) {
    return (Node<K, V>[]) new Node<?, ?>[length];
  }
}
