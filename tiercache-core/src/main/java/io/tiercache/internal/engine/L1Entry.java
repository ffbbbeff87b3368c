package io.tiercache.internal.engine;

import io.tiercache.internal.local.L1Store;
import io.tiercache.internal.local.LruStore;
import java.util.Collection;
import java.util.Set;

/**
 * What a declarative function keeps in L1: the value with its L2 key and tag keys (its prefix key
 * among them), so that an invalidation by key, tag or prefix can find the entries it covers in this
 * process at once. L1 indexes these entries by their tag keys ({@link LruStore.Tagged}), so an
 * invalidation by tag costs time in proportion to the entries that carry the tag. Plain functions
 * store bare values and never pay for this.
 *
 * @param tagKeys an unmodifiable set: L1's index relies on it never changing
 */
record L1Entry(Object value, String l2Key, Set<String> tagKeys) implements LruStore.Tagged {

  /**
   * Drops the entries of {@code l1} (which holds {@code L1Entry} values, in a store with an index)
   * that carry any of {@code tagKeys}, through L1's index by tag; returns how many live ones.
   */
  static int dropTagged(L1Store<?, Object> l1, Collection<String> tagKeys) {
    return l1.removeTagged(tagKeys);
  }
}
