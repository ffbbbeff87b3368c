package io.tiercache.cli;

import io.lettuce.core.RedisURI;
import io.tiercache.backend.Backend;
import io.tiercache.memcached.MemcachedBackend;
import io.tiercache.redis.RedisBackend;
import io.tiercache.redis.RedisHealth;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Where the cache is, as the library's builders take it: one Redis ({@code --redis}, standalone,
 * {@code rediss://} or {@code redis-sentinel://}), a Redis Cluster ({@code --redis-cluster}, once
 * per seed node) or memcached servers ({@code --memcached}); credentials from an environment
 * variable or a prompt, never from the command line's visible arguments unless the URI holds them.
 */
final class ConnectionOptions {
  @Option(names = "--redis", paramLabel = "URI",
      description = "Redis: redis://host:port[/db], rediss://... (TLS) or"
          + " redis-sentinel://host:26379[,host2:26379]/db#master")
  String redis;

  @Option(names = "--redis-cluster", paramLabel = "URI",
      description = "a seed node of a Redis Cluster, redis://host:port (repeat for more seeds)")
  List<String> clusterSeeds = new ArrayList<>();

  @Option(names = "--memcached", paramLabel = "HOST:PORT[,HOST:PORT...]", split = ",",
      description = "memcached servers, in the order the applications list them")
  List<String> memcached = new ArrayList<>();

  @Option(names = "--user", paramLabel = "NAME", description = "Redis ACL user")
  String user;

  @Option(names = "--password-env", paramLabel = "VAR",
      description = "read the Redis password from this environment variable")
  String passwordEnv;

  @Option(names = "--password", interactive = true, arity = "0",
      description = "prompt for the Redis password (not echoed)")
  char[] password;

  @Option(names = "--cacert", paramLabel = "PEM",
      description = "for rediss://: trust the certificates in this PEM file")
  Path cacert;

  @Option(names = "--key-prefix", paramLabel = "TEXT", defaultValue = "",
      description = "the key prefix the applications give their RedisBackend (default none)")
  String keyPrefix;

