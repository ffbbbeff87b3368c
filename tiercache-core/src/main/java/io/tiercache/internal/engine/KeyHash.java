package io.tiercache.internal.engine;

import io.tiercache.internal.local.LruStore;
import com.dynatrace.hash4j.hashing.Hasher64;
import com.dynatrace.hash4j.hashing.Hashing;

/**
 * The 64-bit hash by which an L1 entry is found from its L2 key (never {@link LruStore#NO_HASH}):
 * XXH3-64 (seed 0) of the key's UTF-16 chars, little-endian, as every process computes it
 * (pinned by {@code PinnedKeysTest}).
 */
final class KeyHash {
  private static final Hasher64 XXH3 = Hashing.xxh3_64();

  private KeyHash() {}

  static long of(String l2Key) {
    long h = XXH3.hashCharsToLong(l2Key);
    return h == LruStore.NO_HASH ? 1 : h;
  }
}
