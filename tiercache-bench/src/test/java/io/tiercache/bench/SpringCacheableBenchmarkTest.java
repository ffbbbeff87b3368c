package io.tiercache.bench;

import static io.tiercache.bench.SpringCacheableBenchmark.info;
import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.CacheInfo;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * {@link SpringCacheableBenchmark} measures what it says: each of its benchmark methods, run over
 * every key once after the set-up, answers each key's {@code find} result (the very instance the
 * computation returned for an L1 hit, a decoded copy for a Redis read); each application
 * computed each key exactly once (in the set-up), the L2-hit applications never; and the tiercache
 * caches' statistics show L1 hits where the row says L1 hit and L2 hits where it says L2 hit.
 */
class SpringCacheableBenchmarkTest {

  @Test
  void everyBenchmarkAnswersEveryKeyFromItsCacheAfterOneComputationPerKey() throws Exception {
    List<String> methods = Arrays.stream(SpringCacheableBenchmark.class.getMethods())
        .filter(m -> m.isAnnotationPresent(Benchmark.class)).map(Method::getName).sorted().toList();
    assertThat(methods).containsExactly("caffeineManagerL1Hit", "redisManagerHit",
        "tiercacheFunctionL1Hit", "tiercacheManagerL1Hit", "tiercacheManagerRedisL1Hit",
        "tiercacheManagerRedisL2Hit", "tiercacheManagerRedisL2HitFillingL1");

    SpringCacheableBenchmark bench = new SpringCacheableBenchmark();
    bench.setUp();
    try {
      for (String name : methods) {
        Method method = SpringCacheableBenchmark.class.getMethod(name);
        bench.next = 0;
        boolean fromL1 = name.endsWith("L1Hit");
        for (int i = 0; i < SpringCacheableBenchmark.KEYS; i++) {
          String expected = UserCallShape.find(bench.ids[i], bench.categories[i]);
          Object actual = method.invoke(bench);
          if (fromL1) { // the instance the computation returned, kept in this process
            assertThat(actual).as("%s, key %d", name, i).isSameAs(expected);
          } else { // decoded from what Redis holds
            assertThat(actual).as("%s, key %d", name, i).isEqualTo(expected).isNotSameAs(expected);
          }
        }
      }
      int keys = SpringCacheableBenchmark.KEYS;
      assertThat(bench.functionComputations.sum()).isEqualTo(keys);
      assertThat(List.of(bench.tiercacheEmbedded, bench.tiercacheRedis, bench.caffeine,
          bench.redisManager)).allSatisfy(app -> assertThat(app.service().computations())
          .isEqualTo(keys));
      assertThat(bench.tiercacheRedisL1Off.service().computations()).isZero();
      assertThat(bench.tiercacheRedisL1One.service().computations()).isZero();

      // find0 has the keys 0, 5, ..., 255: 52 of the 256; the others 51 each.
      assertThat(info(bench.tiercacheEmbedded, "find0")).isEqualTo(new CacheInfo(52, 52, 0, 52, 1024, 52));
      assertThat(info(bench.tiercacheRedis, "find1")).isEqualTo(new CacheInfo(51, 51, 0, 51, 1024, 51));
      assertThat(info(bench.tiercacheRedisL1Off, "find0")).isEqualTo(new CacheInfo(0, 52, 52, 0, 0, 0));
      assertThat(info(bench.tiercacheRedisL1One, "find4")).isEqualTo(new CacheInfo(0, 51, 51, 0, 1, 1));
      assertThat(bench.functions.get(0).cacheInfo()).isEqualTo(new CacheInfo(52, 52, 0, 52, 1024, 52));
    } finally {
      bench.tearDown();
    }
  }
}
