package io.tiercache;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.backend.Backend;
import io.tiercache.backend.ForwardingBackend;
import io.tiercache.backend.InMemoryBackend;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 12, case 12: with {@code typed(false)}, numbers nested in lists, sets, maps, arrays,
 * records and optionals share one L1 entry exactly when they share one L2 key; with
 * {@code typed(true)} they are kept apart in both layers.
 */
class NestedNumbersTest {
  private final ManualTimeSource time = new ManualTimeSource();
  private final KeyRecorder l2 = new KeyRecorder(InMemoryBackend.builder().timeSource(time).build());
  private final TierCache cache = TierCache.builder().namespace("nn").backend("default", l2).timeSource(time).build();
  private final AtomicInteger computations = new AtomicInteger();

  /** Records the L2 keys of the entries written (tag and prefix versions are not entries). */
  static final class KeyRecorder extends ForwardingBackend {
    final Set<String> entryKeys = Collections.synchronizedSet(new LinkedHashSet<>());

    KeyRecorder(Backend delegate) {
      super(delegate);
    }

    @Override
    public CompletionStage<Void> set(String key, byte[] value, Duration ttl) {
      entryKeys.add(key);
      return super.set(key, value, ttl);
    }

    @Override
    public CompletionStage<Void> setMany(Map<String, byte[]> entries, Duration ttl) {
      entryKeys.addAll(entries.keySet());
      return super.setMany(entries, ttl);
    }
  }

  /** A record whose components are declared {@code Object}, so any box fits. */
  public record Point(Object x, Object y) {}

  private static Map<Object, Object> mapOf(Object k, Object v) {
    Map<Object, Object> m = new LinkedHashMap<>();
    m.put(k, v);
    return m;
  }

  /**
   * Argument values that are one value in different boxes, and how many distinct values they are
   * when numbers are typed.
   */
  static Stream<Arguments> oneValueInSeveralBoxes() {
    return Stream.of(
        Arguments.of("list", List.of(List.of(3), List.of(3L), List.of(3.0)), 3),
        Arguments.of("list of decimals", List.of(List.of(0.5), List.of(0.5f), List.of(new BigDecimal("0.50"))), 3),
        Arguments.of("nested list", List.of(List.of(List.of(1, 2)), new ArrayList<>(List.of(List.of(1L, 2L))),
            List.of(List.of((short) 1, BigInteger.TWO))), 3),
        Arguments.of("set", List.of(Set.of(3, 7), Set.of(3L, 7L), Set.of(3.0, new BigDecimal("7.00"))), 3),
        Arguments.of("map values", List.of(Map.of("a", 3), Map.of("a", 3L), Map.of("a", 3.0)), 3),
        Arguments.of("map keys", List.of(mapOf(3, "a"), mapOf(3L, "a"), mapOf((byte) 3, "a")), 3),
        Arguments.of("object array", List.of(new Object[] {3}, new Object[] {3L}, new Object[] {3.0}), 3),
        Arguments.of("primitive double array", List.of(new double[] {0.0}, new double[] {-0.0}), 2),
        Arguments.of("record", List.of(new Point(3, 4.5), new Point(3L, 4.5f),
            new Point(BigInteger.valueOf(3), new BigDecimal("4.50"))), 3),
        Arguments.of("optional in a list", List.of(List.of(Optional.of(3)), List.of(Optional.of(3L))), 2));
  }

  private CachedFunction1<Object, String> function(boolean typed) {
    return cache.function("f", String.class).typed(typed).l1Unbounded()
        .of((Object x) -> "v" + computations.incrementAndGet());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("oneValueInSeveralBoxes")
  void untypedNumbersInContainersShareOneEntryInBothLayers(String kind, List<Object> boxes, int typedCount) {
    CachedFunction1<Object, String> f = function(false);
    for (Object box : boxes) {
      assertThat(f.apply(box)).as("%s: %s", kind, box).isEqualTo("v1");
    }
    assertThat(computations).hasValue(1);
    int n = boxes.size();
    assertThat(f.cacheInfo()).isEqualTo(new CacheInfo(n - 1, 1, 0, 1, CacheInfo.UNBOUNDED, 1));
    assertThat(l2.entryKeys).hasSize(1);

    // another process reads that one L2 entry for every box
    TierCache other = TierCache.builder().namespace("nn").backend("default", l2).timeSource(time).build();
    CachedFunction1<Object, String> g = other.function("f", String.class).typed(false).l1Unbounded()
        .of((Object x) -> "v" + computations.incrementAndGet());
    for (Object box : boxes) {
      assertThat(g.apply(box)).isEqualTo("v1");
    }
    assertThat(g.cacheInfo()).isEqualTo(new CacheInfo(n - 1, 1, 1, 0, CacheInfo.UNBOUNDED, 1));
    assertThat(computations).hasValue(1);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("oneValueInSeveralBoxes")
  void typedNumbersInContainersAreKeptApartInBothLayers(String kind, List<Object> boxes, int typedCount) {
    CachedFunction1<Object, String> f = function(true);
    for (Object box : boxes) {
      f.apply(box);
    }
    assertThat(computations).hasValue(typedCount);
    assertThat(f.cacheInfo().l1CurrSize()).isEqualTo(typedCount);
    assertThat(l2.entryKeys).hasSize(typedCount);
  }

  @Test
  void untypedContainersOfDifferentValuesOrTypesStayApart() {
    CachedFunction1<Object, String> f = function(false);
    List<Object> distinct = List.of(List.of(3), List.of(4), List.of("3"), List.of(3, 3), Set.of(3),
        Map.of(3, 3), Map.of("3", 3), new Object[] {3}, new Integer[] {3}, new int[] {3},
        new Point(3, null), List.of(Optional.of(3)), List.of(Optional.empty()), Optional.of(List.of(3)),
        List.of(0.1), List.of(0.1f), 3);
    for (Object value : distinct) {
      f.apply(value);
      f.apply(value);
    }
    assertThat(computations).hasValue(distinct.size());
    assertThat(f.cacheInfo()).isEqualTo(new CacheInfo(distinct.size(), distinct.size(), 0, distinct.size(),
        CacheInfo.UNBOUNDED, distinct.size()));
    assertThat(l2.entryKeys).hasSize(distinct.size());
  }
}
