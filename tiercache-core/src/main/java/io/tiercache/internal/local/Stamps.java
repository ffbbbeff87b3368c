package io.tiercache.internal.local;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * The recency stamps of a bounded store's entries, in a table of their own rather than in the
 * entries, so that applying a hit's record writes no cache line that a hit reads (a node's key,
 * value and header stay read-only between writes of the store). Each entry holds a slot here for
 * as long as the store holds it.
 *
 * <p>Slots are given and taken back under the store's lock; a stamp is written by any drain and
 * read under the lock. The table grows in chunks that never move (chunk {@code k} holds {@code
 * 16 << k} stamps), so a drain never writes into a copy that is about to be dropped: no write is
 * lost to growth, and at most half of the table is slack. A record of an entry removed meanwhile
 * may stamp the slot of the entry that took its place: that entry then looks more recently used
 * than it is (approximate, as between threads), never anything else.
 */
final class Stamps {
  private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
  /** log2 of the first chunk's length. */
  private static final int FIRST_BITS = 4;
  private static final int FIRST = 1 << FIRST_BITS;
  private static final int MAX_CHUNKS = 31 - FIRST_BITS;

  /** Chunk {@code k} holds slots {@code [16 (2^k - 1), 16 (2^(k+1) - 1))}; created under the lock. */
  private final long[][] chunks = new long[MAX_CHUNKS][];
  /** Slots given back, to give again; under the lock. */
  private int[] free = new int[FIRST];
  private int freeCount;
  /** Slots ever given: the next new one; under the lock. */
  private int next;

  /** A slot for a new entry, holding {@code stamp}; under the store's lock. */
  int allocate(long stamp) {
    int slot;
    if (freeCount > 0) {
      slot = free[--freeCount];
    } else {
      if (next == Integer.MAX_VALUE - FIRST) {
        throw new IllegalStateException("a store holds at most " + next + " entries");
      }
      slot = next++;
      int chunk = chunkOf(slot);
      if (chunks[chunk] == null) {
        // published to drains through the node that carries a slot of it (the store's map)
        chunks[chunk] = new long[FIRST << chunk];
      }
    }
    set(slot, stamp);
    return slot;
  }

  /** Gives {@code slot} back, once its entry has left the store; under the store's lock. */
  void release(int slot) {
    if (freeCount == free.length) {
      free = Arrays.copyOf(free, 2 * free.length);
    }
    free[freeCount++] = slot;
  }

  /** Gives every slot back (the store was cleared); under the store's lock. */
  void releaseAll() {
    freeCount = 0;
    next = 0;
  }

  /** How many slots were ever given without reuse (for tests that slots are reused). */
  int slotsCreated() {
    return next;
  }

  /** The stamp in {@code slot}. */
  long get(int slot) {
    int chunk = chunkOf(slot);
    return (long) LONGS.getOpaque(chunks[chunk], offset(slot, chunk));
  }

  /** Writes {@code stamp} into {@code slot} (a drain, any thread). */
  void set(int slot, long stamp) {
    int chunk = chunkOf(slot);
    LONGS.setOpaque(chunks[chunk], offset(slot, chunk), stamp);
  }

  private static int chunkOf(int slot) {
    return 31 - Integer.numberOfLeadingZeros(slot + FIRST) - FIRST_BITS;
  }

  private static int offset(int slot, int chunk) {
    return slot + FIRST - (FIRST << chunk);
  }
}
