package io.tiercache.bench;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Argument pairs of the hit benchmarks: distinct random pairs of boxed longs outside the
 * {@code Long} cache, in two sets of equal but not identical instances: {@code fill*} to fill the
 * caches, {@code call*} to call them while measuring, as with arguments that arrive from a request
 * (so {@code equals} is measured, boxing is not).
 *
 * @param fillA first arguments the caches are filled with
 * @param fillB second arguments the caches are filled with
 * @param callA first arguments of measured calls (equal to {@code fillA}, other instances)
 * @param callB second arguments of measured calls
 */
public record ArgumentPairs(Long[] fillA, Long[] fillB, Long[] callA, Long[] callB) {

  /** The floors' key: what a hand-written cache of a two-argument function would use. */
  public record RecordKey(Long a, Long b) {}

  /** {@code count} distinct pairs from a fixed seed; {@code count} is a power of two. */
  public static ArgumentPairs random(int count, long seed) {
    if (Integer.bitCount(count) != 1) {
      throw new IllegalArgumentException("count must be a power of two: " + count);
    }
    SplittableRandom random = new SplittableRandom(seed);
    Set<RecordKey> seen = new HashSet<>();
    Long[] fillA = new Long[count];
    Long[] fillB = new Long[count];
    Long[] callA = new Long[count];
    Long[] callB = new Long[count];
    for (int i = 0; i < count; i++) {
      long a;
      long b;
      do {
        a = 1_000 + random.nextLong(1_000_000_000L);
        b = 1_000 + random.nextLong(1_000_000_000L);
      } while (!seen.add(new RecordKey(a, b)));
      fillA[i] = Long.valueOf(a);
      fillB[i] = Long.valueOf(b);
      callA[i] = Long.valueOf(a);
      callB[i] = Long.valueOf(b);
    }
    return new ArgumentPairs(fillA, fillB, callA, callB);
  }

  /** How many pairs. */
  public int size() {
    return callA.length;
  }
}
