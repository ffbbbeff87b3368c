package io.tiercache.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.FlushMode;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.tiercache.backend.Backend;
import io.tiercache.backend.LeasingBackend;
import io.tiercache.coherence.InvalidationChannel;
import io.tiercache.redis.ConnectionSource.Link;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.net.ssl.SSLException;
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
  private static final Duration LOG_PERIOD = Duration.ofSeconds(60);
  private static final Duration BREAKER_LOG_PERIOD = Duration.ofSeconds(10);
  private static final Duration FIRST_RETRY = Duration.ofMillis(50);
  private static final int SCAN_BATCH = 1_000;
  /** Deletes KEYS[1] only if it holds ARGV[1]: a lease is released by its own token only. */
  static final String RELEASE_SCRIPT =
      "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

  private final ConnectionSource source;
  private final String prefix;
  private final boolean prefixed;
  private final String description;
  private final String target;
  private final CircuitBreaker breaker;
  /** When Lettuce does not time commands out (a given client or connection), the backend does. */
  private final long ownTimeoutNanos;
  private final long ownBulkTimeoutNanos;
  private final Duration maxRetryDelay;
  private final LogThrottle connectLog = new LogThrottle(LOG, LOG_PERIOD);
  private final BiConsumer<Object, Throwable> outcome = this::recordOutcome;
  private final Duration heartbeat;
  private final Map<String, RedisInvalidationChannel> channels = new ConcurrentHashMap<>();

  /** The connection once made; null before, and after close. */
  private volatile Link link;
  /** The connection attempt running now, or a failed stage between attempts. */
  private volatile CompletableFuture<Link> pending;
  /**
   * Operations issued while the connection attempt in {@link #pending} runs, in the order they
   * were issued; sent in that order, by one task, once it ends (guarded by {@code this}).
   */
  private final ArrayDeque<EarlyOperation<?>> early = new ArrayDeque<>();
  private volatile Throwable lastConnectFailure;
  private volatile boolean closed;
  private volatile CompletableFuture<Void> closing;
  /** Only touched by the sequential chain of connection attempts. */
  private int failedAttempts;
  /**
   * The problems logged at once since the last connection; any other attempt failing the same way
   * is throttled. A set, not the last problem: Lettuce sometimes fails one attempt against a server
   * that refuses the credentials with an unrelated error, and that flicker must not log the
   * credentials problem a second time.
   */
  private final EnumSet<Problem> problemsLogged = EnumSet.noneOf(Problem.class);

  private RedisBackend(Builder builder, ConnectionSource source, String target) {
    this.source = source;
    this.prefix = builder.keyPrefix;
    this.prefixed = !prefix.isEmpty();
    this.target = target;
    this.description = "redis(" + target + (prefixed ? ", prefix '" + prefix + "'" : "") + ")";
    this.breaker = new CircuitBreaker(builder.failureThreshold, builder.openDuration, target,
        new LogThrottle(LOG, BREAKER_LOG_PERIOD), new LogThrottle(LOG, BREAKER_LOG_PERIOD));
    boolean lettuceTimesOut = source.lettuceTimesOutCommands();
    this.ownTimeoutNanos = lettuceTimesOut ? 0 : builder.commandTimeout.toNanos();
    this.ownBulkTimeoutNanos = lettuceTimesOut ? 0
        : Math.max(ownTimeoutNanos, builder.bulkTimeout.toNanos());
    this.maxRetryDelay = builder.maxReconnectDelay;
    this.heartbeat = builder.invalidationHeartbeat;
    connectNow();
  }

  /**
   * A backend for the Redis at {@code uri}, with the defaults:
   * {@code redis://[user:password@]host:port[/db]}, {@code rediss://...} for TLS (the JDK's trusted
   * certificates), or
   * {@code redis-sentinel://host:26379,host2:26379/0#master} for Sentinel. Returns at once, even
   * when Redis is down or refuses the credentials (see {@link #health()}).
   *
   * @throws IllegalArgumentException if {@code uri} is not a Redis URI
   */
  public static RedisBackend connect(String uri) {
    return builder().uri(uri).build();
  }

  /** A backend for the Redis Cluster reachable through any of {@code seedUris}, with the defaults. */
  public static RedisBackend connectCluster(String... seedUris) {
    return builder().cluster(seedUris).build();
  }

  /** A builder: choose exactly one of a URI, cluster seeds, a client or a connection. */
  public static Builder builder() {
    return new Builder();
  }

  // ------------------------------------------------------------------------------------ Backend

  @Override
  public CompletionStage<byte[]> get(String key) {
    try {
      String k = key(key);
      return submit(c -> c.get(k));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public CompletionStage<Map<String, byte[]>> getMany(Collection<String> keys) {
    try {
      if (keys.isEmpty()) {
        return CompletableFuture.completedFuture(new HashMap<>());
      }
      String[] ks = new String[keys.size()];
      int i = 0;
      for (String key : keys) {
        ks[i++] = key(key);
      }
      return submitBulk(c -> c.mget(ks).thenApply(this::present));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private Map<String, byte[]> present(List<KeyValue<String, byte[]>> values) {
    Map<String, byte[]> found = new HashMap<>();
    for (KeyValue<String, byte[]> kv : values) {
      if (kv.hasValue()) {
        found.put(unprefixed(kv.getKey()), kv.getValue());
      }
    }
    return found;
  }

  @Override
  public CompletionStage<Void> set(String key, byte[] value, Duration ttl) {
    try {
      if (value == null || (ttl != null && ttl.isNegative())) {
        return invalid(value, ttl);
      }
      String k = key(key);
      byte[] copy = value.clone(); // the caller may reuse its array before the command is written
      long px = px(ttl);
      return submitBulk(c -> (px == 0 ? c.set(k, copy) : c.set(k, copy, SetArgs.Builder.px(px)))
          .thenApply(ok -> null));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public CompletionStage<Void> setMany(Map<String, byte[]> entries, Duration ttl) {
    try {
      if (ttl != null && ttl.isNegative()) {
        return invalid(new byte[0], ttl);
      }
      if (entries.isEmpty()) {
        return CompletableFuture.completedFuture(null);
      }
      Map<String, byte[]> copies = new LinkedHashMap<>();
      for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
        if (entry.getValue() == null) {
          return invalid(null, ttl);
        }
        copies.put(key(entry.getKey()), entry.getValue().clone());
      }
      long px = px(ttl);
      if (px == 0) {
        return submitBulk(c -> c.mset(copies).thenApply(ok -> null));
      }
      SetArgs args = SetArgs.Builder.px(px);
      return submitBulk(c -> {
        CompletableFuture<?>[] all = new CompletableFuture<?>[copies.size()];
        int i = 0;
        for (Map.Entry<String, byte[]> entry : copies.entrySet()) {
          all[i++] = c.set(entry.getKey(), entry.getValue(), args).toCompletableFuture();
        }
        return CompletableFuture.allOf(all);
      });
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public CompletionStage<Boolean> delete(String key) {
    try {
      String k = key(key);
      return submit(c -> c.unlink(k).thenApply(n -> n != null && n > 0));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** {@code SET key token NX PX ttl}: true if the lease was free and is now held with {@code token}. */
  @Override
  public CompletionStage<Boolean> tryLease(String key, String token, Duration ttl) {
    try {
      if (token == null || ttl == null || ttl.isNegative() || ttl.isZero()) {
        return CompletableFuture.failedFuture(new IllegalArgumentException(
            "tryLease needs a token and a positive ttl, got " + token + ", " + ttl));
      }
      String k = key(key);
      byte[] t = token.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      SetArgs args = SetArgs.Builder.nx().px(px(ttl));
      return submit(c -> c.set(k, t, args).thenApply("OK"::equals));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** One {@code EVAL} of {@link #RELEASE_SCRIPT}: deletes the lease only if it holds {@code token}. */
  @Override
  public CompletionStage<Boolean> releaseLease(String key, String token) {
    try {
      Objects.requireNonNull(token, "token");
      String k = key(key);
      byte[] t = token.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      return submit(c -> c.<Long>eval(RELEASE_SCRIPT, ScriptOutputType.INTEGER, new String[] {k}, t)
          .thenApply(n -> n != null && n > 0));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Without a key prefix: {@code FLUSHDB ASYNC}, which empties the whole database of the connection
   * (on a cluster, of every master), other applications' keys included. With a key prefix: deletes
   * only the keys that start with it ({@code SCAN MATCH} + {@code UNLINK}, in batches of 1,000);
   * keys written while it runs may survive.
   */
  @Override
  public CompletionStage<Void> clear() {
    if (!prefixed) {
      return submitBulk(c -> c.flushdb(FlushMode.ASYNC).thenApply(ok -> null));
    }
    ScanArgs match = ScanArgs.Builder.matches(globEscape(prefix) + "*").limit(SCAN_BATCH);
    return submitBulk(c -> scanAndUnlink(c, ScanCursor.INITIAL, match));
  }

  /**
   * One page of the scan, then the next one. Each page is requested from a Lettuce computation
   * thread, never from the I/O thread that completed the previous one: Lettuce's cluster SCAN opens
   * the next node's connection synchronously, which would deadlock an I/O thread.
   */
  private CompletableFuture<Void> scanAndUnlink(RedisClusterAsyncCommands<String, byte[]> c,
      ScanCursor cursor, ScanArgs match) {
    return c.scan(cursor, match).toCompletableFuture().thenComposeAsync(page -> {
      List<String> keys = page.getKeys();
      CompletableFuture<?> unlinked = keys.isEmpty()
          ? CompletableFuture.completedFuture(null)
          : c.unlink(keys.toArray(new String[0])).toCompletableFuture();
      return unlinked.thenComposeAsync(ignored -> page.isFinished()
          ? CompletableFuture.<Void>completedFuture(null)
          : scanAndUnlink(c, page, match), source.worker());
    }, source.worker());
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
      if (closed || !source.supportsPubSub()) {
        return Optional.empty();
      }
      return Optional.of(channels.computeIfAbsent(namespace, ns ->
          new RedisInvalidationChannel(this, source, prefix + ns + ":#inv", heartbeat)));
    }
  }

  /** Whether the backend's own connection is made (for the channel: no pub/sub attempts before). */
  boolean isConnected() {
    return link != null && !closed;
  }

  /** The channel of {@code namespace} if one was opened (for tests). */
  RedisInvalidationChannel channelOf(String namespace) {
    return channels.get(namespace);
  }

  /** {@code PUBLISH} on the backend's connection, so it follows this process's writes in order. */
  CompletionStage<Void> publish(String channel, String message) {
    try {
      byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
      return submit(c -> c.publish(channel, bytes).thenApply(receivers -> null));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  // ------------------------------------------------------------------------- health and life

  /** The state of the connection and the circuit breaker, with the reason when not {@code UP}. */
  public RedisHealth health() {
    if (closed) {
      return new RedisHealth(RedisHealth.Status.CLOSED, description + " is closed", null);
    }
    Link l = link;
    if (l == null) {
      Throwable failure = lastConnectFailure;
      if (failure == null) {
        return new RedisHealth(RedisHealth.Status.CONNECTING, "connecting to " + target, null);
      }
      Problem problem = Problem.of(failure);
      return new RedisHealth(problem == Problem.AUTH ? RedisHealth.Status.AUTH_FAILED
          : RedisHealth.Status.UNREACHABLE, problem.sentence(target, failure), failure);
    }
    if (!l.connection().isOpen()) {
      return new RedisHealth(RedisHealth.Status.DISCONNECTED, "the connection to " + target
          + " was lost; reconnecting in the background", breaker.lastFailure());
    }
    if (breaker.isOpen()) {
      return new RedisHealth(RedisHealth.Status.CIRCUIT_OPEN, "circuit open after "
          + breaker.consecutiveFailures() + " consecutive failures on " + target
          + "; probing periodically", breaker.lastFailure());
    }
    return new RedisHealth(RedisHealth.Status.UP, "connected to " + target, null);
  }

  /**
   * Waits until {@link #health()} is {@code UP}, for at most {@code timeout}: for an application that
   * prefers to wait for Redis at startup (it does not have to), and for tests.
   *
   * @return whether it is up
   */
  public boolean awaitUp(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!health().isUp()) {
      if (closed || System.nanoTime() - deadline > 0) {
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
      LOG.warn("closing {}: {}", description, explain(e));
    }
  }

  /** {@link #close()} without waiting. */
  public synchronized CompletableFuture<Void> closeAsync() {
    if (closing != null) {
      return closing;
    }
    for (RedisInvalidationChannel channel : channels.values()) {
      channel.close();
    }
    closed = true;
    Link l = link;
    link = null;
    RedisBackendException isClosed = new RedisBackendException(description + " is closed", null);
    pending = CompletableFuture.failedFuture(isClosed);
    sendEarly(null, isClosed);
    CompletableFuture<Void> closedConnection = l == null || !source.ownsConnection()
        ? CompletableFuture.completedFuture(null)
        : l.connection().closeAsync().exceptionally(e -> null);
    closing = closedConnection.thenCompose(ignored -> source.shutdown());
    return closing;
  }

  @Override
  public String toString() {
    return description;
  }

  // ------------------------------------------------------------------------------- internals

  private String key(String key) {
    Objects.requireNonNull(key, "key");
    return prefixed ? prefix.concat(key) : key;
  }

  private String unprefixed(String redisKey) {
    return prefixed ? redisKey.substring(prefix.length()) : redisKey;
  }

  private static long px(Duration ttl) {
    if (ttl == null || ttl.isZero()) {
      return 0;
    }
    long millis = ttl.toMillis();
    return millis == 0 ? 1 : millis; // a TTL below 1 ms still expires, as soon as Redis can
  }

  private static <T> CompletionStage<T> invalid(byte[] value, Duration ttl) {
    return CompletableFuture.failedFuture(new IllegalArgumentException(
        value == null ? "value must not be null" : "ttl must not be negative: " + ttl));
  }

  /** Sends {@code op} now, or when the first connection attempt completes; never throws. */
  private <T> CompletionStage<T> submit(
      Function<RedisClusterAsyncCommands<String, byte[]>, ? extends CompletionStage<T>> op) {
    return submit(false, op);
  }

  private <T> CompletionStage<T> submitBulk(
      Function<RedisClusterAsyncCommands<String, byte[]>, ? extends CompletionStage<T>> op) {
    return submit(true, op);
  }

  private <T> CompletionStage<T> submit(boolean bulk,
      Function<RedisClusterAsyncCommands<String, byte[]>, ? extends CompletionStage<T>> op) {
    try {
      Link l = link;
      if (l != null) {
        return send(l, bulk, op);
      }
      CompletableFuture<Link> attempt = pending;
      if (attempt.isDone() && attempt.isCompletedExceptionally()) {
        return notConnected(attempt);
      }
      EarlyOperation<T> waiting = new EarlyOperation<>(bulk, op);
      synchronized (this) {
        if (link == null && pending == attempt && !closed) {
          early.add(waiting); // sent in issue order once the attempt ends (see sendEarly)
          return waiting.result;
        }
      }
      return submit(bulk, op); // the attempt ended meanwhile: go by its outcome
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** An operation issued before the first connection was made, and the stage its caller holds. */
  private final class EarlyOperation<T> {
    final boolean bulk;
    final Function<RedisClusterAsyncCommands<String, byte[]>, ? extends CompletionStage<T>> op;
    final CompletableFuture<T> result = new CompletableFuture<>();

    EarlyOperation(boolean bulk,
        Function<RedisClusterAsyncCommands<String, byte[]>, ? extends CompletionStage<T>> op) {
      this.bulk = bulk;
      this.op = op;
    }

    /** Sends the operation on {@code l}, or fails it with {@code notConnected} when null. */
    void sendOn(Link l, RuntimeException notConnected) {
      CompletionStage<T> sent;
      try {
        sent = l != null ? send(l, bulk, op) : CompletableFuture.failedFuture(notConnected);
      } catch (RuntimeException e) {
        sent = CompletableFuture.failedFuture(e);
      }
      sent.whenComplete((value, failure) -> {
        if (failure == null) {
          result.complete(value);
        } else {
          result.completeExceptionally(failure);
        }
      });
    }
  }

  /**
   * Sends (on {@code l}) or fails (with {@code notConnected}) the operations that waited for the
   * attempt, in the order they were issued, in one task off the I/O thread that ended the attempt
   * (a set then a get issued before the connection must reach Redis in that order). Called under
   * {@code this}, after {@link #link} or {@link #pending} says how the attempt ended.
   */
  private void sendEarly(Link l, RuntimeException notConnected) {
    if (early.isEmpty()) {
      return;
    }
    List<EarlyOperation<?>> inOrder = new ArrayList<>(early);
    early.clear();
    Runnable sendAll = () -> inOrder.forEach(operation -> operation.sendOn(l, notConnected));
    try {
      source.worker().execute(sendAll);
    } catch (RejectedExecutionException shuttingDown) {
      sendAll.run();
    }
  }

  private <T> CompletionStage<T> send(Link l, boolean bulk,
      Function<RedisClusterAsyncCommands<String, byte[]>, ? extends CompletionStage<T>> op) {
    if (!breaker.allow()) {
      return breaker.rejection();
    }
    CompletionStage<T> stage;
    try {
      stage = op.apply(l.commands());
    } catch (RuntimeException e) {
      breaker.onFailure(e);
      return CompletableFuture.failedFuture(e);
    }
    if (ownTimeoutNanos > 0) {
      stage = stage.toCompletableFuture()
          .orTimeout(bulk ? ownBulkTimeoutNanos : ownTimeoutNanos, TimeUnit.NANOSECONDS);
    }
    stage.whenComplete(outcome);
    return stage;
  }

  private void recordOutcome(Object ignored, Throwable failure) {
    if (failure == null || !countsAgainstRedis(failure)) {
      breaker.onSuccess();
    } else {
      breaker.onFailure(unwrap(failure));
    }
  }

  /**
   * Whether a failure says Redis is unwell (timeouts, lost or refused connections, a server that is
   * loading, busy or without masters) rather than answering about one command or key
   * ({@code WRONGTYPE}, {@code OOM} for a write, {@code NOPERM}): only the former open the circuit.
   */
  static boolean countsAgainstRedis(Throwable failure) {
    Throwable cause = unwrap(failure);
    if (cause instanceof RedisCommandExecutionException) {
      String message = String.valueOf(cause.getMessage());
      return message.startsWith("LOADING") || message.startsWith("BUSY")
          || message.startsWith("MASTERDOWN") || message.startsWith("CLUSTERDOWN")
          || message.startsWith("TRYAGAIN") || message.startsWith("NOAUTH")
          || message.startsWith("WRONGPASS");
    }
    return true;
  }

  @SuppressWarnings("unchecked")
  private <T> CompletionStage<T> notConnected(CompletableFuture<Link> failed) {
    return (CompletionStage<T>) (CompletionStage<?>) failed;
  }

  private RedisBackendException notConnectedBecause(Throwable failure) {
    Throwable cause = unwrap(failure);
    if (cause instanceof RedisBackendException known) {
      return known;
    }
    return new RedisBackendException("not connected to " + target + ": "
        + Problem.of(cause).sentence(target, cause), cause);
  }

  private void connectNow() {
    if (closed) {
      return;
    }
    CompletableFuture<Link> attempt;
    try {
      attempt = source.connect();
    } catch (RuntimeException e) {
      attempt = CompletableFuture.failedFuture(e);
    }
    pending = attempt;
    attempt.whenComplete(this::attemptDone);
  }

  private void attemptDone(Link connected, Throwable failure) {
    if (failure == null) {
      synchronized (this) {
        if (closed) {
          if (source.ownsConnection()) {
            connected.connection().closeAsync();
          }
          return;
        }
        // logged before the link is published, so whoever sees the backend up also sees the line
        if (failedAttempts > 0) {
          LOG.info("tiercache: connected to Redis {} after {} failed attempts; L2 is back", target,
              failedAttempts);
        } else {
          LOG.info("tiercache: connected to Redis {}", target);
        }
        lastConnectFailure = null;
        failedAttempts = 0;
        problemsLogged.clear();
        link = connected;
        sendEarly(connected, null);
      }
      return;
    }
    if (closed) {
      return; // closing cut the attempt short: nothing to report or retry
    }
    Throwable cause = unwrap(failure);
    lastConnectFailure = cause;
    failedAttempts++;
    Problem problem = Problem.of(cause);
    Duration delay = retryDelay(failedAttempts);
    String message = "tiercache: " + problem.sentence(target, cause)
        + (source.retries() ? "; retrying in the background (at most " + maxRetryDelay.toMillis()
            + " ms apart)" : "");
    RedisBackendException notConnected = new RedisBackendException(message, cause);
    synchronized (this) {
      if (closed) {
        return;
      }
      pending = CompletableFuture.failedFuture(notConnected);
      sendEarly(null, notConnectedBecause(failure));
    }
    boolean firstOfItsKind = problemsLogged.add(problem);
    if (problem == Problem.UNREACHABLE) {
      if (firstOfItsKind) {
        connectLog.warnNow(message, null);
      } else {
        connectLog.warn(message, null);
      }
    } else if (firstOfItsKind) {
      connectLog.errorNow(message, null);
    } else {
      connectLog.error(message, null);
    }
    if (source.retries() && !closed) {
      try {
        source.scheduler().schedule(this::connectNow, delay.toMillis(), TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException shuttingDown) {
        // closed meanwhile
      }
    }
  }

  private Duration retryDelay(int attempt) {
    long millis = FIRST_RETRY.toMillis() << Math.min(attempt - 1, 20);
    return millis >= maxRetryDelay.toMillis() ? maxRetryDelay : Duration.ofMillis(millis);
  }

  static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** The messages of a failure and its causes, e.g. {@code Unable to connect to ...: Connection refused}. */
  static String explain(Throwable failure) {
    StringBuilder text = new StringBuilder();
    int depth = 0;
    for (Throwable t = unwrap(failure); t != null && depth < 6; t = t.getCause(), depth++) {
      String message = t.getMessage();
      String part = message == null || message.isBlank() ? t.getClass().getSimpleName() : message.strip();
      if (text.indexOf(part) < 0) {
        if (text.length() > 0) {
          text.append(": ");
        }
        text.append(part);
      }
    }
    return text.toString();
  }

  private static String globEscape(String text) {
    StringBuilder escaped = new StringBuilder(text.length() + 4);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\' || c == '^' || c == '-') {
        escaped.append('\\');
      }
      escaped.append(c);
    }
    return escaped.toString();
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

  /** What keeps a backend from connecting, as far as it can tell. */
  enum Problem {
    AUTH, TLS, UNREACHABLE;

    static Problem of(Throwable failure) {
      for (Throwable t = failure; t != null; t = t.getCause()) {
        if (t instanceof SSLException) {
          return TLS;
        }
        String message = t.getMessage();
        if (message != null && (message.startsWith("WRONGPASS") || message.startsWith("NOAUTH")
            || message.contains("invalid password") || message.contains("invalid username-password")
            || (message.startsWith("ERR AUTH") && message.contains("password")))) {
          return AUTH;
        }
      }
      return UNREACHABLE;
    }

    String sentence(String target, Throwable cause) {
      String why = explain(cause);
      return switch (this) {
        case AUTH -> "Redis at " + target + " refused the credentials of its URI (" + why
            + "): check the user name and password. Cached functions keep working without L2"
            + " (every call computes)";
        case TLS -> "the TLS handshake with Redis at " + target + " failed (" + why
            + "): check the rediss:// host and port and the trusted certificates. Cached functions"
            + " keep working without L2 (every call computes)";
        case UNREACHABLE -> "cannot connect to Redis at " + target + " (" + why
            + "). Cached functions keep working without L2 (every call computes) until it is"
            + " reachable";
      };
    }
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

    /** A standalone or Sentinel Redis by URI (see {@link RedisBackend#connect}). */
    public Builder uri(String uri) {
      Objects.requireNonNull(uri, "uri");
      return uri(parse(uri));
    }

    /** A standalone or Sentinel Redis by Lettuce URI. */
    public Builder uri(RedisURI uri) {
      Objects.requireNonNull(uri, "uri");
      sources++;
      uris.add(uri);
      return this;
    }

    /** A Redis Cluster, through any of these seed nodes (the rest of the topology is discovered). */
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

    /** A Redis Cluster by Lettuce seed URIs. */
    public Builder cluster(List<RedisURI> seedUris) {
      if (seedUris.isEmpty()) {
        throw new IllegalArgumentException("a cluster needs at least one seed URI");
      }
      sources++;
      cluster = true;
      uris.addAll(seedUris);
      return this;
    }

    /** The application's client: the backend opens its own connection to {@code uri} with it. */
    public Builder client(RedisClient client, String uri) {
      return client(client, parse(Objects.requireNonNull(uri, "uri")));
    }

    /** The application's client: the backend opens its own connection to {@code uri} with it. */
    public Builder client(RedisClient client, RedisURI uri) {
      this.client = Objects.requireNonNull(client, "client");
      sources++;
      uris.add(Objects.requireNonNull(uri, "uri"));
      return this;
    }

    /** The application's cluster client: the backend opens its own cluster connection with it. */
    public Builder clusterClient(RedisClusterClient client) {
      this.clusterClient = Objects.requireNonNull(client, "client");
      sources++;
      return this;
    }

    /**
     * A connection the application opened with {@link RedisBackend#CODEC}
     * ({@code StatefulRedisConnection} or {@code StatefulRedisClusterConnection}); it stays the
     * application's to close.
     */
    public Builder connection(StatefulConnection<String, byte[]> connection) {
      this.connection = Objects.requireNonNull(connection, "connection");
      sources++;
      return this;
    }

    /**
     * Lettuce resources (event loops, timers) to share with other clients; by default the backend
     * creates its own and shuts them down on close.
     */
    public Builder clientResources(ClientResources resources) {
      this.resources = Objects.requireNonNull(resources, "resources");
      return this;
    }

    /**
     * Prepended to every key in Redis, e.g. {@code "billing:"}, on top of the {@code TierCache}
     * namespace; {@link RedisBackend#clear()} then deletes only keys with this prefix. Default none.
     */
    public Builder keyPrefix(String keyPrefix) {
      this.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
      return this;
    }

    /**
     * How long a single-key read or delete ({@code GET}, {@code UNLINK} of one key) may take
     * before it fails as a timeout and counts against the circuit breaker; default 200 ms.
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
     */
    public Builder invalidationHeartbeat(Duration heartbeat) {
      positive(heartbeat, "invalidationHeartbeat");
      if (heartbeat.toMillis() < 10) {
        throw new IllegalArgumentException("invalidationHeartbeat must be at least 10 ms, got " + heartbeat);
      }
      this.invalidationHeartbeat = heartbeat;
      return this;
    }

    /** How long one connection attempt (TCP, TLS, AUTH) may take; default 1 s. */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = positive(connectTimeout, "connectTimeout");
      return this;
    }

    /** The longest wait between two connection attempts (backoff from 50 ms); default 1 s. */
    public Builder maxReconnectDelay(Duration maxReconnectDelay) {
      this.maxReconnectDelay = positive(maxReconnectDelay, "maxReconnectDelay");
      return this;
    }

    /**
     * After {@code failureThreshold} consecutive failures, fail every command at once for
     * {@code openDuration}, then send one probe; defaults 5 and 1 s.
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

    /** For {@code rediss://}: trust the certificates in this PEM file (e.g. a private CA). */
    public Builder trustedCertificates(Path pemFile) {
      Objects.requireNonNull(pemFile, "pemFile");
      if (!Files.isReadable(pemFile)) {
        throw new IllegalArgumentException("trusted certificates file is not readable: " + pemFile);
      }
      this.trustedCertificates = pemFile;
      return this;
    }

    /** For {@code rediss://}: Lettuce's full TLS options (key stores, protocols, ciphers). */
    public Builder sslOptions(SslOptions sslOptions) {
      this.sslOptions = Objects.requireNonNull(sslOptions, "sslOptions");
      return this;
    }

    /**
     * Builds the backend and starts connecting in the background; never waits for Redis.
     *
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
      if (connection != null) {
        return new RedisBackend(this, new ConnectionSource.Given(connection), "given connection");
      }
      if (clusterClient != null) {
        return new RedisBackend(this, new ConnectionSource.Cluster(clusterClient, false, null),
            "cluster via given client");
      }
      List<RedisURI> tuned = uris.stream().map(this::tune).collect(Collectors.toList());
      String target = (cluster ? "cluster " : "") + tuned.stream().map(Builder::describe)
          .collect(Collectors.joining(", "));
      if (client != null) {
        return new RedisBackend(this,
            new ConnectionSource.Standalone(client, tuned.get(0), false, null), target);
      }
      ClientResources owned = resources == null ? DefaultClientResources.builder()
          .reconnectDelay(Delay.exponential(Duration.ofMillis(20), maxReconnectDelay, 2,
              TimeUnit.MILLISECONDS))
          .build() : null;
      ClientResources use = owned != null ? owned : resources;
      try {
        if (cluster) {
          RedisClusterClient c = RedisClusterClient.create(use, tuned);
          c.setOptions(clusterOptions());
          return new RedisBackend(this, new ConnectionSource.Cluster(c, true, owned), target);
        }
        RedisClient c = RedisClient.create(use);
        c.setOptions(options());
        return new RedisBackend(this, new ConnectionSource.Standalone(c, tuned.get(0), true, owned),
            target);
      } catch (RuntimeException e) {
        if (owned != null) {
          owned.shutdown(0, 1, TimeUnit.SECONDS);
        }
        throw e;
      }
    }

    private ClientOptions options() {
      ClientOptions.Builder options = ClientOptions.builder();
      common(options);
      return options.build();
    }

    private ClusterClientOptions clusterOptions() {
      ClusterClientOptions.Builder options = ClusterClientOptions.builder()
          .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
              .enableAllAdaptiveRefreshTriggers()
              .enablePeriodicRefresh(Duration.ofSeconds(30))
              .build());
      common(options);
      return options.build();
    }

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

    /** A copy with the connection handshake bounded by the connect timeout (unless set in the URI). */
    private RedisURI tune(RedisURI uri) {
      RedisURI copy = ConnectionSource.copyOf(uri);
      if (RedisURI.DEFAULT_TIMEOUT_DURATION.equals(copy.getTimeout())) {
        copy.setTimeout(connectTimeout.compareTo(commandTimeout) > 0 ? connectTimeout : commandTimeout);
      }
      if (copy.getClientName() == null) {
        copy.setClientName("tiercache");
      }
      return copy;
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
