package io.tiercache.spring.boot.internal;

import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.tiercache.backend.Backend;
import io.tiercache.redis.RedisBackend;
import io.tiercache.spring.boot.TierCacheConfigurationException;
import io.tiercache.spring.boot.TierCacheProperties;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Builds a {@link RedisBackend} from {@code tiercache.backends.<alias>.redis}; loaded only with tiercache-redis. */
final class RedisBackends {
  private static final List<String> SCHEMES = List.of("redis://", "rediss://", "redis-sentinel://",
      "rediss-sentinel://", "redis-socket://");

  private RedisBackends() {}

  static Backend build(String prefix, TierCacheProperties.Redis redis, Duration heartbeat,
      SslBundleLookup bundles) {
    List<String> nodes = redis.cluster() == null || redis.cluster().nodes() == null
        ? List.of() : redis.cluster().nodes();
    List<String> sentinels = redis.sentinel() == null || redis.sentinel().nodes() == null
        ? List.of() : redis.sentinel().nodes();
    int sources = (redis.uri() != null ? 1 : 0) + (nodes.isEmpty() ? 0 : 1)
        + (sentinels.isEmpty() ? 0 : 1);
    if (sources != 1) {
      throw new TierCacheConfigurationException(prefix, sources == 0
          ? "set one of uri, cluster.nodes and sentinel.nodes"
          : "set only one of uri, cluster.nodes and sentinel.nodes");
    }
    TierCacheProperties.Ssl ssl = redis.ssl();
    boolean tls = ssl != null && ssl.enabled();
    RedisBackend.Builder builder = RedisBackend.builder();
    if (redis.uri() != null) {
      RedisURI uri = uri(prefix + ".uri", redis.uri());
      uri.setSsl(uri.isSsl() || tls);
      builder.uri(credentials(redis, uri));
    } else if (!nodes.isEmpty()) {
      List<RedisURI> seeds = new ArrayList<>();
      for (int i = 0; i < nodes.size(); i++) {
        RedisURI seed = node(prefix + ".cluster.nodes[" + i + "]", nodes.get(i));
        seed.setSsl(seed.isSsl() || tls);
        seeds.add(credentials(redis, seed));
      }
      builder.cluster(seeds);
    } else {
      builder.uri(credentials(redis, sentinel(prefix + ".sentinel", redis.sentinel(), tls)));
    }
    if (redis.keyPrefix() != null) {
      builder.keyPrefix(redis.keyPrefix());
    }
    if (Checks.positive(prefix + ".command-timeout", redis.commandTimeout()) != null) {
      builder.commandTimeout(redis.commandTimeout());
    }
    if (Checks.positive(prefix + ".bulk-timeout", redis.bulkTimeout()) != null) {
      builder.bulkTimeout(redis.bulkTimeout());
    }
    if (Checks.positive(prefix + ".connect-timeout", redis.connectTimeout()) != null) {
      builder.connectTimeout(redis.connectTimeout());
    }
    if (heartbeat != null) {
      Checks.at("tiercache.coherence.heartbeat", () -> builder.invalidationHeartbeat(heartbeat));
    }
    if (ssl != null && ssl.caCertificate() != null && ssl.bundle() != null) {
      throw new TierCacheConfigurationException(prefix + ".ssl",
          "set only one of ca-certificate and bundle");
    }
    if (ssl != null && ssl.caCertificate() != null) {
      Checks.at(prefix + ".ssl.ca-certificate",
          () -> builder.trustedCertificates(Path.of(ssl.caCertificate())));
    }
    if (ssl != null && ssl.bundle() != null) {
      SslBundleLookup.Managers managers = Checks.at(prefix + ".ssl.bundle",
          () -> bundles.managers(ssl.bundle()));
      SslOptions.Builder options = SslOptions.builder().jdkSslProvider()
          .trustManager(managers.trust());
      if (managers.keys() != null) {
        options.keyManager(managers.keys());
      }
      builder.sslOptions(options.build());
    }
    return builder.build();
  }

  private static RedisURI uri(String property, String text) {
    if (SCHEMES.stream().noneMatch(text::startsWith)) {
      throw new TierCacheConfigurationException(property,
          "not a Redis URI: it must start with redis://, rediss:// or redis-sentinel://");
    }
    try {
      return RedisURI.create(text);
    } catch (RuntimeException e) {
      // never echo the URI: it may hold a password
      throw new TierCacheConfigurationException(property, "not a Redis URI: "
          + String.valueOf(e.getMessage()).replace(text, "<uri>"));
    }
  }

  /** A node as {@code host:port}, {@code [ipv6]:port} or a Redis URI. */
  private static RedisURI node(String property, String text) {
    if (text.contains("://")) {
      return uri(property, text);
    }
    int colon = text.lastIndexOf(':');
    String host = colon < 0 ? "" : text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = -1;
    try {
      port = colon < 0 ? -1 : Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (host.isBlank() || port < 1 || port > 65535) {
      throw new TierCacheConfigurationException(property, "not host:port: '" + text + "'");
    }
    return RedisURI.create(host, port);
  }

  private static RedisURI sentinel(String prefix, TierCacheProperties.Sentinel sentinel,
      boolean tls) {
    if (sentinel.master() == null || sentinel.master().isBlank()) {
      throw new TierCacheConfigurationException(prefix + ".master",
          "name the master the Sentinels monitor");
    }
    RedisURI.Builder builder = null;
    for (int i = 0; i < sentinel.nodes().size(); i++) {
      RedisURI node = node(prefix + ".nodes[" + i + "]", sentinel.nodes().get(i));
      builder = builder == null
          ? RedisURI.Builder.sentinel(node.getHost(), node.getPort(), sentinel.master())
          : builder.withSentinel(node.getHost(), node.getPort());
    }
    if (sentinel.database() != null) {
      builder.withDatabase(Checks.at(prefix + ".database", () -> {
        if (sentinel.database() < 0) {
          throw new IllegalArgumentException("must not be negative, got " + sentinel.database());
        }
        return sentinel.database();
      }));
    }
    return builder.withSsl(tls).build();
  }

  private static RedisURI credentials(TierCacheProperties.Redis redis, RedisURI uri) {
    if (redis.username() != null) {
      uri.setUsername(redis.username());
    }
    if (redis.password() != null) {
      uri.setPassword(redis.password().toCharArray());
    }
    return uri;
  }
}
