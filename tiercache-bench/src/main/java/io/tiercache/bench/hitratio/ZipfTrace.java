package io.tiercache.bench.hitratio;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A deterministic skewed trace: {@code length} keys drawn from {@code keySpace} keys whose
 * popularity follows Zipf's law with {@code exponent} (the key of rank r is drawn with probability
 * proportional to 1/r^exponent). Ranks are mapped to keys by a seeded shuffle, so popular keys are
 * not neighbours. The same arguments give the same trace on every JVM.
 *
 * @param keySpace how many distinct keys
 * @param length how many calls
 * @param exponent the skew; larger is more skewed
 * @param seed the random seed
 */
public record ZipfTrace(int keySpace, int length, double exponent, long seed) {

  /** The trace's keys, in call order. */
  public long[] keys() {
    double[] cumulative = new double[keySpace];
    double sum = 0;
    for (int rank = 1; rank <= keySpace; rank++) {
      sum += 1.0 / Math.pow(rank, exponent);
      cumulative[rank - 1] = sum;
    }
    SplittableRandom random = new SplittableRandom(seed);
    long[] keyOfRank = new long[keySpace];
    for (int i = 0; i < keySpace; i++) {
      keyOfRank[i] = i;
    }
    for (int i = keySpace - 1; i > 0; i--) { // Fisher-Yates
      int j = random.nextInt(i + 1);
      long t = keyOfRank[i];
      keyOfRank[i] = keyOfRank[j];
      keyOfRank[j] = t;
    }
    long[] trace = new long[length];
    for (int i = 0; i < length; i++) {
      double u = random.nextDouble() * sum;
      int index = Arrays.binarySearch(cumulative, u);
      trace[i] = keyOfRank[index >= 0 ? index : Math.min(-index - 1, keySpace - 1)];
    }
    return trace;
  }
}
