package io.tiercache.internal.local;

import io.tiercache.internal.local.LruStore.Node;
import java.util.Arrays;

/**
 * An indexed binary min-heap of store nodes, used under the store's lock: by recency stamp (with
 * lazily refreshed priorities) for eviction, by deadline for expiry. Each node remembers its
 * position, so removal of any node is O(log n).
 */
abstract class NodeHeap<K, V> {
  private Node<K, V>[] nodes = newArray(16);
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
      // only timed nodes enter this heap
      @Override
      long priority(Node<K, V> node) {
        return ((LruStore.TimedNode<K, V>) node).deadline;
      }

      @Override
      int index(Node<K, V> node) {
        return ((LruStore.TimedNode<K, V>) node).deadlineIndex;
      }

      @Override
      void setIndex(Node<K, V> node, int index) {
        ((LruStore.TimedNode<K, V>) node).deadlineIndex = index;
      }
    };
  }

  abstract long priority(Node<K, V> node);

  abstract int index(Node<K, V> node);

  abstract void setIndex(Node<K, V> node, int index);

  void add(Node<K, V> node) {
    if (size == nodes.length) {
      nodes = Arrays.copyOf(nodes, size * 2);
    }
    nodes[size] = node;
    setIndex(node, size);
    siftUp(size++);
  }

  int size() {
    return size;
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
    nodes[size] = null;
    setIndex(node, -1);
    if (i < size) {
      nodes[i] = last;
      setIndex(last, i);
      siftDown(i);
      siftUp(index(last));
    }
  }

  /**
   * Removes and returns the least recently used node: while the root was touched since it was
   * placed, it takes its current stamp and sinks; stamps only grow, so a root whose priority is
   * current has the smallest stamp of all.
   */
  Node<K, V> pollLeastRecent(Stamps stamps) {
    Node<K, V> root;
    long stamp;
    while ((stamp = stamps.get((root = nodes[0]).slot())) != root.priority) {
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
    long p = priority(node);
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      Node<K, V> up = nodes[parent];
      if (priority(up) <= p) {
        break;
      }
      nodes[i] = up;
      setIndex(up, i);
      i = parent;
    }
    nodes[i] = node;
    setIndex(node, i);
  }

  private void siftDown(int i) {
    Node<K, V> node = nodes[i];
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
      setIndex(nodes[i], i);
      i = child;
    }
    nodes[i] = node;
    setIndex(node, i);
  }

  @SuppressWarnings("unchecked")
  private static <K, V> Node<K, V>[] newArray(int length) {
    return (Node<K, V>[]) new Node<?, ?>[length];
  }
}
