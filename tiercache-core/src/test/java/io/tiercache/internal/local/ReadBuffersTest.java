package io.tiercache.internal.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReadBuffersTest {

  /**
   * Threads created one after another (consecutive ids, as a pool's or a benchmark's threads) get
   * different stripes, so two threads hitting at once do not share a stripe's line; every stripe
   * is used; one stripe takes every thread.
   */
  @Test
  void consecutiveThreadIdsRecordInDifferentStripes() {
    for (int count : new int[] {4, 8, 64}) {
      ReadBuffers buffers = new ReadBuffers(count);
      Set<Integer> used = new HashSet<>();
      int sameAsPrevious = 0;
      for (long id = 1; id <= 10_000; id++) {
        int stripe = buffers.stripeOf(id);
        used.add(stripe);
        if (stripe == buffers.stripeOf(id + 1)) {
          sameAsPrevious++;
        }
      }
      assertThat(sameAsPrevious).as("%d stripes", count).isZero();
      assertThat(used).as("%d stripes", count).hasSize(count);
    }
    ReadBuffers one = new ReadBuffers(1);
    for (long id = 1; id <= 1_000; id++) {
      assertThat(one.stripeOf(id)).isZero();
    }
    assertThat(new ReadBuffers(1_000).stripeOf(Long.MAX_VALUE)).isBetween(0, 63);
    assertThatThrownBy(() -> new ReadBuffers(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("stripe count must be positive, got 0");
  }
}
