package io.tiercache.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.KeyHashing;
import io.tiercache.internal.key.ArgsKey;
import io.tiercache.internal.key.L2KeyEncoder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Pins the bytes of shortened L2 keys (XXH3-128 and SHA-256 digests) and the 64-bit L1 key hashes
 * (XXH3-64) to values computed once, with zero-allocation-hashing, before it was replaced. A
 * hashing library that changed one bit would give every entry already in a running L2 a new key
 * (all of them orphaned, every process missing at once while old and new versions mix), so any
 * change of implementation must pass this test unchanged. The inputs cover each length class of
 * XXH3 (0, 1-3, 4-8, 9-16, 17-128, 129-240, over 240 bytes) and characters outside ASCII.
 */
class PinnedKeysTest {
  /** {@code n} lowercase letters in a fixed, not periodic-at-once order. */
  private static String text(int n) {
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append((char) ('a' + (i * 7 + i / 26) % 26));
    }
    return sb.toString();
  }

  @Test
  void keyHashesOfEveryLengthClassAreUnchanged() {
    Map<Integer, Long> pinned = Map.ofEntries(
        Map.entry(0, 3244421341483603138L),
        Map.entry(1, 970730967732026843L),
        Map.entry(3, -144000541649237566L),
        Map.entry(4, -6865373167195675790L),
        Map.entry(8, -981201484936416849L),
        Map.entry(9, -2526593209378895993L),
        Map.entry(16, -2714495921832887697L),
        Map.entry(17, -2830330694568189964L),
        Map.entry(64, 206473021656814056L),
        Map.entry(128, -5341953492067766206L),
        Map.entry(129, -4591266152097685088L),
        Map.entry(200, -861121405742542638L),
        Map.entry(240, -6096944577156730831L),
        Map.entry(241, 200174126232187323L),
        Map.entry(300, -5022471171021725973L),
        Map.entry(1000, -5700517647726540854L),
        Map.entry(5000, 648679572859206961L));
    pinned.forEach((length, hash) ->
        assertThat(KeyHash.of(text(length))).as("hash of %d chars", length).isEqualTo(hash));
    // UTF-16 code units, surrogate pair included, hashed as the string's chars
    assertThat(KeyHash.of("app:fn:s\u00e9t\u00e9,\ud83d\ude00")).isEqualTo(-5167917158235145485L);
  }

  @Test
  void shortenedKeysAreUnchanged() {
    String prefix217 = text(217);
    // digest of the arguments' part: 34 chars (17-128 class)
    assertThat(L2KeyEncoder.shorten(text(251), 217))
        .isEqualTo(prefix217 + "#6c9a29c1bf37de87b30bfc2630887d5a");
    // 183 chars (129-240 class)
    assertThat(L2KeyEncoder.shorten(text(400), 217)).isEqualTo(prefix217 + "#8f8db9d5f18502ca9660f42d9d1f319a");
    assertThat(L2KeyEncoder.shorten(text(300), 200))
        .isEqualTo(text(200) + "#167e727579dd679a3be62180bc7f2288");
    assertThat(L2KeyEncoder.shorten(text(500), 20))
        .isEqualTo("ahovcjqxelszgnubipwd#d107345e4e3c2c940e42d17d976ce162");
    assertThat(L2KeyEncoder.shorten(text(2000), 10)).isEqualTo("ahovcjqxel#30d6b428d5911055fc9585293d09a4ee");
    assertThat(L2KeyEncoder.shorten(text(6000), 100))
        .isEqualTo(text(100) + "#ca8f32afe57651db2539a147bcd9caa0");
    // the readable part would not fit: the digest of the whole key
    assertThat(L2KeyEncoder.shorten(text(260), 230)).isEqualTo("#58e26515721a780cde3f5cfeb1adf8d2");
  }

  @Test
  void encodedKeysOfLongArgumentsAreUnchanged() {
    L2KeyEncoder xxh3 = new L2KeyEncoder("app", "fn", false, KeyHashing.XXH3_128, Map.of());
    L2KeyEncoder sha256 = new L2KeyEncoder("app", "fn", false, KeyHashing.SHA_256, Map.of());
    assertThat(xxh3.encode(ArgsKey.of(text(300), 42, false)))
        .isEqualTo("app:fn:#bceadead6249be6d1cea22d51e73ca19");
    assertThat(sha256.encode(ArgsKey.of(text(300), 42, false)))
        .isEqualTo("app:fn:#5769d52ee66f42b808d68ecfa54993c43f77d61c4f65ecf8fb4ee8ae530e5ff4");
    assertThat(xxh3.encode(ArgsKey.of(text(260), false), "tenant-7"))
        .isEqualTo("app:tenant-7:fn:#2223ea32b16f0afacef3791ac93c6241");
  }
}
