package io.tiercache.cli;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.SslOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.tiercache.redis.RedisBackend;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * What the library's backend does not offer and operators need: {@code SCAN} and {@code PTTL} on
 * the keys of a namespace, and a raw subscription to its channel (for heartbeats). A connection of
 * its own, to the same servers with the same credentials and TLS trust, opened on first use.
 */
final class RedisTarget implements AutoCloseable {
  private final List<RedisURI> uris;
  private final boolean cluster;
  private final Path cacert;
  private final String keyPrefix;
  private AutoCloseable client;
  private StatefulConnection<String, byte[]> connection;

  RedisTarget(List<RedisURI> uris, boolean cluster, Path cacert, String keyPrefix) {
    this.uris = List.copyOf(uris);
    this.cluster = cluster;
    this.cacert = cacert;
    this.keyPrefix = keyPrefix;
  }

  /** {@code redis://user:secret@host} as {@code redis://user:***@host}, for messages. */
  static String withoutPassword(String uri) {
    return uri.replaceAll("(://[^:/@]*):[^@/]*@", "$1:***@");
  }

  String keyPrefix() {
    return keyPrefix;
  }

  @SuppressWarnings("unchecked")
  private synchronized RedisClusterCommands<String, byte[]> sync() {
    if (connection == null) {
      ClientOptions.Builder options = cluster ? ClusterClientOptions.builder() : ClientOptions.builder();
      if (cacert != null) {
        options.sslOptions(SslOptions.builder().trustManager(cacert.toFile()).build());
      }
      if (cluster) {
        RedisClusterClient c = RedisClusterClient.create(uris);
        c.setOptions(((ClusterClientOptions.Builder) options).build());
        client = c::shutdown;
        connection = c.connect(RedisBackend.CODEC);
      } else {
        RedisClient c = RedisClient.create();
        c.setOptions(options.build());
        client = c::shutdown;
        connection = c.connect(RedisBackend.CODEC, uris.get(0));
      }
    }
    return connection instanceof StatefulRedisClusterConnection<String, byte[]> c ? c.sync()
        : ((StatefulRedisConnection<String, byte[]>) connection).sync();
  }

  /** Milliseconds the key has left: -1 without expiry, -2 when there is no such key. */
  long pttl(String l2Key) {
    return sync().pttl(keyPrefix + l2Key);
  }

  /**
   * {@code SCAN MATCH <prefix><pattern> COUNT count}, page by page, until the scan ends or
   * {@code found} took {@code limit} keys; each key (without the backend's prefix) goes to
   * {@code found}, which says whether it took it,
   * and {@code progress} hears about how many keys were examined so far (pages × COUNT, which Redis
   * takes as a hint) after each page.
   *
   * @return whether the scan ended (false: stopped at the limit)
   */
  boolean scan(String pattern, int count, long limit, Predicate<String> found, Consumer<Long> progress) {
    RedisClusterCommands<String, byte[]> c = sync();
    ScanArgs args = ScanArgs.Builder.matches(globEscape(keyPrefix) + pattern).limit(count);
    long matched = 0;
    long pages = 0;
    ScanCursor cursor = ScanCursor.INITIAL;
    while (true) {
      KeyScanCursor<String> page = c.scan(cursor, args);
      for (String key : page.getKeys()) {
        if (found.test(key.substring(keyPrefix.length())) && ++matched >= limit) {
          return false;
        }
      }
      progress.accept(++pages * count);
      if (page.isFinished()) {
        return true;
      }
      cursor = page;
    }
  }

  /** {@code text} matching itself in a {@code SCAN MATCH} glob. */
  private static String globEscape(String text) {
    return text.replaceAll("([*?\\[\\]\\\\])", "\\\\$1");
  }

  /** Subscribes to {@code channel} (after the backend's prefix) on a connection of its own. */
  AutoCloseable subscribe(String channel, Consumer<String> messages) {
    // a cluster forwards every PUBLISH to every node: a subscription to one seed hears them all
    RedisClient c = RedisClient.create();
    if (cacert != null) {
      c.setOptions(ClientOptions.builder().sslOptions(SslOptions.builder().trustManager(cacert.toFile()).build())
          .build());
    }
    StatefulRedisPubSubConnection<String, String> pubsub = c.connectPubSub(StringCodec.UTF8, uris.get(0));
    pubsub.addListener(new RedisPubSubAdapter<>() {
      @Override
      public void message(String from, String message) {
        messages.accept(message);
      }
    });
    pubsub.sync().subscribe(keyPrefix + channel);
    return () -> {
      pubsub.close();
      c.shutdown();
    };
  }

  @Override
  public synchronized void close() {
    if (connection != null) {
      connection.close();
      try {
        client.close();
      } catch (Exception e) {
        // on the way out
      }
      connection = null;
    }
  }
}
