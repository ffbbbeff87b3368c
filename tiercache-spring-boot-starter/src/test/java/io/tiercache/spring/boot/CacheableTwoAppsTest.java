package io.tiercache.spring.boot;

import static io.tiercache.spring.boot.Actuator.JSON;
import static io.tiercache.spring.boot.Actuator.await;
import static io.tiercache.spring.boot.Actuator.awaitKeyInRedis;
import static io.tiercache.spring.boot.Actuator.function;
import static io.tiercache.spring.boot.Actuator.get;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.tiercache.KeyValueCache;
import io.tiercache.spring.TierCacheManager;
import io.tiercache.testkit.RedisServerLauncher;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cache.CacheManager;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The "done when": two Boot applications ({@link CacheableApp}: only the starter,
 * {@code @EnableCaching}, a {@code @Cacheable}/{@code @CacheEvict} service and
 * {@code tiercache.backends.default.redis.uri}), each its own {@code TierCache} as two processes
 * would have, on one real redis-server. A value computed in A is an L2 hit in B; {@code @CacheEvict}
 * in A drops B's L1 entry; the statistics, the meters (each once, with the {@code layer} tag) and
 * {@code /actuator/caches} are exact. A names its cache in {@code spring.cache.cache-names} (built
 * at startup, bound with the other functions when Boot binds its meter binders); B creates it on
 * first use (bound as it is created).
 */
class CacheableTwoAppsTest {
  private static RedisServerLauncher redis;
  private static ConfigurableApplicationContext appA;
  private static ConfigurableApplicationContext appB;

  @BeforeAll
  static void start() {
    redis = new RedisServerLauncher().start();
    appA = start("A", "--spring.cache.cache-names=greetings");
    appB = start("B");
  }

  private static ConfigurableApplicationContext start(String tag, String... more) {
    List<String> args = new java.util.ArrayList<>(List.of("--server.port=0",
        "--spring.main.banner-mode=off", "--logging.level.root=warn", "--demo.tag=" + tag,
        "--management.endpoints.web.exposure.include=caches,tiercache",
        "--tiercache.backends.default.redis.uri=" + redis.uri(),
        // the first commands of a cold JVM on a loaded machine must not count as L2 errors, and a
        // stalled heartbeat must not flush an L1 (the evict arrives by its message, not the bound)
        "--tiercache.l2-timeout=5s", "--tiercache.coherence.heartbeat=5s", "--tiercache.backends.default.redis.command-timeout=5s"));
    args.addAll(List.of(more));
    return new SpringApplicationBuilder(CacheableApp.class).run(args.toArray(String[]::new));
  }

