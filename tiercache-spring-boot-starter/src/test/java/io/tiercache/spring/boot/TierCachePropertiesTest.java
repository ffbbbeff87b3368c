package io.tiercache.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.AclSetuserArgs;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandType;
import io.tiercache.CachedFunction1;
import io.tiercache.ManualTimeSource;
import io.tiercache.TierCache;
import io.tiercache.backend.InMemoryBackend;
import io.tiercache.lease.LeaseStats;
import io.tiercache.memcached.MemcachedBackend;
import io.tiercache.redis.RedisBackend;
import io.tiercache.redis.RedisHealth;
import io.tiercache.spring.boot.internal.ConfiguredBackends;
import io.tiercache.testkit.MemcachedLauncher;
import io.tiercache.testkit.RedisServerLauncher;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Every documented {@code tiercache.*} property reaches the object it configures: the
 * {@code TierCache}, a backend (embedded, a real redis-server, a real memcached) or a cached function
 * built through {@link TierCacheCacheOverrides}.
 */
class TierCachePropertiesTest {
  private static RedisServerLauncher redis;
  private static MemcachedLauncher memcached;

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(TierCacheAutoConfiguration.class));

  @BeforeAll
  static void startServers() {
    redis = new RedisServerLauncher().start();
    memcached = new MemcachedLauncher().start();
    RedisClient client = RedisClient.create(redis.uri());
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      connection.sync().aclSetuser("app", AclSetuserArgs.Builder.on().addPassword("app-secret")
          .allKeys().allChannels().allCommands());
    } finally {
      client.shutdown();
    }
  }

  @AfterAll
  static void stopServers() {
    if (redis != null) {
      redis.close();
    }
    if (memcached != null) {
      memcached.close();
    }
  }

  @Test
  void withoutPropertiesOneEmbeddedBackendNamedDefault() {
    runner.run(context -> {
      TierCache cache = context.getBean(TierCache.class);
      assertThat(cache.backends()).containsOnlyKeys("default");
      assertThat(cache.backends().get("default")).isInstanceOf(InMemoryBackend.class);
      assertThat(cache.backends().get("default").describe()).isEqualTo("in-memory(10000 entries)");
      assertThat(cache.namespace()).isEqualTo("tiercache");
      assertThat(cache.coherence().enabled()).isTrue();
      assertThat(context.getBean(TierCacheCacheOverrides.class).names()).isEmpty();
    });
  }

  @Test
  void namespaceCoherenceAndL2TimeoutReachTheTierCache() {
    runner.withPropertyValues("tiercache.namespace=shop", "tiercache.coherence.enabled=false",
        "tiercache.l2-timeout=35ms").run(context -> {
          TierCache cache = context.getBean(TierCache.class);
          assertThat(cache.namespace()).isEqualTo("shop");
          assertThat(cache.coherence().enabled()).isFalse();
          assertThat(Internals.field(cache, "l2Timeout")).isEqualTo(Duration.ofMillis(35));
        });
  }

  @Test
  void embeddedBackendsTakeTheirBounds() {
    runner.withPropertyValues("tiercache.backends.a.embedded.enabled=true",
        "tiercache.backends.b.embedded.max-entries=50",
        "tiercache.backends.c.embedded.max-bytes=4096").run(context -> {
          TierCache cache = context.getBean(TierCache.class);
          assertThat(cache.backends()).containsOnlyKeys("a", "b", "c");
          assertThat(cache.backends().get("a").describe()).isEqualTo("in-memory(10000 entries)");
          assertThat(cache.backends().get("b").describe()).isEqualTo("in-memory(50 entries)");
          assertThat(cache.backends().get("c").describe()).isEqualTo("in-memory(4096 bytes)");
        });
  }

  @Test
  void redisUriWithAclUserPasswordKeyPrefixTimeoutsAndHeartbeat() {
    runner.withPropertyValues("tiercache.backends.main.redis.uri=" + redis.uri() + "/3",
        "tiercache.backends.main.redis.username=app",
        "tiercache.backends.main.redis.password=app-secret",
        "tiercache.backends.main.redis.key-prefix=billing:",
        "tiercache.backends.main.redis.command-timeout=150ms",
        "tiercache.backends.main.redis.bulk-timeout=2s",
        "tiercache.backends.main.redis.connect-timeout=3s",
        "tiercache.coherence.heartbeat=40ms").run(context -> {
          RedisBackend backend = (RedisBackend) context.getBean(TierCache.class).backends().get("main");
          assertThat(backend.describe()).isEqualTo("redis(" + redis.address() + " db 3, prefix 'billing:')");
          // the ACL user and its password reached the connection: Redis accepted them
          assertThat(backend.awaitUp(Duration.ofSeconds(10))).as("%s", backend.health()).isTrue();
          assertThat(Internals.uri(backend).getUsername()).isEqualTo("app");
          ClientOptions options = Internals.clientOptions(backend);
          assertThat(options.getTimeoutOptions().getSource().getTimeout(new Command<>(CommandType.GET, null)))
              .isEqualTo(TimeUnit.MILLISECONDS.toNanos(150));
          assertThat(options.getTimeoutOptions().getSource().getTimeout(new Command<>(CommandType.SET, null)))
              .isEqualTo(TimeUnit.SECONDS.toNanos(2));
          assertThat(options.getSocketOptions().getConnectTimeout()).isEqualTo(Duration.ofSeconds(3));
          assertThat(context.getBean(TierCache.class).coherence().stalenessBound())
              .isEqualTo(Duration.ofMillis(80));
        });
  }

  @Test
  void aWrongRedisPasswordReachesRedisAndIsRefused() {
    runner.withPropertyValues("tiercache.backends.main.redis.uri=" + redis.uri(),
        "tiercache.backends.main.redis.username=app",
        "tiercache.backends.main.redis.password=wrong").run(context -> {
          RedisBackend backend = (RedisBackend) context.getBean(TierCache.class).backends().get("main");
          assertThat(backend.awaitUp(Duration.ofMillis(500))).isFalse();
          assertThat(backend.health().status()).isEqualTo(RedisHealth.Status.AUTH_FAILED);
        });
  }

  @Test
  void redisClusterNodesWithTlsAndSentinelMasterNodesDatabase() {
    runner.withPropertyValues(
        "tiercache.backends.cl.redis.cluster.nodes=127.0.0.1:7000,[::1]:7001",
        "tiercache.backends.cl.redis.ssl.enabled=true",
        "tiercache.backends.se.redis.sentinel.master=orders",
        "tiercache.backends.se.redis.sentinel.nodes=127.0.0.1:26379,127.0.0.1:26380",
        "tiercache.backends.se.redis.sentinel.database=2").run(context -> {
          TierCache cache = context.getBean(TierCache.class);
          assertThat(cache.backends().get("cl").describe())
              .isEqualTo("redis(cluster 127.0.0.1:7000 tls, ::1:7001 tls)");
          assertThat(cache.backends().get("se").describe())
              .isEqualTo("redis(sentinel orders via 127.0.0.1:26379,127.0.0.1:26380 db 2)");
        });
  }

  @Test
  void memcachedServers() {
    runner.withPropertyValues("tiercache.backends.mc.memcached.servers=" + memcached.address())
        .run(context -> {
          MemcachedBackend backend = (MemcachedBackend) context.getBean(TierCache.class).backends().get("mc");
          assertThat(backend.servers()).containsExactly(memcached.address());
          assertThat(backend.connectedServers()).containsExactly(memcached.address());
        });
  }

  @Test
  void cacheOverridesReachTheFunctionsBuiltThroughTheBean() {
    RecordingBackend recording = new RecordingBackend(InMemoryBackend.create());
    runner.withBean(TierCacheBuilderCustomizer.class, () -> b -> b.backend("rec", recording))
        .withPropertyValues("tiercache.caches.users.l1-max-size=7",
            "tiercache.caches.users.ttl=30s",
            "tiercache.caches.users.backend=rec",
            "tiercache.caches.users.lease.max-wait=250ms",
            "tiercache.caches.users.lease.ttl=4s",
            "tiercache.caches.orders.ttl=30s",
            "tiercache.caches.orders.jitter=10s",
            "tiercache.caches.orders.backend=rec").run(context -> {
          TierCache cache = context.getBean(TierCache.class);
          TierCacheCacheOverrides overrides = context.getBean(TierCacheCacheOverrides.class);
          assertThat(overrides.names()).containsExactlyInAnyOrder("users", "orders");
          CachedFunction1<String, String> users = overrides
              .apply("users", cache.function("users", String.class)).of(id -> "user " + id);
          assertThat(users.apply("ann")).isEqualTo("user ann");
          assertThat(users.cacheInfo().l1MaxSize()).isEqualTo(7);
          assertThat(users.leaseStats()).isEqualTo(new LeaseStats(1, 0, 0, 0, 0, 0));
          assertThat(recording.leaseTtls).containsExactly(Duration.ofSeconds(4));
          assertThat(recording.setTtls).containsExactly(Duration.ofSeconds(30));
          assertThat(cache.backends().get("default")).isNotSameAs(recording);

          recording.setTtls.clear();
          CachedFunction1<Integer, Integer> orders = overrides
              .apply("orders", cache.function("orders", Integer.class)).of(n -> n * 2);
          for (int i = 0; i < 20; i++) {
            orders.apply(i);
          }
          assertThat(recording.setTtls).hasSize(20).allSatisfy(ttl -> assertThat(ttl)
              .isBetween(Duration.ofSeconds(30), Duration.ofSeconds(40)));
          Set<Duration> distinct = new HashSet<>(recording.setTtls);
          assertThat(distinct).as("jitter spreads the TTLs").hasSizeGreaterThan(1);
        });
  }

  @Test
  void aTimeSourceBeanClocksTheTierCacheAndEmbeddedBackendsSoTtlsRunOnIt() {
    ManualTimeSource time = new ManualTimeSource();
    runner.withBean(io.tiercache.TimeSource.class, () -> time)
        .withPropertyValues("tiercache.caches.quotes.ttl=10s").run(context -> {
          TierCache cache = context.getBean(TierCache.class);
          AtomicInteger computed = new AtomicInteger();
          CachedFunction1<String, Integer> quotes = context.getBean(TierCacheCacheOverrides.class)
              .apply("quotes", cache.function("quotes", Integer.class))
              .of(s -> computed.incrementAndGet());
          assertThat(quotes.apply("a")).isEqualTo(1);
          time.advance(Duration.ofMillis(9_999));
          assertThat(quotes.apply("a")).isEqualTo(1);
          time.advance(Duration.ofMillis(2));
          assertThat(quotes.apply("a")).isEqualTo(2);
          assertThat(context.getBean(ConfiguredBackends.class).backends()).containsOnlyKeys("default");
        });
  }

  @Test
  void theTierCacheIsClosedWithTheContextAndTheBackendsAfterIt() {
    RedisBackend[] backend = new RedisBackend[1];
    TierCache[] cache = new TierCache[1];
    runner.withPropertyValues("tiercache.backends.main.redis.uri=" + redis.uri()).run(context -> {
      cache[0] = context.getBean(TierCache.class);
      backend[0] = (RedisBackend) cache[0].backends().get("main");
      assertThat(backend[0].awaitUp(Duration.ofSeconds(10))).isTrue();
      assertThat(cache[0].coherence().coherentBackends()).containsExactly(backend[0].describe());
    });
    // the context closed the backend it built (after the TierCache, which depends on it)
    assertThat(backend[0].health().status()).isEqualTo(RedisHealth.Status.CLOSED);
  }
}
