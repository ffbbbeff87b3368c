package io.tiercache.internal.template;

import io.tiercache.KeyParts;
import static io.tiercache.internal.template.Fixtures.repo;
import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.internal.template.Fixtures.Address;
import io.tiercache.internal.template.Fixtures.State;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The value rules: canonical numbers, escaping, unicode, collections, and injectivity. */
class RenderingTest {
  private static final KeyTemplate PAIR = KeyTemplate.parse("{a}:{b}", repo("pair"));
  private static final KeyTemplate OBJECTS = KeyTemplate.parse("{a}:{b}", repo("objects"));

  private static String pair(String a, String b) {
    return PAIR.render(null, new Object[] {a, b});
  }

  private static String objects(Object a, Object b) {
    return OBJECTS.render(null, new Object[] {a, b});
  }

  /** Pairs of argument lists of one method that must never share a key. */
  static List<Object[]> mustDiffer() {
    return List.of(
        new Object[] {List.of("x:y", "z"), List.of("x", "y:z")},
        new Object[] {List.of("x/y", "z"), List.of("x", "y/z")},
        new Object[] {List.of("x%3Ay", "z"), List.of("x:y", "z")},
        new Object[] {Arrays.asList(null, "z"), List.of("~", "z")},
        new Object[] {Arrays.asList(null, "z"), List.of("", "z")},
        new Object[] {List.of("a b", "c"), List.of("a+b", "c")},
        new Object[] {List.of("a b", "c"), List.of("a%20b", "c")},
        new Object[] {List.of("é", "x"), List.of("e\u0301", "x")}, // NFC and NFD stay distinct
        new Object[] {List.of("Жук", "x"), List.of("Жуk", "x")},
        new Object[] {List.of("😀", "x"), List.of("😁", "x")},
        new Object[] {List.of("\uD83D", "x"), List.of("%uD83D", "x")}, // lone surrogate
        new Object[] {List.of("a,b", "c"), List.of("a", "b,c")},
        new Object[] {List.of("(a)", "c"), List.of("a", "c")},
        new Object[] {List.of("A", "b"), List.of("a", "b")});
  }

  @ParameterizedTest
  @MethodSource("mustDiffer")
  void distinctStringArgumentsNeverShareAKey(List<String> first, List<String> second) {
    assertThat(pair(first.get(0), first.get(1))).isNotEqualTo(pair(second.get(0), second.get(1)));
  }

  /** Pairs of values of one type (passed as the first Object argument) that must differ. */
  static List<Object[]> structuresThatMustDiffer() {
    return List.of(
        new Object[] {List.of("a,b"), List.of("a", "b")},
        new Object[] {List.of(List.of("a"), "b"), List.of(List.of("a", "b"))},
        new Object[] {List.of(""), List.of()},
        new Object[] {Arrays.asList((Object) null), List.of("~")},
        new Object[] {Arrays.asList((Object) null), List.of()},
        new Object[] {List.of("]"), List.of()},
        new Object[] {List.of("''"), List.of("")},
        new Object[] {Set.of(""), Set.of()},
        new Object[] {Map.of("", ""), Map.of()},
        new Object[] {new String[] {""}, new String[0]},
        new Object[] {Map.of("a", "b=c"), Map.of("a=b", "c")},
        new Object[] {Map.of("a", "1", "b", "2"), Map.of("a", "1,b=2")},
        new Object[] {Set.of("a,b"), Set.of("a", "b")},
        new Object[] {new Address("a,b", "c"), new Address("a", "b,c")},
        new Object[] {new Address(null, "c"), new Address("~", "c")},
        new Object[] {new String[] {"a", "b"}, new String[] {"a,b"}},
        new Object[] {new int[] {1, 2}, new int[] {12}},
        new Object[] {Optional.of("x"), Optional.empty()},
        new Object[] {1, 2},
        new Object[] {0.1, Math.nextUp(0.1)},
        new Object[] {1e300, Math.nextDown(1e300)},
        new Object[] {Long.MAX_VALUE, Long.MAX_VALUE - 1},
        new Object[] {new BigDecimal("0.1"), new BigDecimal("0.10000000000000000000000000000001")},
        new Object[] {new BigDecimal("1E-40"), new BigDecimal("1E-41")});
  }

