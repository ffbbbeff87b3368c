package io.tiercache.internal.engine;

import io.tiercache.internal.local.LruStore;
import net.openhft.hashing.LongHashFunction;

/** The 64-bit hash by which an L1 entry is found from its L2 key (never {@link LruStore#NO_HASH}). */
final class KeyHash {
  private static final LongHashFunction XXH3 = LongHashFunction.xx3();

  private KeyHash() {}

  static long of(String l2Key) {
    long h = XXH3.hashChars(l2Key);
    return h == LruStore.NO_HASH ? 1 : h;
  }
}
