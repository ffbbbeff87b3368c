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

  /**
   * The ring's hash and so every key's server, pinned to values computed with zero-allocation-hashing
   * before hash4j replaced it: a hashing change would send most keys of a running pool to another
   * server (all of them misses) while old and new processes mix.
   */
  @Test
  void hashesAndOwnersArePinned() {
    Map<String, Long> pinned = Map.of(
        "a", -1817709641818812897L,
        "a:1-0", 7947843128310570646L,
        "cache1.example:11211-159", -4722897835412235007L,
        "shop:quote:n12345", -6443925250333695467L,
        "tc:app:fn:susers,n42:0123456789abcdef", 5820007306664960812L,
        "x".repeat(300), -6498214460798782124L);
    pinned.forEach((text, hash) -> assertThat(KetamaRing.hash(text.getBytes(StandardCharsets.UTF_8)))
        .as("hash of %s", text).isEqualTo(hash));
    KetamaRing<String> ring = new KetamaRing<>(List.of("a:1", "b:2", "c:3"), List.of("a", "b", "c"));
    StringBuilder owners = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      owners.append(ring.ownerOf(key(i)));
    }
    assertThat(owners).hasToString("bacbccaaaabaccabbacbbbcbcabcabbbcabbaaaa");
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
