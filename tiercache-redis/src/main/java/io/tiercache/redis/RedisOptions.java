package io.tiercache.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The settings of one {@link RedisBackend}, as {@link RedisBackend.Builder} checked them, and the
 * Lettuce options, URIs and resources they make for the client the backend creates (with a client
 * or connection the application gives, its own options rule).
 *
 * @param keyPrefix prepended to every key; empty for none
 * @param commandTimeout the timeout of single-key reads and deletes
 * @param bulkTimeout the timeout of writes, batches and maintenance commands
 * @param connectTimeout the timeout of one connection attempt
 * @param maxReconnectDelay the longest wait between two connection attempts
 * @param invalidationHeartbeat the heartbeat period of the invalidation channels
 * @param failureThreshold the consecutive failures that open the circuit breaker
 * @param openDuration how long the breaker stays open before a probe
 * @param sslOptions Lettuce's TLS options, or null
 * @param trustedCertificates a PEM file of trusted certificates for TLS, or null
 */
record RedisOptions(String keyPrefix, Duration commandTimeout, Duration bulkTimeout,
    Duration connectTimeout, Duration maxReconnectDelay, Duration invalidationHeartbeat,
    int failureThreshold, Duration openDuration, SslOptions sslOptions, Path trustedCertificates) {

  /** Event loops and timers for a backend that was given none, reconnecting with backoff. */
  ClientResources ownResources() {
    return DefaultClientResources.builder()
        .reconnectDelay(Delay.exponential(Duration.ofMillis(20), maxReconnectDelay, 2,
            TimeUnit.MILLISECONDS))
        .build();
  }

  /** The options of a standalone or Sentinel client the backend creates. */
  ClientOptions clientOptions() {
    ClientOptions.Builder options = ClientOptions.builder();
    common(options);
    return options.build();
  }

  /** The options of a cluster client the backend creates: the common ones, and topology refresh. */
  ClusterClientOptions clusterClientOptions() {
    ClusterClientOptions.Builder options = ClusterClientOptions.builder()
        .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
            .enableAllAdaptiveRefreshTriggers()
            .enablePeriodicRefresh(Duration.ofSeconds(30))
            .build());
    common(options);
    return options.build();
  }

  /**
   * Reconnects by itself, rejects commands while disconnected (instead of queueing them), times
   * commands out per kind (see {@link PerCommandTimeout}), bounds the connect, and adds TLS.
   */
  private void common(ClientOptions.Builder options) {
    options.autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .timeoutOptions(TimeoutOptions.builder()
            .timeoutCommands(true)
            .timeoutSource(new PerCommandTimeout(commandTimeout, bulkTimeout))
            .build())
        .socketOptions(SocketOptions.builder().connectTimeout(connectTimeout).keepAlive(true).build());
    SslOptions ssl = sslOptions;
    if (ssl == null && trustedCertificates != null) {
      ssl = SslOptions.builder().jdkSslProvider().trustManager(trustedCertificates.toFile()).build();
    }
    if (ssl != null) {
      options.sslOptions(ssl);
    }
  }

  /**
   * A copy of {@code uri} with the connection handshake bounded by the connect timeout (unless set
   * in the URI) and the client name {@code tiercache} (unless set).
   */
  RedisURI tune(RedisURI uri) {
    RedisURI copy = ConnectionSource.copyOf(uri);
    if (RedisURI.DEFAULT_TIMEOUT_DURATION.equals(copy.getTimeout())) {
      copy.setTimeout(connectTimeout.compareTo(commandTimeout) > 0 ? connectTimeout : commandTimeout);
    }
    if (copy.getClientName() == null) {
      copy.setClientName("tiercache");
    }
    return copy;
  }

  /**
   * Single-key reads and deletes (what callers wait for) time out after the command timeout; writes,
   * batches and maintenance commands (which on a cluster fan out to many per-slot commands and
   * perhaps new node connections) after the bulk timeout.
   */
  static final class PerCommandTimeout extends TimeoutOptions.TimeoutSource {
    private final long singleNanos;
    private final long bulkNanos;

    PerCommandTimeout(Duration single, Duration bulk) {
      this.singleNanos = single.toNanos();
      this.bulkNanos = Math.max(singleNanos, bulk.toNanos());
    }

    @Override
    public long getTimeout(RedisCommand<?, ?, ?> command) {
      ProtocolKeyword type = command.getType();
      boolean single = type == CommandType.GET
          || (type == CommandType.UNLINK && command.getArgs() != null && command.getArgs().count() == 1);
      return single ? singleNanos : bulkNanos;
    }

    @Override
    public TimeUnit getTimeUnit() {
      return TimeUnit.NANOSECONDS;
    }
  }
}
