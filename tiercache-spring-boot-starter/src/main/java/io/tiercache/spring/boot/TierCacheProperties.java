package io.tiercache.spring.boot;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code tiercache.*} properties the starter builds its {@code TierCache} from: the namespace,
 * coherence, the L2 timeout, the named backends and per-cache overrides. Each maps onto an existing
 * builder option ({@code TierCache.Builder}, {@code RedisBackend.Builder},
 * {@code MemcachedBackend.Builder}, {@code CachedFunctionBuilder}); docs/spring-boot.md lists them with
 * their defaults. Values are checked when the context starts: a wrong one fails startup with a
 * message naming the property ({@link TierCacheConfigurationException}).
 *
 * @param namespace the prefix of every L2 key ({@code TierCache.Builder.namespace})
 * @param coherence how the L1s of processes sharing a backend are kept coherent
 * @param l2Timeout the longest a call waits for L2 before computing instead; unset for the core
 *     default (100 ms)
 * @param backends the L2 backends by alias; none configured means one embedded backend under
 *     {@code default}
 * @param caches per-cache (per-function) overrides by cache name
 */
@ConfigurationProperties(prefix = "tiercache", ignoreUnknownFields = false)
public record TierCacheProperties(
    @DefaultValue("tiercache") String namespace,
    @DefaultValue Coherence coherence,
    Duration l2Timeout,
    Map<String, Backend> backends,
    Map<String, Cache> caches) {

  /**
   * Replaces absent maps by empty ones.
   *
   * @param namespace the prefix of every L2 key
   * @param coherence the coherence settings
   * @param l2Timeout the L2 timeout, or null for the default
   * @param backends the backends by alias, or null for none
   * @param caches the per-cache overrides by name, or null for none
   */
  public TierCacheProperties {
    backends = backends == null ? Map.of() : Map.copyOf(backends);
    caches = caches == null ? Map.of() : Map.copyOf(caches);
  }

  /**
   * Coherence of the L1s across processes ({@code tiercache.coherence.*}).
   *
   * @param enabled whether the {@code TierCache} joins its backends' invalidation channels
   *     ({@code TierCache.Builder.coherence})
   * @param heartbeat the heartbeat period of every Redis backend's invalidation channel: other
   *     processes serve an invalidated value from L1 for at most twice this; unset for the Redis
   *     default (500 ms); at least 10 ms
   */
  public record Coherence(@DefaultValue("true") boolean enabled, Duration heartbeat) {}

  /**
   * One named backend ({@code tiercache.backends.<alias>.*}): set exactly one of the three kinds.
   *
   * @param embedded an in-process {@code InMemoryBackend} (for tests and single-process use)
   * @param redis a Redis backend (needs {@code tiercache-redis})
   * @param memcached a memcached backend (needs {@code tiercache-memcached})
   */
  public record Backend(Embedded embedded, Redis redis, Memcached memcached) {}

  /**
   * An in-process backend ({@code InMemoryBackend.Builder}).
   *
   * @param enabled true for an embedded backend with the defaults (needed only when no other
   *     embedded property is set)
   * @param maxEntries the bound in entries, unset for none
   * @param maxBytes the bound in bytes of keys and values, unset for none
   */
  public record Embedded(boolean enabled, Long maxEntries, Long maxBytes) {}

  /**
   * A Redis backend ({@code RedisBackend.Builder}): set one of {@code uri}, {@code cluster.nodes} and
   * {@code sentinel.nodes}.
   *
   * @param uri a standalone Redis: {@code redis://[user:password@]host:port[/db]},
   *     {@code rediss://...} for TLS, or {@code redis-sentinel://...}
   * @param cluster a Redis Cluster, by seed nodes
   * @param sentinel a Redis behind Sentinel
   * @param username the ACL user (overrides one in the URI)
   * @param password the password (overrides one in the URI)
   * @param ssl TLS for cluster and Sentinel nodes, and the certificates to trust
   * @param keyPrefix prepended to every key in Redis, on top of the namespace
   * @param commandTimeout the timeout of single-key reads and deletes; unset for 200 ms
   * @param bulkTimeout the timeout of writes and multi-key commands; unset for 1 s
   * @param connectTimeout the timeout of one connection attempt; unset for 1 s
   */
  public record Redis(String uri, Cluster cluster, Sentinel sentinel, String username,
      String password, Ssl ssl, String keyPrefix, Duration commandTimeout, Duration bulkTimeout,
      Duration connectTimeout) {

    /**
     * Hides the password.
     *
     * @return the settings without the password or the URI's credentials
     */
    @Override
    public String toString() {
      return "Redis[uri=" + (uri == null ? null : "<set>") + ", cluster=" + cluster + ", sentinel="
          + sentinel + ", username=" + username + ", password=" + (password == null ? null : "<set>")
          + ", ssl=" + ssl + ", keyPrefix=" + keyPrefix + "]";
    }
  }

  /**
   * A Redis Cluster ({@code RedisBackend.Builder.cluster}).
   *
   * @param nodes seed nodes, {@code host:port} or Redis URIs; the rest of the topology is discovered
   */
  public record Cluster(List<String> nodes) {}

  /**
   * A Redis behind Sentinel.
   *
   * @param master the name of the monitored master
   * @param nodes the Sentinels, {@code host:port}
   * @param database the database number; unset for 0
   */
  public record Sentinel(String master, List<String> nodes, Integer database) {}

  /**
   * TLS to Redis.
   *
   * @param enabled TLS for {@code cluster.nodes} and {@code sentinel.nodes} given as
   *     {@code host:port} (a {@code rediss://} URI turns it on by itself)
   * @param caCertificate a PEM file of the certificates to trust (e.g. a private CA)
   * @param bundle the name of a Spring Boot SSL bundle ({@code spring.ssl.bundle.*}) for the
   *     trust and key material, instead of {@code ca-certificate}
   */
  public record Ssl(boolean enabled, String caCertificate, String bundle) {}

  /**
   * A memcached backend ({@code MemcachedBackend.Builder}).
   *
   * @param servers the servers, each {@code host:port}, {@code host} (port 11211) or
   *     {@code [ipv6]:port}
   */
  public record Memcached(List<String> servers) {}

  /**
   * Overrides for one cache ({@code tiercache.caches.<name>.*}), applied to the cached function of
   * that name by {@link TierCacheCacheOverrides}.
   *
   * @param l1MaxSize the most entries kept in L1; 0 turns L1 off
   * @param ttl how long entries live in both layers; unset for forever
   * @param jitter a random extra lifetime up to this; needs {@code ttl}
   * @param backend the alias of the backend the cache uses; unset for the default backend
   * @param lease a stampede lease: one process computes a missing entry, the others wait
   */
  public record Cache(Long l1MaxSize, Duration ttl, Duration jitter, String backend, Lease lease) {}

  /**
   * A stampede lease ({@code CachedFunctionBuilder.lease}).
   *
   * @param maxWait how long a process that did not get the lease waits for the leader's result
   * @param ttl how long a lease lasts unless released; unset for the core default; at least
   *     {@code max-wait}
   */
  public record Lease(Duration maxWait, Duration ttl) {}
}
