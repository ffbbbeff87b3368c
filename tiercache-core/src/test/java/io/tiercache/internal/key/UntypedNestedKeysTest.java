package io.tiercache.internal.key;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.KeyHashing;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Untyped L1 keys equal exactly when their untyped L2 keys are, numbers nested in containers included. */
class UntypedNestedKeysTest {
  private final L2KeyEncoder untyped = new L2KeyEncoder("ns", "f", false, KeyHashing.XXH3_128, Map.of());

  public record Pair(Object a, double b) {}

  private void assertSameInBothLayers(Object x, Object y, boolean same) {
    ArgsKey kx = ArgsKey.of(x, "s", false);
    ArgsKey ky = ArgsKey.of(y, "s", false);
    assertThat(untyped.encode(kx).equals(untyped.encode(ky))).as("L2: %s vs %s", kx, ky).isEqualTo(same);
    assertThat(kx.equals(ky)).as("L1: %s vs %s", kx, ky).isEqualTo(same);
    assertThat(ky.equals(kx)).isEqualTo(same);
    if (same) {
      assertThat(kx.hashCode()).isEqualTo(ky.hashCode());
    }
  }

  @Test
  void nestedNumbersFollowTheL2Rule() {
    assertSameInBothLayers(List.of(3), List.of(3L), true);
    assertSameInBothLayers(List.of(3), List.of(3.0), true);
    assertSameInBothLayers(List.of(0.1), List.of(0.1f), false);
    assertSameInBothLayers(List.of(List.of(3)), List.of(List.of(new BigDecimal("3.000"))), true);
    assertSameInBothLayers(Map.of(3, List.of(1)), Map.of(3L, List.of(1L)), true);
    assertSameInBothLayers(new Pair(3, 0.0), new Pair(3L, -0.0), true);
    assertSameInBothLayers(new Pair(3, 0.5), new Pair(4, 0.5), false);
    assertSameInBothLayers(new double[] {-0.0}, new double[] {0.0}, true);
    assertSameInBothLayers(new Object[] {"a"}, new String[] {"a"}, false);
    assertSameInBothLayers(List.of(new int[] {1}), List.of(new int[] {1}), true);
    Set<Object> both = new HashSet<>(List.of(3, 3L));
    assertSameInBothLayers(both, Set.of(3), false);
    assertSameInBothLayers(both, new HashSet<>(List.of(3L, 3.0)), true);
  }

  @Test
  void theKeyGivesBackTheOriginalArgumentAndLeavesAtomsAlone() {
    List<Integer> list = List.of(3);
    String atom = "atom";
    ArgsKey key = ArgsKey.of(list, atom, false);
    assertThat(key.arg(0)).isSameAs(list);
    assertThat(key.arg(1)).isSameAs(atom);
    assertThat(key).hasToString("([3], atom)");
    Object[] many = {list, 1, 2, List.of(4.0)};
    ArgsKey n = ArgsKey.ofArray(many, false);
    assertThat(n.arg(0)).isSameAs(list);
    assertThat(n).isEqualTo(ArgsKey.ofArray(new Object[] {List.of(3L), 1L, 2.0, List.of(4)}, false));
  }

  @Test
  void typedKeysKeepBoxesApart() {
    assertThat(ArgsKey.of(List.of(3), true)).isNotEqualTo(ArgsKey.of(List.of(3L), true));
    assertThat(ArgsKey.of(List.of(3), true)).isEqualTo(ArgsKey.of(List.of(3), true));
  }
}
