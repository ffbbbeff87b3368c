package io.tiercache.spring.boot.internal;

import io.tiercache.backend.Backend;
import io.tiercache.backend.InMemoryBackend;
import io.tiercache.TimeSource;
import io.tiercache.TierCache;
import io.tiercache.spring.boot.TierCacheConfigurationException;
import io.tiercache.spring.boot.TierCacheProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.ClassUtils;

/**
 * The backends of {@code tiercache.backends}, built from the properties, in alias order (an
 * embedded one under {@code default} when none is configured). They are the starter's: closed when
 * the context closes, after the {@code TierCache} that uses them.
 */
public final class ConfiguredBackends implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ConfiguredBackends.class);
  private static final String REDIS = "io.tiercache.redis.RedisBackend";
  private static final String MEMCACHED = "io.tiercache.memcached.MemcachedBackend";

  private final Map<String, Backend> backends;

  private ConfiguredBackends(Map<String, Backend> backends) {
    this.backends = Collections.unmodifiableMap(backends);
  }

  /**
   * Builds every configured backend; on a wrong property closes those already built and throws.
   *
   * @param properties the bound properties
   * @param time the clock of embedded backends, or null for the system clock
   * @param ssl the Spring Boot SSL bundles, for {@code redis.ssl.bundle}
   * @return the backends by alias
   * @throws TierCacheConfigurationException naming the first wrong property
   */
  public static ConfiguredBackends build(TierCacheProperties properties, TimeSource time,
      SslBundleLookup ssl) {
    Map<String, Backend> built = new LinkedHashMap<>();
    try {
      if (properties.backends().isEmpty()) {
        built.put(TierCache.DEFAULT, embedded("tiercache.backends.default.embedded", null, time));
      }
      Duration heartbeat = Checks.positive("tiercache.coherence.heartbeat",
          properties.coherence().heartbeat());
      for (Map.Entry<String, TierCacheProperties.Backend> e :
          new TreeMap<>(properties.backends()).entrySet()) {
        String prefix = "tiercache.backends." + e.getKey();
        built.put(e.getKey(), one(prefix, e.getValue(), heartbeat, time, ssl));
      }
      return new ConfiguredBackends(built);
    } catch (RuntimeException e) {
      new ConfiguredBackends(built).close();
      throw e;
    }
  }

  private static Backend one(String prefix, TierCacheProperties.Backend backend,
      Duration heartbeat, TimeSource time, SslBundleLookup ssl) {
    List<String> kinds = new ArrayList<>();
    if (backend.embedded() != null) {
      kinds.add("embedded");
    }
    if (backend.redis() != null) {
      kinds.add("redis");
    }
    if (backend.memcached() != null) {
      kinds.add("memcached");
    }
    if (kinds.size() != 1) {
      throw new TierCacheConfigurationException(prefix, kinds.isEmpty()
          ? "set one of embedded, redis and memcached"
          : "set only one of embedded, redis and memcached, not " + String.join(" and ", kinds));
    }
    switch (kinds.get(0)) {
      case "embedded":
        return embedded(prefix + ".embedded", backend.embedded(), time);
      case "redis":
        require(prefix + ".redis", REDIS, "tiercache-redis");
        return RedisBackends.build(prefix + ".redis", backend.redis(), heartbeat, ssl);
      default:
        require(prefix + ".memcached", MEMCACHED, "tiercache-memcached");
        return MemcachedBackends.build(prefix + ".memcached", backend.memcached());
    }
  }

  private static void require(String property, String type, String artifact) {
    if (!ClassUtils.isPresent(type, ConfiguredBackends.class.getClassLoader())) {
      throw new TierCacheConfigurationException(property, "needs io.tiercache:" + artifact
          + " on the class path");
    }
  }

  private static Backend embedded(String prefix, TierCacheProperties.Embedded embedded,
      TimeSource time) {
    InMemoryBackend.Builder builder = InMemoryBackend.builder();
    if (time != null) {
      builder.timeSource(time);
    }
    if (embedded != null && embedded.maxEntries() != null) {
      Checks.at(prefix + ".max-entries", () -> builder.maxEntries(embedded.maxEntries()));
    }
    if (embedded != null && embedded.maxBytes() != null) {
      Checks.at(prefix + ".max-bytes", () -> builder.maxBytes(embedded.maxBytes()));
    }
    return builder.build();
  }

  /**
   * The backends by alias.
   *
   * @return an unmodifiable map from alias to backend
   */
  public Map<String, Backend> backends() {
    return backends;
  }

  /** Closes every backend that can be closed, in the reverse order of building. */
  @Override
  public void close() {
    List<Backend> reverse = new ArrayList<>(backends.values());
    Collections.reverse(reverse);
    for (Backend backend : reverse) {
      if (backend instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (Exception e) {
          LOG.warn("closing {} failed", backend.describe(), e);
        }
      }
    }
  }
}
