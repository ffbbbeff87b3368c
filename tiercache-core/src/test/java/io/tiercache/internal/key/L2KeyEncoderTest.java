package io.tiercache.internal.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.KeyHashing;
import io.tiercache.UnencodableArgumentException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class L2KeyEncoderTest {
  private final L2KeyEncoder untyped = new L2KeyEncoder("app", "fn", false, KeyHashing.XXH3_128, Map.of());
  private final L2KeyEncoder typed = new L2KeyEncoder("app", "fn", true, KeyHashing.XXH3_128, Map.of());

  private String key(Object... args) {
    return untyped.encode(ArgsKey.ofArray(args, false));
  }

  private String typedKey(Object... args) {
    return typed.encode(ArgsKey.ofArray(args, true));
  }

  record Point(int x, int y) {}

  @Test
  void keysAreReadableAndStable() {
    // these exact strings are what every JVM writes: changing them orphans every stored entry
    assertThat(key()).isEqualTo("app:fn:");
    assertThat(key("users", 42)).isEqualTo("app:fn:susers,n42");
    assertThat(key("a b:c", null, true)).isEqualTo("app:fn:sa%20b%3Ac,~,b1");
    assertThat(key(0.5, new BigDecimal("100"), -0.0)).isEqualTo("app:fn:n5e-1,n100,n0");
    assertThat(key(List.of(1, 2), Set.of("b", "a"), Map.of("k", 1)))
        .isEqualTo("app:fn:[n1,n2],{sa,sb},m{sk=n1}");
    assertThat(key(TimeUnit.SECONDS, new Point(1, 2)))
        .isEqualTo("app:fn:ejava.util.concurrent.TimeUnit=SECONDS,rio.tiercache.internal.key.L2KeyEncoderTest%24Point(n1,n2)");
    assertThat(key(UUID.fromString("123e4567-e89b-12d3-a456-426614174000"), LocalDate.of(2026, 11, 22)))
        .isEqualTo("app:fn:u123e4567-e89b-12d3-a456-426614174000,tLocalDate=2026-11-22");
    assertThat(typedKey(3, 3L, 3.0, (short) 3, new BigDecimal("3.00")))
        .isEqualTo("app:fn:i3,l3,d3.0,h3,D3.00");
  }

  @Test
  void separatorsInsideValuesCannotMakeTwoCallsShareAKey() {
    List<Object[]> calls = List.of(
        new Object[] {"a:b", "c"}, new Object[] {"a", "b:c"}, new Object[] {"a,b", "c"},
        new Object[] {"a", "b,c"}, new Object[] {"a%2Cb", "c"}, new Object[] {List.of("a", "b"), "c"},
        new Object[] {List.of("a,b"), "c"}, new Object[] {"~", "c"}, new Object[] {null, "c"},
        new Object[] {"null", "c"}, new Object[] {"[sa]", "c"}, new Object[] {"n1", "c"},
        new Object[] {1, "c"}, new Object[] {"1", "c"}, new Object[] {true, "c"}, new Object[] {"b1", "c"},
        new Object[] {'a', "c"}, new Object[] {"a", "c"}, new Object[] {Optional.empty(), "c"},
        new Object[] {Optional.of("a"), "c"}, new Object[] {new String[] {"a"}, "c"},
        new Object[] {Set.of("a"), "c"}, new Object[] {Map.of("a", "c"), "c"}, new Object[] {"", "c"},
        new Object[] {"\uD800", "c"}, new Object[] {"%uD800", "c"}, new Object[] {"?", "c"});
    Set<String> keys = new HashSet<>();
    for (Object[] call : calls) {
      keys.add(key(call));
    }
    assertThat(keys).hasSize(calls.size());
  }

  @Test
  void keysAreValidForEveryBackend() {
    String unicode = "ключ 键 🔑 \t\n\u0000 é";
    String longText = "x".repeat(10_000);
    for (String k : List.of(key(unicode), key(longText), key(List.of(longText, unicode)), key(unicode.repeat(50)))) {
      assertThat(k.length()).isLessThanOrEqualTo(250);
      assertThat(k.chars()).allMatch(c -> c > 32 && c < 127);
    }
    assertThat(key(longText)).startsWith("app:fn:#").hasSize("app:fn:#".length() + 32);
    assertThat(key(longText)).isNotEqualTo(key(longText + "y"));
    assertThat(key(longText)).isEqualTo(key(longText));
  }

  @Test
  void sha256CanBeChosenForLongKeys() {
    L2KeyEncoder sha = new L2KeyEncoder("app", "fn", false, KeyHashing.SHA_256, Map.of());
    String k = sha.encode(ArgsKey.of("x".repeat(1000), false));
    assertThat(k).startsWith("app:fn:#").hasSize("app:fn:#".length() + 64);
  }

  @Test
  void aVeryLongNamespaceAndNameAreHashedWhole() {
    L2KeyEncoder longPrefix = new L2KeyEncoder("n".repeat(200), "f".repeat(100), false,
        KeyHashing.XXH3_128, Map.of());
    String k = longPrefix.encode(ArgsKey.of(1, false));
    assertThat(k).startsWith("#").hasSize(33);
  }

  @Test
  void untypedNumbersHaveOneKeyPerValue() {
    assertThat(key(3)).isEqualTo(key(3L)).isEqualTo(key(3.0)).isEqualTo(key(3.0f))
        .isEqualTo(key((short) 3)).isEqualTo(key((byte) 3)).isEqualTo(key(BigInteger.valueOf(3)))
        .isEqualTo(key(new BigDecimal("3.000")));
    assertThat(key(0.1)).isNotEqualTo(key(new BigDecimal("0.1"))); // 0.1d is not exactly 0.1
    assertThat(key(0.5)).isEqualTo(key(new BigDecimal("0.50")));
    assertThat(key(Long.MAX_VALUE)).isNotEqualTo(key((double) Long.MAX_VALUE));
    assertThat(key(1e20)).isEqualTo(key(new BigInteger("100000000000000000000")));
    assertThat(key(Double.NaN)).isEqualTo(key(Float.NaN)).isNotEqualTo(key(Double.POSITIVE_INFINITY));
    assertThat(key(-0.0)).isEqualTo(key(0));
  }

  @Test
  void setsAndMapsAreOrderIndependentAndListsAreNot() {
    assertThat(key(new LinkedHashSet<>(List.of("a", "b")))).isEqualTo(key(new LinkedHashSet<>(List.of("b", "a"))));
    Map<String, Integer> m1 = new LinkedHashMap<>();
    m1.put("a", 1);
    m1.put("b", 2);
    assertThat(key(m1)).isEqualTo(key(new TreeMap<>(Map.of("b", 2, "a", 1))));
    assertThat(key(List.of("a", "b"))).isNotEqualTo(key(List.of("b", "a")));
    assertThat(key(new ArrayList<>(List.of(1)))).isEqualTo(key(List.of(1)));
    assertThat(key(Arrays.asList(1, 2))).isNotEqualTo(key((Object) new Integer[] {1, 2}));
    assertThat(key((Object) new int[] {1, 2})).isEqualTo("app:fn:aint[n1,n2]");
  }

  @Test
  void unsupportedTypesAndCyclesAreRefusedWithTheTypeNamed() {
    assertThatThrownBy(() -> key(new Object()))
        .isInstanceOf(UnencodableArgumentException.class).hasMessageContaining("java.lang.Object")
        .hasMessageContaining("'fn'").hasMessageContaining("keyEncoder(Object.class");
    assertThatThrownBy(() -> key("ok", new java.util.concurrent.atomic.AtomicInteger(1)))
        .isInstanceOf(UnencodableArgumentException.class).hasMessageContaining("argument 1")
        .hasMessageContaining("AtomicInteger");
    Object deep = "bottom";
    for (int i = 0; i < 40; i++) {
      deep = List.of(deep);
    }
    Object tooDeep = deep;
    assertThatThrownBy(() -> key(tooDeep)).isInstanceOf(UnencodableArgumentException.class)
        .hasMessageContaining("nested more than 32 levels");
  }

  @Test
  void registeredEncodersApplyToTheTypeAndItsSubtypes() {
    L2KeyEncoder custom = new L2KeyEncoder("app", "fn", false, KeyHashing.XXH3_128,
        Map.of(CharSequence.class, v -> "cs:" + v));
    assertThat(custom.encode(ArgsKey.of(new StringBuilder("x"), false)))
        .isEqualTo("app:fn:kjava.lang.StringBuilder=cs%3Ax");
  }

  @Test
  void instantsAndOtherTimeValuesKeepTheirType() {
    Instant now = Instant.parse("2026-11-22T10:15:30Z");
    assertThat(key(now)).isEqualTo("app:fn:tInstant=2026-11-22T10%3A15%3A30Z");
    assertThat(key(java.time.Duration.ofSeconds(5))).isEqualTo("app:fn:tDuration=PT5S");
  }
}
