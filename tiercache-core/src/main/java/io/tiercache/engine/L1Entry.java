package io.tiercache.engine;

import io.tiercache.local.LruStore;
import java.util.Collection;
import java.util.Set;

/**
 * What a declarative function keeps in L1: the value with its L2 key and tag keys, so that an
 * invalidation by key, tag or prefix can find the entries it covers in this process at once.
 * Plain functions store bare values and never pay for this.
 */
record L1Entry(Object value, String l2Key, Set<String> tagKeys) {

  boolean hasAnyTag(Set<String> keys) {
    for (String key : keys) {
      if (tagKeys.contains(key)) {
        return true;
      }
    }
    return false;
  }

  /** Drops the entries of {@code l1} (which holds {@code L1Entry} values) that carry any of {@code tagKeys}; returns how many. */
  static int dropTagged(LruStore<?, Object> l1, Collection<String> tagKeys) {
    Set<String> keys = Set.copyOf(tagKeys);
    return l1.removeIf(value -> ((L1Entry) value).hasAnyTag(keys));
  }
}
