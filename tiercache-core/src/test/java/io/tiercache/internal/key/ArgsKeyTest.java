package io.tiercache.internal.key;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArgsKeyTest {

  @Test
  void untypedKeysEqualAcrossNumberBoxesWithEqualHashes() {
    List<Object> threes = List.of(3, 3L, 3.0, 3.0f, (short) 3, (byte) 3, BigInteger.valueOf(3),
        new BigDecimal("3.00"));
    for (Object a : threes) {
      for (Object b : threes) {
        ArgsKey ka = ArgsKey.of(a, "x", false);
        ArgsKey kb = ArgsKey.of(b, "x", false);
        assertThat(ka).as("%s vs %s", a, b).isEqualTo(kb);
        assertThat(ka.hashCode()).isEqualTo(kb.hashCode());
      }
    }
    assertThat(ArgsKey.of(0.5, false)).isEqualTo(ArgsKey.of(new BigDecimal("0.500"), false))
        .hasSameHashCodeAs(ArgsKey.of(new BigDecimal("0.500"), false));
    assertThat(ArgsKey.of(-0.0, false)).isEqualTo(ArgsKey.of(0, false)).hasSameHashCodeAs(ArgsKey.of(0, false));
    assertThat(ArgsKey.of(Double.NaN, false)).isEqualTo(ArgsKey.of(Float.NaN, false));
    assertThat(ArgsKey.of(Long.MAX_VALUE, false)).isNotEqualTo(ArgsKey.of((double) Long.MAX_VALUE, false));
    assertThat(ArgsKey.of(1e20, false)).isEqualTo(ArgsKey.of(new BigInteger("100000000000000000000"), false))
        .hasSameHashCodeAs(ArgsKey.of(new BigInteger("100000000000000000000"), false));
    assertThat(ArgsKey.of(3, false)).isNotEqualTo(ArgsKey.of(3.5, false));
  }

  @Test
  void typedKeysUseEquals() {
    assertThat(ArgsKey.of(3, true)).isNotEqualTo(ArgsKey.of(3L, true));
    assertThat(ArgsKey.of(3, true)).isEqualTo(ArgsKey.of(3, true));
    assertThat(ArgsKey.of(new BigDecimal("3.0"), true)).isNotEqualTo(ArgsKey.of(new BigDecimal("3.00"), true));
  }

  @Test
  void arraysCompareByContentAndKeysByArityAndOrder() {
    assertThat(ArgsKey.of(new int[] {1, 2}, false)).isEqualTo(ArgsKey.of(new int[] {1, 2}, false))
        .hasSameHashCodeAs(ArgsKey.of(new int[] {1, 2}, false));
    assertThat(ArgsKey.of(new String[] {"a"}, "b", false)).isEqualTo(ArgsKey.of(new String[] {"a"}, "b", false));
    assertThat(ArgsKey.of(1, 2, false)).isNotEqualTo(ArgsKey.of(2, 1, false));
    assertThat(ArgsKey.of(null, false)).isEqualTo(ArgsKey.of(null, false)).isNotEqualTo(ArgsKey.of(false));
    assertThat(ArgsKey.ofArray(new Object[] {1, 2, 3, 4, 5}, false))
        .isEqualTo(ArgsKey.ofArray(new Object[] {1L, 2, 3, 4, 5.0}, false))
        .isNotEqualTo(ArgsKey.ofArray(new Object[] {1, 2, 3, 4, 6}, false));
    assertThat(ArgsKey.of(1, 2, 3, false).arg(2)).isEqualTo(3);
    assertThat(ArgsKey.of(1, new int[] {2}, false)).hasToString("(1, [2])");
  }

  @Test
  void aLongArgumentIsKeptAsAPrimitiveAndStillEqualsEveryOtherFormOfItsNumber() {
    Long id = 1_000_000_007L; // outside the Long cache: a box of the call's own
    ArgsKey one = ArgsKey.of(id, false);
    ArgsKey two = ArgsKey.of(id, "books", false);
    // the key holds the value, not the caller's box
    assertThat(one.arg(0)).isEqualTo(id).isNotSameAs(id);
    assertThat(two.arg(0)).isEqualTo(id).isNotSameAs(id);
    assertThat(two.arg(1)).isEqualTo("books");
    assertThat(two).hasToString("(1000000007, books)");
    // the same number in any other box: equal, with the same hash, in either direction
    for (Object other : List.<Object>of(1_000_000_007, 1_000_000_007.0, BigInteger.valueOf(1_000_000_007),
        new BigDecimal("1000000007.00"))) {
      ArgsKey otherOne = ArgsKey.of(other, false);
      ArgsKey otherTwo = ArgsKey.of(other, "books", false);
      assertThat(one).as("%s", other).isEqualTo(otherOne).hasSameHashCodeAs(otherOne);
      assertThat(otherOne).as("%s", other).isEqualTo(one);
      assertThat(two).as("%s", other).isEqualTo(otherTwo).hasSameHashCodeAs(otherTwo);
      assertThat(otherTwo).as("%s", other).isEqualTo(two);
    }
    assertThat(two).isNotEqualTo(ArgsKey.of(id, "music", false)).isNotEqualTo(ArgsKey.of(id + 1, "books", false))
        .isNotEqualTo(ArgsKey.of(id, false)).isNotEqualTo(ArgsKey.of("books", id, false));
    assertThat(one.startsWithSharedReceiver()).isFalse();
    assertThat(two.startsWithSharedReceiver()).isFalse();
    assertThat(ArgsKey.of(ArgsKey.SHARED_RECEIVER, id, false).startsWithSharedReceiver()).isTrue();
    assertThat(ArgsKey.of(ArgsKey.SHARED_RECEIVER, false).startsWithSharedReceiver()).isTrue();
    assertThat(ArgsKey.of(false).startsWithSharedReceiver()).isFalse();
    // a second argument that is a number is still compared untyped
    assertThat(ArgsKey.of(id, 3, false)).isEqualTo(ArgsKey.of(id, 3.0, false))
        .hasSameHashCodeAs(ArgsKey.of(id, 3.0, false));
  }

  @Test
  void aTypedLongKeyEqualsOnlyLongs() {
    Long id = 1_000_000_007L;
    ArgsKey two = ArgsKey.of(id, "books", true);
    assertThat(two.typed()).isTrue();
    assertThat(ArgsKey.of(id, "books", false).typed()).isFalse();
    assertThat(two).isEqualTo(ArgsKey.of(1_000_000_007L, "books", true))
        .hasSameHashCodeAs(ArgsKey.of(1_000_000_007L, "books", true))
        .isNotEqualTo(ArgsKey.of(1_000_000_007, "books", true))
        .isNotEqualTo(ArgsKey.of(1_000_000_007.0, "books", true));
    assertThat(ArgsKey.of(id, true)).isEqualTo(ArgsKey.of(1_000_000_007L, true))
        .isNotEqualTo(ArgsKey.of(1_000_000_007, true));
    // the second argument of a typed key keeps its type too
    assertThat(ArgsKey.of(id, 3, true)).isNotEqualTo(ArgsKey.of(id, 3L, true));
  }
}
