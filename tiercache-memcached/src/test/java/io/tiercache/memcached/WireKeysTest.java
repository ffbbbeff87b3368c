package io.tiercache.memcached;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WireKeysTest {

  @Test
  void tiercacheKeysAreSentUnchanged() {
    for (String key : List.of("shop:quote:sA-42,n3", "ns:fn:s%E2%82%AC,[n1],{m{a=b}},~,#",
        "x", "shop:quote:#0123456789abcdef0123456789abcdef", "!".repeat(250))) {
      assertThat(WireKeys.of(key)).as(key).isSameAs(key);
    }
  }

  @Test
  void invalidKeysAreHashedIntoValidOnes() {
    List<String> invalid = List.of("", "a".repeat(251), "with space", "tab\there", "new\nline",
        "cr\rlf", "nul\0", "del\u007f", "caf\u00e9", "\u20ac", "emoji \ud83d\ude00",
        "lone \ud800 surrogate");
    Set<String> wire = new HashSet<>();
    for (String key : invalid) {
      String w = WireKeys.of(key);
      assertThat(w).as(key).startsWith(WireKeys.HASHED_PREFIX).hasSize(72);
      assertThat(w.substring(WireKeys.HASHED_PREFIX.length())).matches("[0-9a-f]{64}");
      assertThat(w.chars().allMatch(c -> c > ' ' && c < 0x7f)).as(w).isTrue();
      assertThat(WireKeys.of(key)).as("stable").isEqualTo(w);
      wire.add(w);
    }
    assertThat(wire).hasSameSizeAs(invalid);
  }

  @Test
  void aValidKeyThatLooksLikeAHashedOneIsHashedSoTheyNeverCollide() {
    String hashedForm = WireKeys.of("a".repeat(300));
    assertThat(WireKeys.isSentUnchanged(hashedForm)).isFalse();
    String rehashed = WireKeys.of(hashedForm);
    assertThat(rehashed).startsWith(WireKeys.HASHED_PREFIX).isNotEqualTo(hashedForm);
    assertThat(WireKeys.of(WireKeys.HASHED_PREFIX)).isNotEqualTo(WireKeys.HASHED_PREFIX);
  }

  @Test
  void stringsThatOnlyDifferInUnpairedSurrogatesGetDifferentKeys() {
    String a = "k\ud800";
    String b = "k\udbff";
    assertThat(a.getBytes(StandardCharsets.UTF_8)).as("UTF-8 would merge them")
        .isEqualTo(b.getBytes(StandardCharsets.UTF_8));
    assertThat(WireKeys.of(a)).isNotEqualTo(WireKeys.of(b));
  }

  @Test
  void longKeysThatShareA250CharacterPrefixStayDistinct() {
    String prefix = "p".repeat(250);
    assertThat(WireKeys.of(prefix + "1")).isNotEqualTo(WireKeys.of(prefix + "2"));
    assertThat(WireKeys.of(prefix)).isEqualTo(prefix);
  }
}