  @ParameterizedTest
  @MethodSource("structuresThatMustDiffer")
  void distinctValuesOfOneTypeNeverShareAKey(Object first, Object second) {
    assertThat(objects(first, "z")).isNotEqualTo(objects(second, "z"));
  }

  @Test
  void randomStringPairsNeverCollide() {
    char[] alphabet = {'a', 'b', ':', '/', '%', '~', ',', '[', ']', '{', '}', '=', '(', ')',
        ' ', '-', '.', '_', '3', 'A', 'Ж', '\uD83D', '\uDE00', '\u0000', '\n'};
    Random random = new Random(20240501);
    Map<String, List<String>> seen = new HashMap<>();
    for (int i = 0; i < 50_000; i++) {
      String a = randomString(random, alphabet);
      String b = random.nextInt(10) == 0 ? null : randomString(random, alphabet);
      String key = pair(a, b);
      List<String> previous = seen.putIfAbsent(key, Arrays.asList(a, b));
      if (previous != null) {
        assertThat(previous).as("key %s", key).isEqualTo(Arrays.asList(a, b));
      }
      assertAsciiWithoutSpaceOrControl(key);
    }
  }

  @Test
  void randomNestedStructuresNeverCollide() {
    char[] alphabet = {'a', ',', '[', ']', '\'', '~', '=', '{', '}', '%', ':'};
    Random random = new Random(99);
    Map<String, Object> seen = new HashMap<>();
    for (int i = 0; i < 50_000; i++) {
      Object value = randomStructure(random, alphabet, 0);
      String key = objects(value, "z");
      Object previous = seen.putIfAbsent(key, value);
      if (previous != null) {
        assertThat(previous).as("key %s", key).isEqualTo(value);
      }
    }
  }

