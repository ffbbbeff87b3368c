package io.tiercache.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.resource.ClientResources;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Where a {@link RedisBackend} gets its connection: a standalone or Sentinel {@link RedisClient}, a
 * {@link RedisClusterClient}, or a connection the application opened itself. Knows what it owns,
 * so {@link #shutdown()} never closes something the application gave.
 */
abstract class ConnectionSource {

  /** An open connection and its asynchronous commands (the standalone and cluster ones share a type). */
  record Link(StatefulConnection<String, byte[]> connection,
      RedisClusterAsyncCommands<String, byte[]> commands) {}

  /** One connection attempt. */
  abstract CompletableFuture<Link> connect();

  /**
   * Opens a pub/sub connection named {@code clientName} (UTF-8 channels and messages), for the
   * invalidation channel; only sources with a client can.
   */
  CompletableFuture<StatefulRedisPubSubConnection<String, String>> connectPubSub(String clientName) {
    return CompletableFuture.failedFuture(new UnsupportedOperationException("no client to open a"
        + " pub/sub connection with"));
  }

  /** Whether {@link #connectPubSub} can work. */
  boolean supportsPubSub() {
    return client() != null;
  }

  /** The client, or null for a given connection. */
  AbstractRedisClient client() {
    return null;
  }

  void addStateListener(RedisConnectionStateListener listener) {
    AbstractRedisClient c = client();
    if (c != null) {
      c.addListener(listener);
    }
  }

  void removeStateListener(RedisConnectionStateListener listener) {
    AbstractRedisClient c = client();
    if (c != null) {
      c.removeListener(listener);
    }
  }

  static CompletableFuture<StatefulRedisPubSubConnection<String, String>> named(
      CompletableFuture<? extends StatefulRedisPubSubConnection<String, String>> connecting,
      String clientName) {
    return connecting.thenCompose(c -> c.async().clientSetname(clientName).toCompletableFuture()
        .handle((ok, failure) -> {
          if (failure != null) {
            c.closeAsync();
            throw new java.util.concurrent.CompletionException(failure);
          }
          return c;
        }));
  }

  /** Whether a failed {@link #connect()} should be retried later (false for a given connection). */
  boolean retries() {
    return true;
  }

  /** Where to schedule connection retries. */
  abstract ScheduledExecutorService scheduler();

  /**
   * Where to continue work that may block inside Lettuce (its cluster SCAN opens node connections
   * synchronously): Lettuce's computation threads, never its I/O event loops.
   */
  abstract Executor worker();

  /** Whether Lettuce times out commands itself (otherwise the backend does). */
  abstract boolean lettuceTimesOutCommands();

  /** Whether the backend owns the connections it gets, and closes them on close. */
  boolean ownsConnection() {
    return true;
  }

  /** Releases what the backend created: clients and resources; never what it was given. */
  abstract CompletableFuture<Void> shutdown();

  static boolean timesOut(ClientOptions options) {
    return options != null && options.getTimeoutOptions() != null
        && options.getTimeoutOptions().isTimeoutCommands();
  }

  /**
   * A copy of {@code uri} that can be changed without touching the original. Lettuce's
   * {@code RedisURI.builder(RedisURI)} copies neither the sentinels nor the master id, so for a
   * {@code redis-sentinel://} URI its {@code build()} throws ("One of the following must be
   * provided Host, Socket or Sentinel"): they are copied here.
   */
  static RedisURI copyOf(RedisURI uri) {
    RedisURI.Builder builder = RedisURI.builder(uri);
    if (uri.getSentinelMasterId() != null) {
      builder.withSentinelMasterId(uri.getSentinelMasterId());
      uri.getSentinels().forEach(builder::withSentinel);
    }
    return builder.build();
  }

  static CompletableFuture<Void> shutdownResources(ClientResources resources) {
    if (resources == null) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    resources.shutdown(0, 2, TimeUnit.SECONDS).addListener(f -> done.complete(null));
    return done;
  }

  /**
   * A source that opens its connections with a Lettuce client: runs its retries and work on the
   * client's threads, and shuts the client and its resources down only if the backend made them.
   */
  abstract static sealed class ThroughClient<C extends AbstractRedisClient> extends ConnectionSource
      permits Standalone, Cluster {
    final C client;
    private final boolean ownsClient;
    private final ClientResources ownedResources;

    ThroughClient(C client, boolean ownsClient, ClientResources ownedResources) {
      this.client = client;
      this.ownsClient = ownsClient;
      this.ownedResources = ownedResources;
    }

    @Override
    final AbstractRedisClient client() {
      return client;
    }

    @Override
    final ScheduledExecutorService scheduler() {
      return client.getResources().eventExecutorGroup();
    }

    @Override
    final Executor worker() {
      return client.getResources().eventExecutorGroup();
    }

    @Override
    final boolean lettuceTimesOutCommands() {
      return timesOut(client.getOptions());
    }

    @Override
    final CompletableFuture<Void> shutdown() {
      if (!ownsClient) {
        return CompletableFuture.completedFuture(null);
      }
      return client.shutdownAsync(0, 2, TimeUnit.SECONDS)
          .thenCompose(ignored -> shutdownResources(ownedResources));
    }
  }

  /** Standalone or Sentinel (the URI decides), through a {@link RedisClient}. */
  static final class Standalone extends ThroughClient<RedisClient> {
    private final RedisURI uri;

    Standalone(RedisClient client, RedisURI uri, boolean ownsClient, ClientResources ownedResources) {
      super(client, ownsClient, ownedResources);
      this.uri = uri;
    }

    @Override
    CompletableFuture<Link> connect() {
      return client.connectAsync(RedisBackend.CODEC, uri).toCompletableFuture()
          .thenApply(c -> new Link(c, c.async()));
    }

    @Override
    CompletableFuture<StatefulRedisPubSubConnection<String, String>> connectPubSub(String clientName) {
      RedisURI named = copyOf(uri);
      named.setClientName(clientName);
      return client.connectPubSubAsync(StringCodec.UTF8, named).toCompletableFuture();
    }
  }

  /** Redis Cluster, through a {@link RedisClusterClient}. */
  static final class Cluster extends ThroughClient<RedisClusterClient> {
    Cluster(RedisClusterClient client, boolean ownsClient, ClientResources ownedResources) {
      super(client, ownsClient, ownedResources);
    }

    @Override
    CompletableFuture<Link> connect() {
      // Lettuce's asynchronous cluster connect needs the topology loaded first (its synchronous
      // connect loads it itself, blocking): load it without blocking, from the seeds.
      return client.refreshPartitionsAsync().toCompletableFuture()
          .thenCompose(loaded -> client.connectAsync(RedisBackend.CODEC))
          .thenApply(c -> new Link(c, c.async()));
    }

    @Override
    CompletableFuture<StatefulRedisPubSubConnection<String, String>> connectPubSub(String clientName) {
      return named(client.refreshPartitionsAsync().toCompletableFuture()
          .thenCompose(loaded -> client.connectPubSubAsync(StringCodec.UTF8)), clientName);
    }
  }

  /** A connection the application opened with {@link RedisBackend#CODEC} and still owns. */
  static final class Given extends ConnectionSource {
    private final Link link;

    Given(StatefulConnection<String, byte[]> connection) {
      RedisClusterAsyncCommands<String, byte[]> commands;
      if (connection instanceof StatefulRedisClusterConnection<String, byte[]> cluster) {
        commands = cluster.async();
      } else if (connection instanceof StatefulRedisConnection<String, byte[]> standalone) {
        commands = standalone.async();
      } else {
        throw new IllegalArgumentException("unsupported connection type "
            + connection.getClass().getName() + "; give a StatefulRedisConnection or a"
            + " StatefulRedisClusterConnection opened with RedisBackend.CODEC");
      }
      this.link = new Link(connection, commands);
    }

    @Override
    CompletableFuture<Link> connect() {
      return CompletableFuture.completedFuture(link);
    }

    @Override
    boolean retries() {
      return false;
    }

    @Override
    ScheduledExecutorService scheduler() {
      throw new UnsupportedOperationException("a given connection is never retried");
    }

    @Override
    Executor worker() {
      return link.connection().getResources().eventExecutorGroup();
    }

    @Override
    boolean lettuceTimesOutCommands() {
      return timesOut(link.connection().getOptions());
    }

    @Override
    boolean ownsConnection() {
      return false;
    }

    @Override
    CompletableFuture<Void> shutdown() {
      return CompletableFuture.completedFuture(null);
    }
  }
}
