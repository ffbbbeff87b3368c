package io.tiercache.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.tiercache.backend.LeasingBackend;
import io.tiercache.coherence.InvalidationChannel;
import io.tiercache.internal.log.ThrottledLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Redis as tiercache's L2, on Lettuce: standalone, Sentinel ({@code redis-sentinel://} URIs) and
 * Redis Cluster; plain or TLS ({@code rediss://}); ACL user and password from the URI.
 *
 * <pre>{@code
 * Backend redis = RedisBackend.connect("redis://cache-user:secret@redis.internal:6379");
 * Backend cluster = RedisBackend.connectCluster("redis://10.0.0.1:7000", "redis://10.0.0.2:7000");
 * Backend tuned = RedisBackend.builder()
 *     .uri("rediss://redis.internal:6380")
 *     .trustedCertificates(Path.of("/etc/redis/ca.pem"))
 *     .keyPrefix("billing:")
 *     .commandTimeout(Duration.ofMillis(150))
 *     .build();
 * }</pre>
 *
 * <p><b>Commands.</b> get = {@code GET}; getMany = {@code MGET} (on a cluster Lettuce splits it by
 * slot); set = {@code SET}, with {@code PX} when there is a TTL; setMany = one {@code MSET} without
 * TTL, else one pipelined {@code SET PX} per entry (Redis has no multi-key set with expiry), sent
 * together so the batch costs one round trip of latency; delete = {@code UNLINK}; clear =
 * {@code FLUSHDB ASYNC} of the connection's database (every master of a cluster), or, when a
 * {@linkplain Builder#keyPrefix key prefix} is configured, {@code SCAN MATCH prefix*} and
 * {@code UNLINK} of what it finds, so only this backend's keys go. Leases ({@link LeasingBackend}):
 * tryLease = {@code SET key token NX PX ttl}; releaseLease = one {@code EVAL} of a script that
 * deletes the key only if it still holds the token (compare-and-delete, atomic in Redis).
 *
 * <p><b>Failures.</b> No method throws: every failure completes the returned stage exceptionally,
 * which the engine turns into a miss. Construction never waits for Redis nor fails because of it:
 * the connection is made in the background, retried with backoff while Redis is down or refuses the
 * credentials (each problem logged once, then at most once a minute, and visible in
 * {@link #health()}); operations issued while the first attempt runs wait for it, later ones fail at
 * once with a {@link RedisBackendException}. Once connected, Lettuce reconnects by itself and
 * commands issued while disconnected fail at once instead of queueing. Reads and deletes of one key
 * time out after {@link Builder#commandTimeout} (200 ms), writes and batches after
 * {@link Builder#bulkTimeout} (1 s). A {@linkplain Builder#circuitBreaker circuit breaker} opens
 * after 5 consecutive failures: for 1 s every command fails at once, then one probe is sent.
 *
 * <p><b>Coherent L1s.</b> {@link #invalidationChannel(String)} gives each namespace a
 * {@link RedisInvalidationChannel}: a pub/sub connection of its own, heartbeats every
 * {@link Builder#invalidationHeartbeat} (500 ms), and a loss reported (so L1s are flushed) at most
 * twice that after messages stop arriving. Not offered for a {@linkplain Builder#connection given
 * connection} (there is no client to open the pub/sub connection with).
 *
 * <p>Thread-safe; one connection is shared by all callers (Lettuce pipelines their commands).
 * {@link #close()} releases the connection, and the client and threads it created (never a client or
 * connection the application gave).
 */
public final class RedisBackend implements LeasingBackend, AutoCloseable {
  /** The codec of every connection a backend uses: UTF-8 keys, raw byte-array values. */
  public static final RedisCodec<String, byte[]> CODEC =
      RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

  private static final Logger LOG = LoggerFactory.getLogger(RedisBackend.class);

  // The parts, as Lettuce splits ClientOptions from ConnectionWatchdog: the checked settings
  // (RedisOptions), the connection with its retries, breaker and health (RedisConnector), what a
  // failure means (RedisFailures), and the commands of each operation (BackendCommands).
  private final ConnectionSource source;
  private final RedisConnector connector;
  private final BackendCommands commands;
  private final String prefix;
  private final String description;
  private final Duration heartbeat;
  private final Map<String, RedisInvalidationChannel> channels = new ConcurrentHashMap<>();
  /** Set once by {@link #closeAsync()} (guarded by {@code this}). */
  private CompletableFuture<Void> closing;

  private RedisBackend(RedisOptions options, ConnectionSource source, String target) {
    this.source = source;
    this.prefix = options.keyPrefix();
    this.description = "redis(" + target
        + (prefix.isEmpty() ? "" : ", prefix '" + prefix + "'") + ")";
    this.heartbeat = options.invalidationHeartbeat();
    this.connector = new RedisConnector(source, target, description, options);
    this.commands = new BackendCommands(connector, prefix);
    connector.start();
  }

  /**
   * A backend for the Redis at {@code uri}, with the defaults:
   * {@code redis://[user:password@]host:port[/db]}, {@code rediss://...} for TLS (the JDK's trusted
   * certificates), or
   * {@code redis-sentinel://host:26379,host2:26379/0#master} for Sentinel. Returns at once, even
   * when Redis is down or refuses the credentials (see {@link #health()}).
   *
   * @param uri the Redis or Sentinel URI
   * @return the backend, connecting in the background
   * @throws IllegalArgumentException if {@code uri} is not a Redis URI
   */
  public static RedisBackend connect(String uri) {
    return builder().uri(uri).build();
  }

  /**
   * A backend for the Redis Cluster reachable through any of {@code seedUris}, with the defaults.
   *
   * @param seedUris URIs of some of the cluster's nodes
   * @return the backend, connecting in the background
   */
  public static RedisBackend connectCluster(String... seedUris) {
    return builder().cluster(seedUris).build();
  }

  /**
   * A builder: choose exactly one of a URI, cluster seeds, a client or a connection.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  // ------------------------------------------------------------------------------------ Backend

  @Override
  public CompletionStage<byte[]> get(String key) {
    return commands.get(key);
  }

  @Override
  public CompletionStage<Map<String, byte[]>> getMany(Collection<String> keys) {
    return commands.getMany(keys);
  }

  @Override
  public CompletionStage<Void> set(String key, byte[] value, Duration ttl) {
    return commands.set(key, value, ttl);
  }

  @Override
  public CompletionStage<Void> setMany(Map<String, byte[]> entries, Duration ttl) {
    return commands.setMany(entries, ttl);
  }

  @Override
  public CompletionStage<Boolean> delete(String key) {
    return commands.delete(key);
  }

  /** {@code SET key token NX PX ttl}: true if the lease was free and is now held with {@code token}. */
  @Override
  public CompletionStage<Boolean> tryLease(String key, String token, Duration ttl) {
    return commands.tryLease(key, token, ttl);
  }

  /**
   * One {@code EVAL} of a compare-and-delete script: deletes the lease only if it holds
   * {@code token}.
   */
  @Override
  public CompletionStage<Boolean> releaseLease(String key, String token) {
    return commands.releaseLease(key, token);
  }

  /**
   * Without a key prefix: {@code FLUSHDB ASYNC}, which empties the whole database of the connection
   * (on a cluster, of every master), other applications' keys included. With a key prefix: deletes
   * only the keys that start with it ({@code SCAN MATCH} + {@code UNLINK}, in batches of 1,000);
   * keys written while it runs may survive.
   */
  @Override
  public CompletionStage<Void> clear() {
    return commands.clear();
  }

  @Override
  public String describe() {
    return description;
  }

  /**
   * The pub/sub channel of {@code namespace} ({@code <keyPrefix><namespace>:#inv}), opened on first
   * use and shared by every {@code TierCache} of this process that uses this backend with that
   * namespace; closed with the backend. Empty for a backend built on a given connection, or closed.
   */
  @Override
  public Optional<InvalidationChannel> invalidationChannel(String namespace) {
    Objects.requireNonNull(namespace, "namespace");
    synchronized (this) {
      if (closing != null || !source.supportsPubSub()) {
        return Optional.empty();
      }
      return Optional.of(channels.computeIfAbsent(namespace, ns ->
          new RedisInvalidationChannel(this, source, prefix + ns + ":#inv", heartbeat)));
    }
  }

  /** Whether the backend's own connection is made (for the channel: no pub/sub attempts before). */
  boolean isConnected() {
    return connector.isConnected();
  }

  /** The channel of {@code namespace} if one was opened (for tests). */
  RedisInvalidationChannel channelOf(String namespace) {
    return channels.get(namespace);
  }

  /** {@code PUBLISH} on the backend's connection, so it follows this process's writes in order. */
  CompletionStage<Void> publish(String channel, String message) {
    return commands.publish(channel, message);
  }

  // ------------------------------------------------------------------------- health and life

  /**
   * The state of the connection and the circuit breaker, with the reason when not {@code UP}.
   *
   * @return the current health
   */
  public RedisHealth health() {
    return connector.health();
  }

  /**
   * Waits until {@link #health()} is {@code UP}, for at most {@code timeout}: for an application that
   * prefers to wait for Redis at startup (it does not have to), and for tests.
   *
   * @param timeout the longest wait
   * @return whether it is up
   */
  public boolean awaitUp(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!health().isUp()) {
      if (connector.isClosed() || System.nanoTime() - deadline > 0) {
        return false;
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  /**
   * Closes the connection, and the client and threads the backend created, waiting up to a few
   * seconds for them to stop. Idempotent. Operations afterwards fail (through their stage).
   */
  @Override
  public void close() {
    try {
      closeAsync().get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("closing {}: {}", description, ThrottledLog.explain(e));
    }
  }

  /**
   * {@link #close()} without waiting.
   *
   * @return completes once the backend is closed
   */
  public synchronized CompletableFuture<Void> closeAsync() {
    if (closing != null) {
      return closing;
    }
    for (RedisInvalidationChannel channel : channels.values()) {
      channel.close();
    }
    closing = connector.close();
    return closing;
  }

  @Override
  public String toString() {
    return description;
  }

  // --------------------------------------------------------------------------------- builder

  /**
   * Configures a {@link RedisBackend}. Choose one source: {@link #uri}, {@link #cluster}, a
   * {@link #client} or {@link #clusterClient} the application already has (the backend opens its own
   * connection from it and leaves the client open on close), or a {@link #connection} (used as it is,
   * never closed by the backend). The timeouts, breaker and TLS options apply to what the backend
   * creates; with a given client or connection, its own options rule (if they do not time commands
   * out, the backend does, after {@link #commandTimeout}).
   */
  public static final class Builder {
    private final List<RedisURI> uris = new ArrayList<>();
    private boolean cluster;
    private RedisClient client;
    private RedisClusterClient clusterClient;
    private StatefulConnection<String, byte[]> connection;
    private ClientResources resources;
    private String keyPrefix = "";
    private Duration commandTimeout = Duration.ofMillis(200);
    private Duration bulkTimeout = Duration.ofSeconds(1);
    private Duration connectTimeout = Duration.ofSeconds(1);
    private Duration maxReconnectDelay = Duration.ofSeconds(1);
    private Duration invalidationHeartbeat = Duration.ofMillis(500);
    private int failureThreshold = 5;
    private Duration openDuration = Duration.ofSeconds(1);
    private SslOptions sslOptions;
    private Path trustedCertificates;
    private int sources;

    private Builder() {}

    /**
     * A standalone or Sentinel Redis by URI (see {@link RedisBackend#connect}).
     *
     * @param uri the Redis or Sentinel URI
     * @return this builder, for chaining
     */
    public Builder uri(String uri) {
      Objects.requireNonNull(uri, "uri");
      return uri(parse(uri));
    }

    /**
     * A standalone or Sentinel Redis by Lettuce URI.
     *
     * @param uri the Redis or Sentinel URI
     * @return this builder, for chaining
     */
    public Builder uri(RedisURI uri) {
      Objects.requireNonNull(uri, "uri");
      sources++;
      uris.add(uri);
      return this;
    }

    /**
     * A Redis Cluster, through any of these seed nodes (the rest of the topology is discovered).
     *
     * @param seedUris URIs of some of the cluster's nodes
     * @return this builder, for chaining
     */
    public Builder cluster(String... seedUris) {
      if (seedUris.length == 0) {
        throw new IllegalArgumentException("a cluster needs at least one seed URI");
      }
      sources++;
      cluster = true;
      for (String seed : seedUris) {
        uris.add(parse(Objects.requireNonNull(seed, "seed URI")));
      }
      return this;
    }

    /**
     * A Redis Cluster by Lettuce seed URIs.
     *
     * @param seedUris URIs of some of the cluster's nodes
     * @return this builder, for chaining
     */
    public Builder cluster(List<RedisURI> seedUris) {
      if (seedUris.isEmpty()) {
        throw new IllegalArgumentException("a cluster needs at least one seed URI");
      }
      sources++;
      cluster = true;
      uris.addAll(seedUris);
      return this;
    }

    /**
     * The application's client: the backend opens its own connection to {@code uri} with it.
     *
     * @param client the application's client; it stays the application's to shut down
     * @param uri where the backend's connection goes
     * @return this builder, for chaining
     */
    public Builder client(RedisClient client, String uri) {
      return client(client, parse(Objects.requireNonNull(uri, "uri")));
    }

    /**
     * The application's client: the backend opens its own connection to {@code uri} with it.
     *
     * @param client the application's client; it stays the application's to shut down
     * @param uri where the backend's connection goes
     * @return this builder, for chaining
     */
    public Builder client(RedisClient client, RedisURI uri) {
      this.client = Objects.requireNonNull(client, "client");
      sources++;
      uris.add(Objects.requireNonNull(uri, "uri"));
      return this;
    }

    /**
     * The application's cluster client: the backend opens its own cluster connection with it.
     *
     * @param client the application's client; it stays the application's to shut down
     * @return this builder, for chaining
     */
    public Builder clusterClient(RedisClusterClient client) {
      this.clusterClient = Objects.requireNonNull(client, "client");
      sources++;
      return this;
    }

    /**
     * A connection the application opened with {@link RedisBackend#CODEC}
     * ({@code StatefulRedisConnection} or {@code StatefulRedisClusterConnection}); it stays the
     * application's to close.
     *
     * @param connection the connection, with {@link RedisBackend#CODEC}
     * @return this builder, for chaining
     */
    public Builder connection(StatefulConnection<String, byte[]> connection) {
      this.connection = Objects.requireNonNull(connection, "connection");
      sources++;
      return this;
    }

    /**
     * Lettuce resources (event loops, timers) to share with other clients; by default the backend
     * creates its own and shuts them down on close.
     *
     * @param resources the shared Lettuce resources; they stay the application's to shut down
     * @return this builder, for chaining
     */
    public Builder clientResources(ClientResources resources) {
      this.resources = Objects.requireNonNull(resources, "resources");
      return this;
    }

    /**
     * Prepended to every key in Redis, e.g. {@code "billing:"}, on top of the {@code TierCache}
     * namespace; {@link RedisBackend#clear()} then deletes only keys with this prefix. Default none.
     *
     * @param keyPrefix the text prepended to every key
     * @return this builder, for chaining
     */
    public Builder keyPrefix(String keyPrefix) {
      this.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
      return this;
    }

    /**
     * How long a single-key read or delete ({@code GET}, {@code UNLINK} of one key) may take
     * before it fails as a timeout and counts against the circuit breaker; default 200 ms.
     *
     * @param commandTimeout the single-key command timeout; positive
     * @return this builder, for chaining
     */
    public Builder commandTimeout(Duration commandTimeout) {
      this.commandTimeout = positive(commandTimeout, "commandTimeout");
      return this;
    }

    /**
     * How long writes ({@code SET}, which callers never wait for) and multi-key or maintenance
     * commands ({@code MGET}, {@code MSET}, {@code SCAN}, {@code UNLINK} of a batch,
     * {@code FLUSHDB}, which on a cluster fan out to many per-slot commands) may take; default 1 s.
     * Callers never wait longer than the {@code TierCache}'s {@code l2Timeout}.
     *
     * @param bulkTimeout the timeout of writes and multi-key commands; positive
     * @return this builder, for chaining
     */
    public Builder bulkTimeout(Duration bulkTimeout) {
      this.bulkTimeout = positive(bulkTimeout, "bulkTimeout");
      return this;
    }

    /**
     * How often each process publishes a heartbeat on the invalidation channel; default 500 ms. A
     * process whose channel has been silent (no heartbeat, its own included) for up to twice this
     * flushes its L1s: after an invalidation returns in one process, the others serve the old value
     * for at most {@code 2 × heartbeat}, even when the message is lost. Shorter means a tighter
     * bound and more {@code PUBLISH} traffic (one per process per heartbeat); at least 10 ms.
     *
     * @param heartbeat the heartbeat period; at least 10 ms
     * @return this builder, for chaining
     */
    public Builder invalidationHeartbeat(Duration heartbeat) {
      positive(heartbeat, "invalidationHeartbeat");
      if (heartbeat.toMillis() < 10) {
        throw new IllegalArgumentException("invalidationHeartbeat must be at least 10 ms, got " + heartbeat);
      }
      this.invalidationHeartbeat = heartbeat;
      return this;
    }

    /**
     * How long one connection attempt (TCP, TLS, AUTH) may take; default 1 s.
     *
     * @param connectTimeout the connection attempt timeout; positive
     * @return this builder, for chaining
     */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = positive(connectTimeout, "connectTimeout");
      return this;
    }

    /**
     * The longest wait between two connection attempts (backoff from 50 ms); default 1 s.
     *
     * @param maxReconnectDelay the longest pause between attempts; positive
     * @return this builder, for chaining
     */
    public Builder maxReconnectDelay(Duration maxReconnectDelay) {
      this.maxReconnectDelay = positive(maxReconnectDelay, "maxReconnectDelay");
      return this;
    }

    /**
     * After {@code failureThreshold} consecutive failures, fail every command at once for
     * {@code openDuration}, then send one probe; defaults 5 and 1 s.
     *
     * @param failureThreshold consecutive failures that open the breaker; positive
     * @param openDuration how long the open breaker fails commands; positive
     * @return this builder, for chaining
     */
    public Builder circuitBreaker(int failureThreshold, Duration openDuration) {
      if (failureThreshold < 1) {
        throw new IllegalArgumentException("failureThreshold must be at least 1, got "
            + failureThreshold);
      }
      this.failureThreshold = failureThreshold;
      this.openDuration = positive(openDuration, "openDuration");
      return this;
    }

    /**
     * For {@code rediss://}: trust the certificates in this PEM file (e.g. a private CA).
     *
     * @param pemFile the PEM file of the trusted certificates
     * @return this builder, for chaining
     */
    public Builder trustedCertificates(Path pemFile) {
      Objects.requireNonNull(pemFile, "pemFile");
      if (!Files.isReadable(pemFile)) {
        throw new IllegalArgumentException("trusted certificates file is not readable: " + pemFile);
      }
      this.trustedCertificates = pemFile;
      return this;
    }

    /**
     * For {@code rediss://}: Lettuce's full TLS options (key stores, protocols, ciphers).
     *
     * @param sslOptions Lettuce's TLS options
     * @return this builder, for chaining
     */
    public Builder sslOptions(SslOptions sslOptions) {
      this.sslOptions = Objects.requireNonNull(sslOptions, "sslOptions");
      return this;
    }

    /**
     * Builds the backend and starts connecting in the background; never waits for Redis.
     *
     * @return the backend, connecting in the background
     * @throws IllegalStateException if not exactly one source was chosen
     */
    public RedisBackend build() {
      if (sources != 1) {
        throw new IllegalStateException(sources == 0
            ? "choose where Redis is: uri(...), cluster(...), client(...), clusterClient(...) or"
                + " connection(...)"
            : "choose only one of uri(...), cluster(...), client(...), clusterClient(...) and"
                + " connection(...)");
      }
      RedisOptions options = new RedisOptions(keyPrefix, commandTimeout, bulkTimeout,
          connectTimeout, maxReconnectDelay, invalidationHeartbeat, failureThreshold, openDuration,
          sslOptions, trustedCertificates);
      if (connection != null) {
        return new RedisBackend(options, new ConnectionSource.Given(connection), "given connection");
      }
      if (clusterClient != null) {
        return new RedisBackend(options, new ConnectionSource.Cluster(clusterClient, false, null),
            "cluster via given client");
      }
      List<RedisURI> tuned = uris.stream().map(options::tune).collect(Collectors.toList());
      String target = (cluster ? "cluster " : "") + tuned.stream().map(Builder::describe)
          .collect(Collectors.joining(", "));
      if (client != null) {
        return new RedisBackend(options,
            new ConnectionSource.Standalone(client, tuned.get(0), false, null), target);
      }
      ClientResources owned = resources == null ? options.ownResources() : null;
      ClientResources use = owned != null ? owned : resources;
      try {
        if (cluster) {
          RedisClusterClient c = RedisClusterClient.create(use, tuned);
          c.setOptions(options.clusterClientOptions());
          return new RedisBackend(options, new ConnectionSource.Cluster(c, true, owned), target);
        }
        RedisClient c = RedisClient.create(use);
        c.setOptions(options.clientOptions());
        return new RedisBackend(options,
            new ConnectionSource.Standalone(c, tuned.get(0), true, owned), target);
      } catch (RuntimeException e) {
        if (owned != null) {
          owned.shutdown(0, 1, TimeUnit.SECONDS);
        }
        throw e;
      }
    }

    private static String describe(RedisURI uri) {
      StringBuilder text = new StringBuilder();
      if (uri.getSentinelMasterId() != null && !uri.getSentinels().isEmpty()) {
        text.append("sentinel ").append(uri.getSentinelMasterId()).append(" via ")
            .append(uri.getSentinels().stream().map(s -> s.getHost() + ":" + s.getPort())
                .collect(Collectors.joining(",")));
      } else if (uri.getSocket() != null) {
        text.append(uri.getSocket());
      } else {
        text.append(uri.getHost()).append(':').append(uri.getPort());
      }
      if (uri.getDatabase() != 0) {
        text.append(" db ").append(uri.getDatabase());
      }
      if (uri.isSsl()) {
        text.append(" tls");
      }
      return text.toString();
    }

    private static RedisURI parse(String uri) {
      try {
        return RedisURI.create(uri);
      } catch (RuntimeException e) {
        // never echo the URI: it may hold a password
        throw new IllegalArgumentException("not a Redis URI (redis://, rediss://, redis-sentinel://): "
            + String.valueOf(e.getMessage()).replace(uri, "<uri>"), null);
      }
    }

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, got " + d);
      }
      return d;
    }
  }
}