  @AfterAll
  static void stop() {
    for (ConfigurableApplicationContext app : new ConfigurableApplicationContext[] {appA, appB}) {
      if (app != null) {
        app.close();
      }
    }
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void computedOnceInAIsAnL2HitInBAndAnEvictInAReachesBsL1() throws Exception {
    for (ConfigurableApplicationContext app : List.of(appA, appB)) {
      assertThat(app.getBeanNamesForType(CacheManager.class)).containsExactly("cacheManager");
      assertThat(app.getBean(CacheManager.class)).isInstanceOf(TierCacheManager.class);
    }
    CacheableApp.Greetings a = appA.getBean(CacheableApp.Greetings.class);
    CacheableApp.Greetings b = appB.getBean(CacheableApp.Greetings.class);

    assertThat(a.greet("ann")).isEqualTo("ann@A1");
    awaitKeyInRedis(redis.uri(), "tiercache:greetings:*");
    assertThat(b.greet("ann")).as("an L2 hit in B").isEqualTo("ann@A1");
    assertThat(b.greet("ann")).as("an L1 hit in B").isEqualTo("ann@A1");

    a.forget("ann");
    KeyValueCache<?, ?> cacheB = (KeyValueCache<?, ?>) appB.getBean(CacheManager.class)
        .getCache("greetings").getNativeCache();
    await(() -> cacheB.cacheInfo().l1CurrSize(), size -> size == 0);
    assertThat(b.greet("ann")).as("computed in B after the evict").isEqualTo("ann@B1");

    assertThat(stats(appA)).isEqualTo(JSON.readTree("{\"l1Hits\":0,\"l1Misses\":1,\"l2Hits\":0,"
        + "\"l2Misses\":1,\"l1Puts\":1,\"l1Evictions\":0,\"l2Puts\":1,\"l2Errors\":0}"));
    assertThat(stats(appB)).isEqualTo(JSON.readTree("{\"l1Hits\":1,\"l1Misses\":2,\"l2Hits\":1,"
        + "\"l2Misses\":1,\"l1Puts\":2,\"l1Evictions\":0,\"l2Puts\":1,\"l2Errors\":0}"));

    assertThat(meters(appA)).containsExactlyInAnyOrderElementsOf(expectedMeters(0, 1, 0, 1, 1, 1, 0));
    assertThat(meters(appB)).containsExactlyInAnyOrderElementsOf(expectedMeters(1, 2, 1, 1, 2, 1, 1));
    // A sent two messages: Spring stores a computed @Cacheable result with put, which tiercache
    // publishes as an update (REFRESH), then the evict (KEY); B applied both, as its meter shows
    long publishedByA = appA.getBean(io.tiercache.TierCache.class).coherence().published();
    assertThat(publishedByA).isEqualTo(2);
    assertThat(appB.getBean(MeterRegistry.class).get("tiercache.coherence.received")
        .tag("cache.manager", "cacheManager").functionCounter().count())
        .isEqualTo((double) publishedByA);

    for (ConfigurableApplicationContext app : List.of(appA, appB)) {
      String target = app.getBean(CacheManager.class).getCache("greetings").getNativeCache()
          .getClass().getName();
      assertThat(JSON.readTree(get(url(app, "/actuator/caches")).body())).isEqualTo(JSON.readTree(
          "{\"cacheManagers\":{\"cacheManager\":{\"caches\":{\"greetings\":{\"target\":\""
              + target + "\"}}}}}"));
    }
  }

  private static String url(ConfigurableApplicationContext app, String path) {
    return "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port") + path;
  }

  private static JsonNode stats(ConfigurableApplicationContext app) throws Exception {
    return function(JSON.readTree(get(url(app, "/actuator/tiercache")).body()), "greetings")
        .get("stats");
  }

  /** Every meter of the cache {@code greetings}, as {@code name{tags} value}. */
  private static List<String> meters(ConfigurableApplicationContext app) {
    return app.getBean(MeterRegistry.class).getMeters().stream()
        .filter(meter -> "greetings".equals(meter.getId().getTag("cache")))
        .map(CacheableTwoAppsTest::render)
        .toList();
  }

  private static String render(Meter meter) {
    String tags = meter.getId().getTags().stream()
        .filter(tag -> !List.of("cache", "name", "cache.manager").contains(tag.getKey()))
        .map(tag -> tag.getKey() + "=" + tag.getValue())
        .collect(Collectors.joining(",", "{", "}"));
    List<Tag> common = meter.getId().getTags().stream()
        .filter(tag -> List.of("cache", "name", "cache.manager").contains(tag.getKey())).toList();
    assertThat(common).as(meter.getId().toString()).containsExactly(
        Tag.of("cache", "greetings"), Tag.of("cache.manager", "cacheManager"),
        Tag.of("name", "greetings"));
    return meter.getId().getName() + tags + " " + (long) meter.measure().iterator().next().getValue();
  }

  private static List<String> expectedMeters(long l1Hits, long l1Misses, long l2Hits,
      long l2Misses, long l1Puts, long l2Puts, long l1Size) {
    return List.of(
        "cache.gets{layer=l1,result=hit} " + l1Hits,
        "cache.gets{layer=l1,result=miss} " + l1Misses,
        "cache.gets{layer=l2,result=hit} " + l2Hits,
        "cache.gets{layer=l2,result=miss} " + l2Misses,
        "cache.puts{layer=l1} " + l1Puts,
        "cache.puts{layer=l2} " + l2Puts,
        "cache.evictions{layer=l1} 0",
        "cache.size{layer=l1} " + l1Size,
        "tiercache.l2.errors{} 0",
        "tiercache.lease{outcome=failure} 0",
        "tiercache.lease{outcome=lead} 0",
        "tiercache.lease{outcome=takeover} 0",
        "tiercache.lease{outcome=timeout} 0",
        "tiercache.lease{outcome=wait} 0",
        "tiercache.lease{outcome=wait_hit} 0");
  }
}
