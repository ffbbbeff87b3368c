package io.tiercache.memcached;

import com.spotify.folsom.ExponentialBackoff;
import com.spotify.folsom.MemcacheClient;
import com.spotify.folsom.MemcacheClientBuilder;
import com.spotify.folsom.MemcacheStatus;
import com.spotify.folsom.RawMemcacheClient;
import com.spotify.folsom.guava.HostAndPort;
import com.spotify.folsom.ketama.AddressAndClient;
import com.spotify.folsom.reconnect.AbstractReconnectionListener;
import io.tiercache.backend.Backend;
import io.tiercache.backend.LeasingBackend;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * memcached as tiercache's L2: one or several servers, keys spread over them by consistent
 * hashing, on the asynchronous <a href="https://github.com/spotify/folsom">folsom</a> client.
 *
 * <pre>{@code
 * MemcachedBackend memcached = MemcachedBackend.builder()
 *     .servers("cache-1:11211", "cache-2:11211", "cache-3:11211")
 *     .maxItemSize(1 << 20)                      // the servers' -I (memcached's default: 1 MiB)
 *     .build();
 * TierCache cache = TierCache.builder().backend("default", memcached).build();
 * }</pre>
 *
 * <h2>Several servers</h2>
 * Each key lives on exactly one server, chosen by a ketama ring ({@link KetamaRing}): adding a
 * server to a pool of n moves about 1/(n+1) of the keys. The ring never changes while the backend
 * lives: a key of a server that is down is <em>not</em> sent to another server. Its operations fail
 * at once (the connection is known to be closed), the engine counts each failure and computes, and
 * the keys of the other servers are untouched. When the server is back the client reconnects by
 * itself (exponential backoff, {@link Builder#reconnectBackoff}) and its keys are served again.
 * Sending the keys elsewhere instead (spymemcached's "redistribute" failure mode, folsom's default)
 * would keep more hits during an outage, but a key invalidated while it lived on the stand-in
 * server would come back stale, from the old server, when that one returns from a network split.
 *
 * <h2>Failures and time</h2>
 * Nothing is thrown: every failure, including an invalid argument, is reported through the
 * returned stage, which the engine turns into a counted miss. Every stage completes within
 * {@link Builder#operationTimeout} (default 1 s) even if a server hangs; a connection whose oldest
 * request has waited {@link Builder#unresponsiveServerTimeout} (default 3 s) is closed and
 * reopened. {@link #getMany} is one multi-get per server involved, sent in parallel; it fails as
 * a whole if any of those servers fails, because the engine reads a value together with its tag
 * versions and can only trust them together. {@link #clear()} is {@code flush_all} on every server
 * and fails if one of them is down (the others are flushed).
 *
 * <h2>memcached's rules</h2>
 * <ul>
 *   <li>Keys: tiercache's keys are sent unchanged; any other key (longer than 250 characters, with
 *       spaces, control or non-ASCII characters) is stored under a SHA-256 digest, injectively
 *       ({@link WireKeys}).
 *   <li>Item size: a value that would make an item larger than {@link Builder#maxItemSize} is not
 *       sent; the write completes normally without storing anything (a cache may always decline to
 *       keep a value; the caller already has it), {@link #oversizedValuesSkipped()} counts it, and
 *       the first one is logged as a warning. A server that refuses a value as too large (its
 *       {@code -I} is smaller than configured) is treated the same way.
 *   <li>TTLs: memcached counts whole seconds and drops an entry given {@code n} seconds between
 *       {@code n - 1} and {@code n} seconds later, so a TTL is rounded up and one second added:
 *       an entry lives at least its TTL and at most 2 s longer (tiercache's own frame expires the
 *       value to the millisecond). A TTL of 30 days or more is sent as an absolute Unix time, as
 *       memcached requires; {@link Backend#NO_EXPIRY} is sent as 0 (kept until evicted).
 *   <li>Leases ({@link LeasingBackend}): tryLease is {@code add} (stores only if the key is
 *       absent) of the token, with the lease TTL rounded as above; releaseLease is {@code gets}
 *       and, if the key still holds the token, a delete guarded by the CAS value {@code gets}
 *       returned, so a lease that expired and was taken by another meanwhile stays theirs.
 * </ul>
 *
 * <p>Stages complete on the client's I/O threads unless {@link Builder#callbackExecutor} says
 * otherwise: code chained on them must not block. Thread-safe. {@link #close()} closes the
 * connections; operations after it fail.
 */
public final class MemcachedBackend implements LeasingBackend, AutoCloseable {
  /**
   * Bytes an item takes in memcached beyond its key and value (item header, CAS, flags, CRLF),
   * rounded up: a value is sent only if {@code key + value + ITEM_OVERHEAD <= maxItemSize}.
   */
  static final int ITEM_OVERHEAD = 96;

  private static final Logger LOG = LoggerFactory.getLogger(MemcachedBackend.class);

  /** The protocol spoken to the servers. */
  public enum Protocol {
    /** memcached's text protocol (the default): multi-get is one {@code get k1 k2 ...}. */
    ASCII,
    /** memcached's binary protocol (deprecated by memcached since 1.6, still served). */
    BINARY
  }

  private final MemcacheClient<byte[]> client;
  private final List<String> servers;
  private final List<BooleanSupplier> connected;
  private final KetamaRing<String> ring;
  private final Protocol protocol;
  private final int maxItemSize;
  private final long timeoutNanos;
  private final LongAdder oversized = new LongAdder();
  private final AtomicBoolean oversizedLogged = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();

  private MemcachedBackend(Builder b) {
    List<String> names = new ArrayList<>();
    for (ServerAddress address : b.servers) {
      names.add(address.toString());
    }
    this.servers = List.copyOf(names);
    this.ring = new KetamaRing<>(servers, servers);
    this.protocol = b.protocol;
    this.maxItemSize = b.maxItemSize;
    this.timeoutNanos = b.operationTimeout.toNanos();

    List<AddressAndClient> nodes = new ArrayList<>();
    MemcacheClientBuilder<byte[]> folsom = MemcacheClientBuilder.newByteArrayClient()
        .withRetry(false) // a retry would go to the same (down) server
        .withReplyExecutor(b.callbackExecutor)
        .withConnections(b.connectionsPerServer)
        .withMaxOutstandingRequests(b.maxOutstandingRequests)
        .withConnectionTimeoutMillis(b.unresponsiveServerTimeout.toMillis())
        .withMaxSetLength(b.maxItemSize)
        .withBackoff(
            new ExponentialBackoff(b.reconnectMin.toMillis(), b.reconnectMax.toMillis(), 2.0))
        .withReconnectionListener(new ConnectionLog())
        .withNodeLocator(clients -> {
          nodes.addAll(clients);
          return new StaticLocator(clients);
        });
    for (ServerAddress address : b.servers) {
      folsom.withAddress(address.host(), address.port());
    }
    this.client = b.protocol == Protocol.ASCII ? folsom.connectAscii() : folsom.connectBinary();

    List<BooleanSupplier> states = new ArrayList<>();
    if (nodes.isEmpty()) { // one server: folsom makes no ring
      RawMemcacheClient only = client.getRawMemcacheClient();
      states.add(only::isConnected);
    } else {
      Map<String, RawMemcacheClient> byName = new HashMap<>();
      for (AddressAndClient node : nodes) {
        byName.put(nameOf(node.getAddress()), node.getClient());
      }
      for (String name : servers) {
        RawMemcacheClient node = Objects.requireNonNull(byName.get(name), name);
        states.add(node::isConnected);
      }
    }
    this.connected = List.copyOf(states);
    awaitConnections(b.connectTimeout);
  }

  /**
   * A builder; at least one server must be given.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A backend on {@code servers} ({@code host:port} each) with the default settings.
   *
   * @param servers the servers, each {@code host:port}, {@code host} or {@code [ipv6]:port}
   * @return the connected backend
   */
  public static MemcachedBackend connect(String... servers) {
    return builder().servers(servers).build();
  }

  // ------------------------------------------------------------------------------ Backend

  @Override
  public CompletionStage<byte[]> get(String key) {
    try {
      return bounded(client.get(WireKeys.of(key)));
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
      List<String> originals = List.copyOf(new LinkedHashSet<>(keys));
      List<String> wire = new ArrayList<>(originals.size());
      for (String key : originals) {
        wire.add(WireKeys.of(key));
      }
      return bounded(client.get(wire).thenApply(values -> {
        Map<String, byte[]> found = new HashMap<>();
        for (int i = 0; i < originals.size(); i++) {
          byte[] value = values.get(i);
          if (value != null) {
            found.put(originals.get(i), value);
          }
        }
        return found;
      }));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public CompletionStage<Void> set(String key, byte[] value, Duration ttl) {
    try {
      return bounded(store(key, value, expirySeconds(ttl)));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public CompletionStage<Void> setMany(Map<String, byte[]> entries, Duration ttl) {
    try {
      int seconds = expirySeconds(ttl);
      List<CompletableFuture<Void>> writes = new ArrayList<>(entries.size());
      for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
        writes.add(store(entry.getKey(), entry.getValue(), seconds));
      }
      return bounded(CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public CompletionStage<Boolean> delete(String key) {
    try {
      String wireKey = WireKeys.of(key);
      return bounded(client.delete(wireKey).thenApply(status -> switch (status) {
        case OK -> Boolean.TRUE;
        case KEY_NOT_FOUND -> Boolean.FALSE;
        default -> throw refused("delete", wireKey, status);
      }));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** {@code add} of the token: true if the key was free (absent or expired) and now holds it. */
  @Override
  public CompletionStage<Boolean> tryLease(String key, String token, Duration ttl) {
    try {
      if (token == null || ttl == null || ttl.isNegative() || ttl.isZero()) {
        throw new IllegalArgumentException("tryLease needs a token and a positive ttl, got " + token
            + ", " + ttl);
      }
      String wireKey = WireKeys.of(key);
      byte[] value = token.getBytes(StandardCharsets.UTF_8);
      return bounded(client.add(wireKey, value, expirySeconds(ttl)).thenApply(status -> switch (status) {
        case OK -> Boolean.TRUE;
        case ITEM_NOT_STORED, KEY_EXISTS -> Boolean.FALSE; // ASCII says NOT_STORED, binary EXISTS
        default -> throw refused("add", wireKey, status);
      }));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * {@code gets}, then, if the key holds {@code token}, a delete guarded by its CAS value: true if
   * that delete ended the lease.
   */
  @Override
  public CompletionStage<Boolean> releaseLease(String key, String token) {
    try {
      Objects.requireNonNull(token, "token");
      String wireKey = WireKeys.of(key);
      byte[] expected = token.getBytes(StandardCharsets.UTF_8);
      return bounded(client.casGet(wireKey).thenCompose(held -> {
        if (held == null || !Arrays.equals(held.getValue(), expected)) {
          return CompletableFuture.completedFuture(Boolean.FALSE);
        }
        return client.delete(wireKey, held.getCas()).thenApply(status -> switch (status) {
          case OK -> Boolean.TRUE;
          case KEY_EXISTS, KEY_NOT_FOUND -> Boolean.FALSE; // changed or gone since the gets
          default -> throw refused("delete (cas)", wireKey, status);
        });
      }));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** {@code flush_all} on every server; fails if any server is down or refuses. */
  @Override
  public CompletionStage<Void> clear() {
    try {
      return bounded(client.flushAll(0).thenApply(status -> {
        if (status != MemcacheStatus.OK) {
          throw refused("flush_all", "(all servers)", status);
        }
        return null;
      }));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * The protocol and servers, each marked {@code (down)} while not connected, e.g.
   * {@code memcached(ascii)[10.0.0.1:11211, 10.0.0.2:11211 (down)]}.
   */
  @Override
  public String describe() {
    StringBuilder sb = new StringBuilder("memcached(")
        .append(protocol == Protocol.ASCII ? "ascii" : "binary").append(")[");
    for (int i = 0; i < servers.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(servers.get(i));
      if (!connected.get(i).getAsBoolean()) {
        sb.append(" (down)");
      }
    }
    return sb.append(closed.get() ? "] (closed)" : "]").toString();
  }

  // ------------------------------------------------------------------------------ more

  /**
   * The servers, as {@code host:port}, in the order given.
   *
   * @return the configured servers
   */
  public List<String> servers() {
    return servers;
  }

  /**
   * The servers connected right now, in the order given.
   *
   * @return the connected servers
   */
  public List<String> connectedServers() {
    List<String> up = new ArrayList<>();
    for (int i = 0; i < servers.size(); i++) {
      if (connected.get(i).getAsBoolean()) {
        up.add(servers.get(i));
      }
    }
    return Collections.unmodifiableList(up);
  }

  /**
   * The server ({@code host:port}) that holds {@code key}: the same for every process.
   *
   * @param key the cache key, as the {@code TierCache} writes it
   * @return the owning server's {@code host:port}
   */
  public String serverOf(String key) {
    return ring.ownerOf(WireKeys.bytes(WireKeys.of(key)));
  }

  /**
   * The key memcached stores {@code key} under: itself, or a digest (see the class comment).
   *
   * @param key the cache key, as the {@code TierCache} writes it
   * @return the key as sent to memcached
   */
  public static String memcachedKey(String key) {
    return WireKeys.of(Objects.requireNonNull(key, "key"));
  }

  /**
   * The largest item size configured, in bytes ({@link Builder#maxItemSize}).
   *
   * @return the item size limit, in bytes
   */
  public int maxItemSize() {
    return maxItemSize;
  }

  /**
   * How many values were not stored because they were over the item size limit.
   *
   * @return the number of values skipped for their size
   */
  public long oversizedValuesSkipped() {
    return oversized.sum();
  }

  /** Closes the connections. Idempotent; operations afterwards fail. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      client.shutdown();
    }
  }

  @Override
  public String toString() {
    return describe();
  }

  // ------------------------------------------------------------------------------ internals

  private CompletableFuture<Void> store(String key, byte[] value, int seconds) {
    if (value == null) {
      throw new IllegalArgumentException("value must not be null (key " + key + ")");
    }
    String wireKey = WireKeys.of(key);
    if (value.length > maxItemSize - ITEM_OVERHEAD - wireKey.length()) {
      skipOversized(key, value.length);
      return CompletableFuture.completedFuture(null);
    }
    // Copied: folsom encodes the array later, on its I/O thread.
    return client.set(wireKey, value.clone(), seconds).toCompletableFuture().thenApply(status -> {
      switch (status) {
        case OK:
          return null;
        case VALUE_TOO_LARGE: // the server's -I is smaller than maxItemSize
          skipOversized(key, value.length);
          return null;
        default:
          throw refused("set", wireKey, status);
      }
    });
  }

  private void skipOversized(String key, int length) {
    oversized.increment();
    if (oversizedLogged.compareAndSet(false, true)) {
      LOG.warn("{}: not caching the value under {}: {} bytes make an item over the limit of {} "
          + "bytes (key and {} bytes of item overhead included). Oversized values are skipped "
          + "and counted in oversizedValuesSkipped(); this is logged once.", describe(), key,
          length, maxItemSize, ITEM_OVERHEAD);
    } else if (LOG.isDebugEnabled()) {
      LOG.debug("{}: not caching {} bytes under {}: over the item size limit", describe(), length,
          key);
    }
  }

  private <T> CompletableFuture<T> bounded(CompletionStage<T> stage) {
    return stage.toCompletableFuture().orTimeout(timeoutNanos, TimeUnit.NANOSECONDS);
  }

  private MemcachedBackendException refused(String operation, String wireKey,
      MemcacheStatus status) {
    return new MemcachedBackendException(operation + " of " + wireKey + " refused by " + describe()
        + ": " + status);
  }

  /**
   * The value memcached is sent for {@code ttl}: 0 for no expiry, otherwise the TTL in seconds,
   * rounded up, plus one (memcached may drop an entry up to a second early). folsom sends 30 days
   * or more as an absolute Unix time.
   *
   * @throws IllegalArgumentException if {@code ttl} is negative
   */
  static int expirySeconds(Duration ttl) {
    if (ttl == null || ttl.isZero()) {
      return 0;
    }
    if (ttl.isNegative()) {
      throw new IllegalArgumentException("ttl must not be negative: " + ttl);
    }
    long seconds = ttl.getSeconds() + (ttl.getNano() > 0 ? 1 : 0) + 1;
    return (int) Math.min(seconds, Integer.MAX_VALUE);
  }

  private void awaitConnections(Duration wait) {
    try {
      client.awaitFullyConnected(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      List<String> down = new ArrayList<>(servers);
      down.removeAll(connectedServers());
      LOG.warn("memcached: no connection to {} within {} ms; their keys miss until they are "
          + "reachable, and they join by themselves", down, wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String nameOf(HostAndPort address) {
    return new ServerAddress(address.getHostText(), address.getPort()).toString();
  }

  /** Routes by the static ring, connected or not (see the class comment). */
  private static final class StaticLocator implements com.spotify.folsom.ketama.NodeLocator {
    private final KetamaRing<RawMemcacheClient> ring;

    StaticLocator(Collection<AddressAndClient> clients) {
      List<String> names = new ArrayList<>();
      List<RawMemcacheClient> nodes = new ArrayList<>();
      for (AddressAndClient client : clients) {
        names.add(nameOf(client.getAddress()));
        nodes.add(client.getClient());
      }
      this.ring = new KetamaRing<>(names, nodes);
    }

    @Override
    public RawMemcacheClient findClient(byte[] key) {
      return ring.ownerOf(key);
    }
  }

  /** Logs a lost connection once and its return, not every reconnection attempt. */
  private final class ConnectionLog extends AbstractReconnectionListener {
    @Override
    public void connectionLost(Throwable cause, HostAndPort address) {
      if (closed.get()) {
        return; // closed by us
      }
      LOG.warn("memcached: lost the connection to {}; its keys miss until it is back", address);
    }

    @Override
    public void reconnectionSuccessful(HostAndPort address, int attempt,
        boolean willStayConnected) {
      if (attempt > 0) {
        LOG.info("memcached: connected to {} again after {} attempts", address, attempt);
      }
    }

    @Override
    public void reconnectionQueuedFromError(Throwable cause, HostAndPort address,
        long backOffMillis, int attempt) {
      if (attempt == 1) {
        LOG.warn("memcached: cannot connect to {} ({}); retrying with backoff", address,
            cause == null ? "unknown cause" : cause.toString());
      } else {
        LOG.debug("memcached: connection attempt {} to {} failed; next in {} ms", attempt, address,
            backOffMillis);
      }
    }
  }

  /** Configures a {@link MemcachedBackend}. */
  public static final class Builder {
    private final List<ServerAddress> servers = new ArrayList<>();
    private Duration operationTimeout = Duration.ofSeconds(1);
    private Duration connectTimeout = Duration.ofSeconds(1);
    private Duration unresponsiveServerTimeout = Duration.ofSeconds(3);
    private Duration reconnectMin = Duration.ofMillis(10);
    private Duration reconnectMax = Duration.ofSeconds(2);
    private int maxItemSize = 1 << 20;
    private int connectionsPerServer = 1;
    private int maxOutstandingRequests = 5_000;
    private Protocol protocol = Protocol.ASCII;
    private Executor callbackExecutor;

    private Builder() {}

    /**
     * The servers, each {@code host:port}, {@code host} (port 11211) or {@code [ipv6]:port};
     * replaces any given before. Every process sharing the cache should list the same servers
     * (their order does not matter).
     *
     * @param servers the servers, each {@code host:port}, {@code host} or {@code [ipv6]:port}
     * @return this builder, for chaining
     */
    public Builder servers(String... servers) {
      return servers(Arrays.asList(Objects.requireNonNull(servers, "servers")));
    }

    /**
     * As {@link #servers(String...)}.
     *
     * @param servers the servers, each {@code host:port}, {@code host} or {@code [ipv6]:port}
     * @return this builder, for chaining
     */
    public Builder servers(List<String> servers) {
      Objects.requireNonNull(servers, "servers");
      Map<String, ServerAddress> parsed = new LinkedHashMap<>();
      for (String server : servers) {
        ServerAddress address = ServerAddress.parse(server);
        if (parsed.put(address.toString(), address) != null) {
          throw new IllegalArgumentException("memcached server listed twice: " + address);
        }
      }
      this.servers.clear();
      this.servers.addAll(parsed.values());
      return this;
    }

    /**
     * The longest any operation's stage takes before it fails with a timeout; default 1 s.
     *
     * @param timeout the timeout; positive
     * @return this builder, for chaining
     */
    public Builder operationTimeout(Duration timeout) {
      this.operationTimeout = positive(timeout, "operationTimeout");
      return this;
    }

    /**
     * How long {@link #build()} waits for every server to connect; default 1 s. A server not
     * reachable by then does not fail the build: its keys miss until it is, and it joins then.
     *
     * @param timeout the timeout; positive
     * @return this builder, for chaining
     */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout, "connectTimeout");
      return this;
    }

    /**
     * A connection whose oldest request has waited this long is deemed dead, closed and reopened
     * (a hung server); default 3 s.
     *
     * @param timeout the timeout; positive
     * @return this builder, for chaining
     */
    public Builder unresponsiveServerTimeout(Duration timeout) {
      this.unresponsiveServerTimeout = positive(timeout, "unresponsiveServerTimeout");
      return this;
    }

    /**
     * The pause before reconnecting to a server that went away: {@code min}, doubling with each
     * failed attempt up to {@code max}; default 10 ms to 2 s.
     *
     * @param min the first pause; positive
     * @param max the longest pause; at least {@code min}
     * @return this builder, for chaining
     */
    public Builder reconnectBackoff(Duration min, Duration max) {
      positive(min, "reconnectBackoff min");
      positive(max, "reconnectBackoff max");
      if (max.compareTo(min) < 0) {
        throw new IllegalArgumentException("reconnectBackoff max " + max + " is below min " + min);
      }
      this.reconnectMin = min;
      this.reconnectMax = max;
      return this;
    }

    /**
     * The servers' largest item, in bytes: memcached's {@code -I}, default 1 MiB as memcached's.
     * A value that would make a larger item (with its key and 96 bytes of
     * overhead) is not stored.
     *
     * @param bytes the item size limit, in bytes
     * @return this builder, for chaining
     */
    public Builder maxItemSize(int bytes) {
      if (bytes < 1024) {
        throw new IllegalArgumentException("maxItemSize must be at least 1024 bytes (memcached's "
            + "smallest -I), got " + bytes);
      }
      this.maxItemSize = bytes;
      return this;
    }

    /**
     * Connections to each server, used in turn; default 1, which suits most loads. With more than
     * one, two commands on one key may overtake each other, which weakens the guarantee that a
     * write started before an invalidation is removed by it (see {@code Backend}): keep 1 where
     * invalidations matter.
     *
     * @param connections the connections per server; positive
     * @return this builder, for chaining
     */
    public Builder connectionsPerServer(int connections) {
      if (connections < 1) {
        throw new IllegalArgumentException("connectionsPerServer must be at least 1, got "
            + connections);
      }
      this.connectionsPerServer = connections;
      return this;
    }

    /**
     * Requests in flight per connection beyond which new ones fail at once (the server is not
     * keeping up); default 5,000.
     *
     * @param requests the limit per connection; positive
     * @return this builder, for chaining
     */
    public Builder maxOutstandingRequests(int requests) {
      if (requests < 1) {
        throw new IllegalArgumentException("maxOutstandingRequests must be at least 1, got "
            + requests);
      }
      this.maxOutstandingRequests = requests;
      return this;
    }

    /**
     * The protocol; default {@link Protocol#ASCII}. Keys are stored the same under both.
     *
     * @param protocol ASCII or binary
     * @return this builder, for chaining
     */
    public Builder protocol(Protocol protocol) {
      this.protocol = Objects.requireNonNull(protocol, "protocol");
      return this;
    }

    /**
     * Where the stages complete; by default on the client's I/O threads (fastest; code chained on
     * the stages must then not block).
     *
     * @param executor the executor that completes the stages
     * @return this builder, for chaining
     */
    public Builder callbackExecutor(Executor executor) {
      this.callbackExecutor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Connects (waiting up to {@link #connectTimeout}) and returns the backend.
     *
     * @return the connected backend
     * @throws IllegalStateException if no server was given
     */
    public MemcachedBackend build() {
      if (servers.isEmpty()) {
        throw new IllegalStateException(
            "no memcached servers given: call servers(\"host:port\", ...)");
      }
      return new MemcachedBackend(this);
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
