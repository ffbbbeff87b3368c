package io.tiercache.memcached;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KetamaRingTest {
  private static final int KEYS = 30_000;

  private static KetamaRing<String> ring(String... servers) {
    return new KetamaRing<>(List.of(servers), List.of(servers));
  }

  private static byte[] key(int i) {
    return ("shop:quote:n" + i).getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void everyServerGetsAFairShare() {
    KetamaRing<String> ring = ring("10.0.0.1:11211", "10.0.0.2:11211", "10.0.0.3:11211");
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < KEYS; i++) {
      counts.merge(ring.ownerOf(key(i)), 1, Integer::sum);
    }
    assertThat(counts).hasSize(3);
    // 160 points per server: each share stays well within [1/3 / 2, 1/3 * 2]
    assertThat(counts.values()).allSatisfy(n -> assertThat(n).isBetween(KEYS / 6, KEYS * 2 / 3));
  }

  @Test
  void routingDependsOnTheSetOfServersNotTheirOrder() {
    KetamaRing<String> abc = ring("a:1", "b:2", "c:3");
    KetamaRing<String> cab = ring("c:3", "a:1", "b:2");
    for (int i = 0; i < KEYS; i++) {
      assertThat(cab.ownerOf(key(i))).isEqualTo(abc.ownerOf(key(i)));
    }
  }

  @Test
  void addingAServerMovesAboutAQuarterOfTheKeysAllToTheNewServer() {
    KetamaRing<String> three = ring("a:1", "b:2", "c:3");
    KetamaRing<String> four = ring("a:1", "b:2", "c:3", "d:4");
    int moved = 0;
    for (int i = 0; i < KEYS; i++) {
      String before = three.ownerOf(key(i));
      String after = four.ownerOf(key(i));
      if (!before.equals(after)) {
        moved++;
        assertThat(after).as("a moved key goes to the new server").isEqualTo("d:4");
      }
    }
    assertThat(moved).isBetween(KEYS / 8, KEYS * 3 / 8); // expected 1/4
  }

  @Test
  void removingAServerMovesOnlyItsKeys() {
    KetamaRing<String> three = ring("a:1", "b:2", "c:3");
    KetamaRing<String> two = ring("a:1", "c:3");
    List<String> movedFrom = new ArrayList<>();
    for (int i = 0; i < KEYS; i++) {
      String before = three.ownerOf(key(i));
      if (!before.equals(two.ownerOf(key(i)))) {
        movedFrom.add(before);
      }
    }
    assertThat(movedFrom).isNotEmpty().containsOnly("b:2");
  }

  @Test
  void oneServerOwnsEverything() {
    KetamaRing<String> one = ring("only:1");
    for (int i = 0; i < 1_000; i++) {
      assertThat(one.ownerOf(key(i))).isEqualTo("only:1");
    }
  }

  @Test
  void rejectsDuplicateOrMissingServers() {
    assertThatThrownBy(() -> ring("a:1", "a:1")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("distinct");
    assertThatThrownBy(() -> new KetamaRing<>(List.of(), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