  @Option(names = {"-n", "--namespace"}, paramLabel = "NAME", defaultValue = "tiercache",
      description = "the TierCache namespace (default ${DEFAULT-VALUE})")
  String namespace;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "3s",
      converter = DurationConverter.class,
      description = "how long to wait for the server, e.g. 500ms, 3s (default ${DEFAULT-VALUE})")
  Duration timeout;

  /** Which kind of backend the options name. */
  enum Kind { REDIS, REDIS_CLUSTER, MEMCACHED }

  Kind kind() {
    int chosen = (redis != null ? 1 : 0) + (clusterSeeds.isEmpty() ? 0 : 1) + (memcached.isEmpty() ? 0 : 1);
    if (chosen != 1) {
      throw new CliException(ExitCodes.USAGE, chosen == 0
          ? "say where the cache is: --redis URI, --redis-cluster URI (once per seed) or --memcached HOST:PORT"
          : "choose only one of --redis, --redis-cluster and --memcached");
    }
    if (!memcached.isEmpty() && (user != null || passwordEnv != null || password != null || cacert != null
        || !keyPrefix.isEmpty())) {
      throw new CliException(ExitCodes.USAGE,
          "--user, --password, --password-env, --cacert and --key-prefix are for Redis, not --memcached");
    }
    return redis != null ? Kind.REDIS : memcached.isEmpty() ? Kind.REDIS_CLUSTER : Kind.MEMCACHED;
  }

  /** The Redis URIs with the credentials of the options applied. */
  List<RedisURI> redisUris(Map<String, String> env) {
    List<String> texts = kind() == Kind.REDIS ? List.of(redis) : clusterSeeds;
    char[] secret = password;
    if (passwordEnv != null) {
      if (secret != null) {
        throw new CliException(ExitCodes.USAGE, "choose one of --password and --password-env");
      }
      String value = env.get(passwordEnv);
      if (value == null) {
        throw new CliException(ExitCodes.USAGE, "--password-env: the environment variable " + passwordEnv
            + " is not set");
      }
      secret = value.toCharArray();
    }
    List<RedisURI> uris = new ArrayList<>();
    for (String text : texts) {
      RedisURI uri;
      try {
        uri = RedisURI.create(text);
      } catch (RuntimeException e) {
        throw new CliException(ExitCodes.USAGE, "not a Redis URI: " + RedisTarget.withoutPassword(text)
            + " (" + e.getMessage() + ")");
      }
      if (secret != null) {
        if (user != null) {
          uri.setUsername(user);
        }
        uri.setPassword(secret.clone()); // the prompt's array is wiped below
      } else if (user != null) {
        throw new CliException(ExitCodes.USAGE, "--user needs --password or --password-env");
      }
      uris.add(uri);
    }
    if (password != null) {
      Arrays.fill(password, '\0');
    }
    return uris;
  }

  /**
   * Builds the backend through the library's builder and waits, at most {@code --timeout}, until it
   * is connected; fails with one line and the documented code when it is not.
   */
  Target open(Map<String, String> env) {
    if (kind() == Kind.MEMCACHED) {
      MemcachedBackend backend = MemcachedBackend.builder().servers(memcached).build();
      return awaitMemcached(backend);
    }
    List<RedisURI> uris = redisUris(env);
    RedisBackend.Builder builder = RedisBackend.builder().keyPrefix(keyPrefix)
        .commandTimeout(timeout).bulkTimeout(timeout)
        // half the wait, so a first attempt that fails has told why before the wait ends
        .connectTimeout(timeout.dividedBy(2));
    if (cacert != null) {
      builder.trustedCertificates(cacert);
    }
    if (kind() == Kind.REDIS) {
      builder.uri(uris.get(0));
    } else {
      builder.cluster(uris);
    }
    RedisBackend backend;
    try {
      backend = builder.build();
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.USAGE, e.getMessage());
    }
    return awaitRedis(backend, uris);
  }

  private Target awaitRedis(RedisBackend backend, List<RedisURI> uris) {
    Waits.until(timeout, () -> backend.health().isUp()
        || backend.health().status() == RedisHealth.Status.AUTH_FAILED);
    RedisHealth health = backend.health();
    if (health.isUp()) {
      return new Target(this, backend, new RedisTarget(uris, kind() == Kind.REDIS_CLUSTER, cacert, keyPrefix));
    }
    backend.close();
    String message = firstSentence(health.message());
    throw switch (health.status()) {
      case AUTH_FAILED -> new CliException(ExitCodes.AUTH_FAILED, message);
      case CONNECTING -> new CliException(ExitCodes.UNREACHABLE, "no answer from Redis within "
          + Durations.text(timeout));
      default -> new CliException(ExitCodes.UNREACHABLE, message);
    };
  }

  /** The library's health sentence up to what it says about cached functions (not this tool's concern). */
  private static String firstSentence(String message) {
    int cut = message.indexOf(". Cached functions");
    if (cut < 0) {
      cut = message.indexOf(" Cached functions");
    }
    return cut < 0 ? message : message.substring(0, cut);
  }

  private Target awaitMemcached(MemcachedBackend backend) {
    Waits.until(timeout, () -> backend.connectedServers().size() == backend.servers().size());
    if (backend.connectedServers().isEmpty()) {
      backend.close();
      throw new CliException(ExitCodes.UNREACHABLE, "cannot connect to memcached at "
          + String.join(", ", backend.servers()) + " within " + Durations.text(timeout));
    }
    return new Target(this, backend, null);
  }

  /** The backend the options name, connected; and for Redis, how to reach it for admin commands. */
  record Target(ConnectionOptions options, Backend backend, RedisTarget redis) implements AutoCloseable {
    String namespace() {
      return options.namespace;
    }

    RedisTarget requireRedis(String what) {
      if (redis == null) {
        throw new CliException(ExitCodes.UNSUPPORTED, "memcached offers no way to list keys: cannot " + what);
      }
      return redis;
    }

    @Override
    public void close() {
      if (redis != null) {
        redis.close();
      }
      if (backend instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (Exception e) {
          // closing on the way out: nothing left to tell the operator
        }
      }
    }
  }
}
