package io.tiercache.bench;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Argument pairs of the hit benchmarks: distinct random pairs of boxed longs outside the
 * {@code Long} cache, in two sets of equal but not identical instances: {@code fill*} to fill the
 * caches, {@code call*} to call them while measuring, as with arguments that arrive from a request
 * (so {@code equals} is measured, boxing is not). A benchmark walks the call slots with a
 * {@link Cursor}.
 *
 * @param fillA first arguments the caches are filled with, one per distinct pair
 * @param fillB second arguments the caches are filled with
 * @param callA first arguments of measured calls, one per call slot (equal to {@code fillA}'s
 *     values, other instances)
 * @param callB second arguments of measured calls
 */
public record ArgumentPairs(Long[] fillA, Long[] fillB, Long[] callA, Long[] callB) {

  /** The floors' key: what a hand-written cache of a two-argument function would use. */
  public record RecordKey(Long a, Long b) {}

  /** {@code count} distinct pairs from a fixed seed, one call slot each; {@code count} is a power of two. */
  public static ArgumentPairs random(int count, long seed) {
    return cycled(count, count, seed);
  }

  /**
   * {@code count} distinct pairs from a fixed seed, cycled through {@code slots} call slots: slot
   * {@code i} holds its own boxes of pair {@code i % count}, so a benchmark indexes the calls with
   * one mask, {@code slots - 1}, whether it cycles through many pairs or calls one hot pair. The
   * first {@code n} pairs are the same for every {@code count >= n} (and the same seed).
   *
   * @throws IllegalArgumentException unless both are powers of two and {@code count <= slots}
   */
  public static ArgumentPairs cycled(int count, int slots, long seed) {
    if (Integer.bitCount(count) != 1 || Integer.bitCount(slots) != 1 || count > slots) {
      throw new IllegalArgumentException("count and slots must be powers of two, count <= slots: "
          + count + ", " + slots);
    }
    SplittableRandom random = new SplittableRandom(seed);
    Set<RecordKey> seen = new HashSet<>();
    long[] rawA = new long[count];
    long[] rawB = new long[count];
    for (int k = 0; k < count; k++) {
      do {
        rawA[k] = 1_000 + random.nextLong(1_000_000_000L);
        rawB[k] = 1_000 + random.nextLong(1_000_000_000L);
      } while (!seen.add(new RecordKey(rawA[k], rawB[k])));
    }
    return new ArgumentPairs(boxes(rawA, count), boxes(rawB, count), boxes(rawA, slots),
        boxes(rawB, slots));
  }

  /** {@code length} new boxes cycling through {@code values}. */
  private static Long[] boxes(long[] values, int length) {
    Long[] boxes = new Long[length];
    for (int i = 0; i < length; i++) {
      boxes[i] = Long.valueOf(values[i % values.length]);
    }
    return boxes;
  }

  /** How many distinct pairs. */
  public int size() {
    return fillA.length;
  }

  /** How many call slots: a power of two, at least {@link #size()}. */
  public int slots() {
    return callA.length;
  }

  /** Which call slot a thread uses next; each thread starts elsewhere in the cycle. */
  @State(Scope.Thread)
  public static class Cursor {
    int i;

    @Setup(Level.Trial)
    public void setUp() {
      i = (int) (Thread.currentThread().getId() * 97);
    }

    /** The next slot: {@code mask} is the number of slots minus one. */
    int next(int mask) {
      return i++ & mask;
    }
  }
}
