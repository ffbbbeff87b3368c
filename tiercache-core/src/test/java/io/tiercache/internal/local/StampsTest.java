package io.tiercache.internal.local;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StampsTest {

  /**
   * Slots are numbered from 0 across the chunk boundaries (16, 48, 112 slots), each keeps exactly
   * its own stamp, given-back slots are given again last-in first-out before any new one, and a
   * cleared table starts again at slot 0.
   */
  @Test
  void slotsKeepTheirStampsAcrossChunksAndAreReused() {
    Stamps stamps = new Stamps();
    for (int i = 0; i < 200; i++) {
      assertThat(stamps.allocate(1_000 + i)).isEqualTo(i);
    }
    for (int i = 0; i < 200; i++) {
      assertThat(stamps.get(i)).as("slot %d", i).isEqualTo(1_000 + i);
    }
    stamps.set(15, 5);
    stamps.set(16, 6);
    stamps.set(111, 7);
    stamps.set(112, 8);
    assertThat(new long[] {stamps.get(14), stamps.get(15), stamps.get(16), stamps.get(17),
        stamps.get(111), stamps.get(112), stamps.get(113)})
        .containsExactly(1_014, 5, 6, 1_017, 7, 8, 1_113);
    stamps.release(16);
    stamps.release(112);
    assertThat(stamps.allocate(9)).isEqualTo(112);
    assertThat(stamps.allocate(10)).isEqualTo(16);
    assertThat(stamps.allocate(11)).isEqualTo(200);
    assertThat(new long[] {stamps.get(112), stamps.get(16), stamps.get(200)}).containsExactly(9, 10, 11);
    assertThat(stamps.slotsCreated()).isEqualTo(201);
    stamps.releaseAll();
    assertThat(stamps.allocate(12)).isZero();
    assertThat(stamps.get(0)).isEqualTo(12);
    assertThat(stamps.slotsCreated()).isEqualTo(1);
  }
}