  private static Object randomStructure(Random random, char[] alphabet, int depth) {
    // strings, nulls and lists of them; Optional is left out on purpose: Optional.of(x) renders
    // as x and Optional.empty() as null (documented), so mixing them in one slot would collide
    int pick = random.nextInt(depth >= 3 ? 3 : 5);
    switch (pick) {
      case 0:
        return null;
      case 1:
      case 2:
        return randomString(random, alphabet);
      default:
        int size = random.nextInt(3);
        List<Object> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
          list.add(randomStructure(random, alphabet, depth + 1));
        }
        return list;
    }
  }

  private static String randomString(Random random, char[] alphabet) {
    int length = random.nextInt(5);
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append(alphabet[random.nextInt(alphabet.length)]);
    }
    return sb.toString();
  }

  private static void assertAsciiWithoutSpaceOrControl(String key) {
    for (int i = 0; i < key.length(); i++) {
      assertThat(key.charAt(i)).as("char %d of %s", i, key).isBetween('!', '~');
    }
  }

  @Test
  void unicodeRendersAsStableUtf8PercentEscapes() {
    assertThat(pair("Жук", "😀")).isEqualTo("%D0%96%D1%83%D0%BA:%F0%9F%98%80");
    assertThat(pair("café", "\uD800")).isEqualTo("caf%C3%A9:%uD800");
    assertThat(pair("a b\tc", "\u0000")).isEqualTo("a%20b%09c:%00");
    assertThat(pair("100%", "~")).isEqualTo("100%25:%7E");
  }

  @Test
  void keyCharactersOfValuesAreKeptOthersEscaped() {
    assertThat(pair("A-z_0.9", "x:y/z")).isEqualTo("A-z_0.9:x%3Ay%2Fz");
  }

  @Test
  void numbersRenderCanonicallyWhateverTheirBox() {
    for (Object three : List.of(3, 3L, (short) 3, (byte) 3, 3.0, 3.0f, BigInteger.valueOf(3),
        new BigDecimal("3.00"), new BigDecimal("0.3E1"))) {
      assertThat(KeyParts.value(three)).as("%s (%s)", three, three.getClass()).isEqualTo("3");
    }
    assertThat(KeyParts.value(0.1)).isEqualTo("0.1");
    assertThat(KeyParts.value(0.1f)).isEqualTo("0.1");
    assertThat(KeyParts.value(-2.5)).isEqualTo("-2.5");
    assertThat(KeyParts.value(new BigDecimal("0.2500"))).isEqualTo("0.25");
    assertThat(KeyParts.value(1e20)).isEqualTo("100000000000000000000");
    assertThat(KeyParts.value(1e300)).isEqualTo("1e300");
    assertThat(KeyParts.value(1.5e-300)).isEqualTo("15e-301");
    assertThat(KeyParts.value(1e-7)).isEqualTo("0.0000001");
    assertThat(KeyParts.value(2e23)).isEqualTo("2e23");
    assertThat(KeyParts.value(-1.3007687156257724e28)).isEqualTo("-13007687156257724e12");
    assertThat(KeyParts.value(1.25e-8)).isEqualTo("125e-10");
    assertThat(KeyParts.value(-0.0)).isEqualTo("0");
    assertThat(KeyParts.value(Double.NaN)).isEqualTo("NaN");
    assertThat(KeyParts.value(Float.NEGATIVE_INFINITY)).isEqualTo("-Infinity");
    assertThat(KeyParts.value(Long.MIN_VALUE)).isEqualTo("-9223372036854775808");
    assertThat(KeyParts.value(new BigInteger("123456789012345678901")))
        .isEqualTo("123456789012345678901");
    assertThat(KeyParts.value(BigInteger.TEN.pow(21))).isEqualTo("1e21");
    assertThat(KeyParts.value(new BigDecimal("1E+21"))).isEqualTo("1e21");
    assertThat(KeyParts.value(1e21)).isEqualTo("1e21");
    assertThat(KeyParts.value(Double.MIN_VALUE)).isEqualTo("5e-324");
    assertThat(KeyParts.value(Double.MAX_VALUE)).isEqualTo("17976931348623157e292");
  }

  @Test
  void doublesAndFloatsRoundTripThroughTheirRendering() {
    Random random = new Random(7);
    for (int i = 0; i < 20_000; i++) {
      double d = Double.longBitsToDouble(random.nextLong());
      if (Double.isNaN(d)) {
        continue;
      }
      String text = KeyParts.value(d);
      assertThat(Double.parseDouble(text)).as(text).isEqualTo(d == 0 ? 0.0 : d);
      assertThat(text.length()).as(text).isLessThanOrEqualTo(26);
      float f = Float.intBitsToFloat(random.nextInt());
      if (!Float.isNaN(f)) {
        String ftext = KeyParts.value(f);
        assertThat(Float.parseFloat(ftext)).as(ftext).isEqualTo(f == 0 ? 0.0f : f);
      }
    }
  }

  @Test
  void otherValueTypes() {
    UUID id = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
    assertThat(KeyParts.value(id)).isEqualTo("123e4567-e89b-12d3-a456-426614174000");
    assertThat(KeyParts.value(State.ACTIVE)).isEqualTo("ACTIVE");
    assertThat(KeyParts.value(true)).isEqualTo("true");
    assertThat(KeyParts.value('x')).isEqualTo("x");
    assertThat(KeyParts.value(':')).isEqualTo("%3A");
    assertThat(KeyParts.value(LocalDate.of(2024, 5, 1))).isEqualTo("2024-05-01");
    assertThat(KeyParts.value(Instant.parse("2024-05-01T10:15:30Z")))
        .isEqualTo("2024-05-01T10%3A15%3A30Z");
    assertThat(KeyParts.value(new Date(0))).isEqualTo("1970-01-01T00%3A00%3A00Z");
    java.sql.Timestamp nanos = new java.sql.Timestamp(0);
    nanos.setNanos(5);
    assertThat(KeyParts.value(nanos)).isEqualTo("1970-01-01T00%3A00%3A00.000000005Z");
    assertThat(KeyParts.value(new java.sql.Date(0))).isEqualTo("1970-01-01T00%3A00%3A00Z");
    assertThat(KeyParts.value(Duration.ofMinutes(90))).isEqualTo("PT1H30M");
    assertThat(KeyParts.value(Optional.of("a b"))).isEqualTo("a%20b");
    assertThat(KeyParts.value(Optional.empty())).isEqualTo("~");
    assertThat(KeyParts.value(null)).isEqualTo("~");
    assertThat(KeyParts.value("")).isEmpty();
    assertThat(KeyParts.value(new StringBuilder("x y"))).isEqualTo("x%20y");
  }

  @Test
  void collectionsRenderTheirElementsSetsAndMapsInAStableOrder() {
    assertThat(KeyParts.value(List.of("a", "b,c"))).isEqualTo("[a,b%2Cc]");
    assertThat(KeyParts.value(Arrays.asList("a", null))).isEqualTo("[a,~]");
    assertThat(KeyParts.value(new int[] {1, 2})).isEqualTo("[1,2]");
    assertThat(KeyParts.value(new Object[0])).isEqualTo("[]");
    assertThat(KeyParts.value(List.of(new Address("Paris", "1")))).isEqualTo("[(Paris,1)]");
    // an element that renders to nothing is written '' so that [""] and [] differ
    assertThat(KeyParts.value(List.of())).isEqualTo("[]");
    assertThat(KeyParts.value(List.of(""))).isEqualTo("['']");
    assertThat(KeyParts.value(List.of("", ""))).isEqualTo("['','']");
    assertThat(KeyParts.value(List.of("'"))).isEqualTo("[%27]");
    assertThat(KeyParts.value(Set.of(""))).isEqualTo("{''}");
    assertThat(KeyParts.value(Map.of("", ""))).isEqualTo("{''=''}");
    assertThat(KeyParts.value(new Address("", "z"))).isEqualTo("('',z)");
    assertThat(KeyParts.value(List.of(Optional.of("")))).isEqualTo("['']");

    Set<String> insertion = new LinkedHashSet<>(List.of("b", "a", "c"));
    Set<String> hashed = new HashSet<>(List.of("c", "a", "b"));
    assertThat(KeyParts.value(insertion)).isEqualTo("{a,b,c}").isEqualTo(KeyParts.value(hashed));

    Map<String, Integer> map = new HashMap<>(Map.of("b", 2, "a", 1));
    assertThat(KeyParts.value(map)).isEqualTo("{a=1,b=2}")
        .isEqualTo(KeyParts.value(new TreeMap<>(map)));
  }

  @Test
  void templatesOverCollectionParametersUseTheSameRules() {
    KeyTemplate t = KeyTemplate.parse("{list}:{set}:{map}", repo("byCollections"));

    assertThat(t.render(null, new Object[] {List.of("x"), Set.of("y"), Map.of("k", 1)}))
        .isEqualTo("[x]:{y}:{k=1}");
  }

  @Test
  void numbersRenderTheSameInTemplatesWhateverTheBox() {
    KeyTemplate t = KeyTemplate.parse("n:{number}", repo("byNumber"));
    List<String> keys = new ArrayList<>();
    for (Number n : List.of(3, 3L, 3.0, new BigDecimal("3.000"))) {
      keys.add(t.render(null, new Object[] {n}));
    }
    assertThat(keys).containsOnly("n:3");
  }
}
