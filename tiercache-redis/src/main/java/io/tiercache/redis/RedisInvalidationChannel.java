package io.tiercache.redis;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.tiercache.coherence.InvalidationChannel;
import io.tiercache.coherence.InvalidationMessage;
import io.tiercache.internal.log.ThrottledLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link RedisBackend}'s invalidation channel for one namespace: Redis pub/sub on a connection
 * of its own ({@code SUBSCRIBE}), messages sent with {@code PUBLISH} on the backend's connection.
 *
 * <p><b>Knowing that nothing was missed.</b> Redis pub/sub is fire-and-forget: a subscriber that is
 * disconnected, or whose output buffer overflows (Redis then closes its connection), misses
 * messages without being told. So every message carries its sender's id and a sequence number, and
 * every channel publishes a heartbeat every {@code heartbeat} (500 ms by default), which it also
 * receives itself. The channel reports a {@linkplain InvalidationChannel.Listener#onLoss loss} when
 * the subscription's connection drops, when a sender's sequence skips a number (its own included:
 * a message of this process that did not come back was missed by others too), when a known sender
 * falls silent for longer than the silence limit (without having said goodbye), and when nothing at
 * all arrives for that long (a hung server or a dead subscription). It delivers again, and says so
 * with {@link InvalidationChannel.Listener#onRestored}, once one of its own heartbeats sent after
 * the loss came back. The silence limit is {@code 1.6 × heartbeat} and the watchdog looks every
 * {@code heartbeat / 5}, so a loss is reported at most {@code 1.8 × heartbeat} after the last
 * message that arrived, leaving {@code 0.2 × heartbeat} for scheduling delays within the
 * {@link #stalenessBound()} of {@code 2 × heartbeat}.
 *
 * <p>Wire format, one line of ASCII: {@code 1 <sender> <seq> <kind> [item ...]} where kind is
 * {@code H} (heartbeat), {@code B} (goodbye), {@code K}, {@code R}, {@code T}, {@code P} (keys)
 * or {@code C} (a function name, or {@code *}); tiercache keys hold no spaces. A message that does
 * not parse is treated as a loss (it may be an invalidation from a newer version).
 */
final class RedisInvalidationChannel implements InvalidationChannel {
  private static final Logger LOG = LoggerFactory.getLogger(RedisInvalidationChannel.class);

  private final RedisBackend backend;
  private final ConnectionSource source;
  private final String channel;
  private final String sender;
  private final Duration heartbeat;
  private final long silenceNanos;
  private final Duration bound;
  private final String description;
  private final CopyOnWriteArrayList<RedisSubscription> subscriptions = new CopyOnWriteArrayList<>();
  private final ThrottledLog lossLog = new ThrottledLog(LOG, Duration.ofSeconds(10));
  private final RedisConnectionStateListener stateListener = new StateListener();
  private final Object publishLock = new Object();

  /** Only under {@link #publishLock}. */
  private long sequence;
  /** Guarded by {@code this}. */
  private final Map<String, Peer> peers = new HashMap<>();
  private boolean delivering;
  /** The sequence of this channel's messages when the last loss was declared. */
  private long lostAtSequence;
  private long lastAnyNanos = System.nanoTime();
  private volatile boolean closed;
  private volatile StatefulRedisPubSubConnection<String, String> pubsub;
  private volatile ScheduledFuture<?> heartbeats;
  private volatile ScheduledFuture<?> watchdog;
  private volatile String lastLossReason;
  /** Guarded by {@code this}. */
  private boolean connecting;
  /** Guarded by {@code this}. */
  private int failedAttempts;
  /** Guarded by {@code this}. */
  private long nextAttemptNanos = System.nanoTime();

  private record Peer(long sequence, long seenNanos) {}

  RedisInvalidationChannel(RedisBackend backend, ConnectionSource source, String channel,
      Duration heartbeat) {
    this.backend = backend;
    this.source = source;
    this.channel = channel;
    this.sender = Long.toHexString(ThreadLocalRandom.current().nextLong() | 1L << 63);
    this.heartbeat = heartbeat;
    long tick = heartbeat.toNanos() / 5;
    this.silenceNanos = 2 * heartbeat.toNanos() - 2 * tick; // + one tick of detection: < 2 × heartbeat
    this.bound = heartbeat.multipliedBy(2);
    this.description = "redis pub/sub " + channel + " on " + backend.describe();
    start(tick);
  }

  private void start(long tickNanos) {
    source.addStateListener(stateListener);
    connect();
    try {
      heartbeats = source.scheduler().scheduleAtFixedRate(this::beat, 0, heartbeat.toNanos(),
          TimeUnit.NANOSECONDS);
      watchdog = source.scheduler().scheduleAtFixedRate(this::check, tickNanos, tickNanos,
          TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException shuttingDown) {
      closed = true;
    }
  }

  /** The client name of the subscription's connection, as {@code CLIENT LIST} shows it. */
  String clientName() {
    return "tiercache-invalidations-" + sender;
  }

  String sender() {
    return sender;
  }

  /**
   * Opens the pub/sub connection unless it is open or being opened; Lettuce then keeps it up.
   * After a failure, the next attempt waits (50 ms, doubling, at most 1 s), and none is made while
   * the backend itself is not connected (its own attempts report why).
   */
  private void connect() {
    synchronized (this) {
      if (closed || pubsub != null || connecting || System.nanoTime() - nextAttemptNanos < 0) {
        return;
      }
      connecting = true;
    }
    source.connectPubSub(clientName()).whenComplete((connection, failure) -> {
      synchronized (this) {
        connecting = false;
        if (failure != null) {
          failedAttempts = Math.min(failedAttempts + 1, 5);
          nextAttemptNanos = System.nanoTime() + (50_000_000L << failedAttempts - 1);
        } else {
          failedAttempts = 0;
        }
      }
      if (failure != null) {
        lose("could not open the pub/sub connection: " + ThrottledLog.explain(failure));
        return; // the watchdog tries again
      }
      attach(connection);
    });
  }

  private synchronized void attach(StatefulRedisPubSubConnection<String, String> connection) {
    if (closed || pubsub != null) {
      connection.closeAsync();
      return;
    }
    pubsub = connection;
    connection.addListener(new RedisPubSubAdapter<>() {
      @Override
      public void message(String from, String message) {
        if (channel.equals(from)) {
          receive(message);
        }
      }
    });
    connection.async().subscribe(channel).whenComplete((ok, failure) -> {
      if (failure != null) {
        lose("could not subscribe to " + channel + ": " + ThrottledLog.explain(failure));
        connection.closeAsync();
        synchronized (this) {
          if (pubsub == connection) {
            pubsub = null;
          }
        }
      }
    });
  }

  // ------------------------------------------------------------------------------ the channel

  @Override
  public Subscription subscribe(Listener listener) {
    RedisSubscription subscription = new RedisSubscription(listener);
    subscriptions.add(subscription);
    return subscription;
  }

  @Override
  public Duration stalenessBound() {
    return bound;
  }

  @Override
  public String describe() {
    return description;
  }

  synchronized boolean isDelivering() {
    return delivering && !closed;
  }

  String lastLossReason() {
    return lastLossReason;
  }

  /** Publishes with the next sequence number, in sequence order on the backend's connection. */
  private CompletionStage<Void> send(String kind, List<String> items) {
    synchronized (publishLock) {
      StringBuilder line = new StringBuilder(64).append("1 ").append(sender).append(' ')
          .append(++sequence).append(' ').append(kind);
      for (String item : items) {
        line.append(' ').append(item);
      }
      return backend.publish(channel, line.toString());
    }
  }

  private void beat() {
    if (!closed) {
      send("H", List.of());
    }
  }

  private void check() {
    if (closed) {
      return;
    }
    StatefulRedisPubSubConnection<String, String> connection = pubsub;
    if (connection == null) {
      if (backend.isConnected()) {
        connect();
      }
      lose("the pub/sub connection is not open");
      return;
    }
    if (!connection.isOpen()) {
      lose("the pub/sub connection is down");
      return;
    }
    long now = System.nanoTime();
    List<String> silent = new ArrayList<>();
    synchronized (this) {
      if (now - lastAnyNanos > silenceNanos) {
        silent.add("no message, not even this process's heartbeat, for "
            + TimeUnit.NANOSECONDS.toMillis(now - lastAnyNanos) + " ms");
      } else {
        for (Map.Entry<String, Peer> peer : peers.entrySet()) {
          if (!peer.getKey().equals(sender) && now - peer.getValue().seenNanos() > silenceNanos) {
            silent.add("no heartbeat from process " + peer.getKey() + " for "
                + TimeUnit.NANOSECONDS.toMillis(now - peer.getValue().seenNanos()) + " ms");
          }
        }
      }
    }
    if (!silent.isEmpty()) {
      lose(String.join("; ", silent));
    }
  }


  private void receive(String message) {
    String[] parts = message.split(" ");
    if (parts.length < 4 || !"1".equals(parts[0])) {
      lose("an unreadable message on " + channel + " (another version of tiercache?)");
      return;
    }
    String from = parts[1];
    long seq;
    try {
      seq = Long.parseLong(parts[2]);
    } catch (NumberFormatException e) {
      lose("an unreadable message on " + channel);
      return;
    }
    String kind = parts[3];
    String gap = null;
    boolean restored = false;
    synchronized (this) {
      long now = System.nanoTime();
      lastAnyNanos = now;
      Peer previous = peers.get(from);
      if ("B".equals(kind)) {
        peers.remove(from);
      } else {
        peers.put(from, new Peer(seq, now));
      }
      if (previous != null && seq != previous.sequence() + 1) {
        gap = "missed messages from " + (from.equals(sender) ? "this process" : "process " + from)
            + " (sequence " + seq + " after " + previous.sequence() + ")";
      } else if (!delivering && from.equals(sender) && seq > lostAtSequence) {
        restored = true;
      }
    }
    if (gap != null) {
      lose(gap);
      return;
    }
    if (restored) {
      restore();
    }
    if (from.equals(sender)) {
      return; // local subscribers got it when it was published
    }
    InvalidationMessage invalidation;
    try {
      invalidation = parse(kind, parts);
    } catch (RuntimeException e) {
      lose("an unreadable message on " + channel + ": " + e.getMessage());
      return;
    }
    if (invalidation != null) {
      for (RedisSubscription subscription : subscriptions) {
        try {
          subscription.deliver(invalidation);
        } catch (RuntimeException e) {
          LOG.warn("tiercache: applying an invalidation failed; flushing instead", e);
          subscription.listener.onLoss("applying an invalidation failed: " + e);
        }
      }
    }
  }

  private static InvalidationMessage parse(String kind, String[] parts) {
    List<String> items = List.of(parts).subList(4, parts.length);
    return switch (kind) {
      case "H", "B" -> null;
      case "K" -> new InvalidationMessage(InvalidationMessage.Kind.KEY, items, null);
      case "R" -> new InvalidationMessage(InvalidationMessage.Kind.REFRESH, items, null);
      case "T" -> new InvalidationMessage(InvalidationMessage.Kind.TAGS, items, null);
      case "P" -> new InvalidationMessage(InvalidationMessage.Kind.PREFIX, items, null);
      case "C" -> InvalidationMessage.clear(items.size() == 1 && !"*".equals(items.get(0)) ? items.get(0) : null);
      default -> throw new IllegalArgumentException("unknown kind " + kind);
    };
  }

  private static String code(InvalidationMessage.Kind kind) {
    return switch (kind) {
      case KEY -> "K";
      case REFRESH -> "R";
      case TAGS -> "T";
      case PREFIX -> "P";
      case CLEAR -> "C";
    };
  }

  /** Declares a loss (once until restored) and tells every subscriber. */
  void lose(String reason) {
    synchronized (this) {
      if (closed) {
        return;
      }
      peers.clear();
      lastAnyNanos = System.nanoTime(); // the next silence is counted from now
      synchronized (publishLock) {
        lostAtSequence = sequence;
      }
      lastLossReason = reason;
      if (!delivering) {
        return; // already flushed; nothing was trusted since
      }
      delivering = false;
    }
    lossLog.warn("tiercache: " + description + " lost: " + reason
        + "; L1s of its functions flushed; new L1 entries live at most the bound until it delivers again", null);
    for (RedisSubscription subscription : subscriptions) {
      subscription.listener.onLoss(reason);
    }
  }

  private void restore() {
    synchronized (this) {
      if (closed || delivering) {
        return;
      }
      delivering = true;
    }
    LOG.info("tiercache: {} delivers", description);
    for (RedisSubscription subscription : subscriptions) {
      subscription.listener.onRestored();
    }
  }

  /** Says goodbye (so peers do not take this process's silence for a loss) and disconnects. */
  void close() {
    if (closed) {
      return;
    }
    try {
      send("B", List.of()).toCompletableFuture().get(200, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      // best effort: peers then flush once when they notice the silence
    }
    synchronized (this) {
      closed = true;
      delivering = false;
    }
    cancel(heartbeats);
    cancel(watchdog);
    source.removeStateListener(stateListener);
    StatefulRedisPubSubConnection<String, String> connection = pubsub;
    if (connection != null) {
      connection.closeAsync();
    }
    for (RedisSubscription subscription : subscriptions) {
      subscription.listener.onLoss(description + " closed with its backend");
    }
    subscriptions.clear();
  }

  private static void cancel(ScheduledFuture<?> task) {
    if (task != null) {
      task.cancel(false);
    }
  }

  private final class StateListener implements RedisConnectionStateListener {
    @Override
    public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
      if (connection == pubsub) {
        lose("the pub/sub connection was closed");
      }
    }
  }

  private final class RedisSubscription implements Subscription {
    final Listener listener;
    private volatile boolean left;

    RedisSubscription(Listener listener) {
      this.listener = listener;
    }

    void deliver(InvalidationMessage message) {
      if (!left) {
        listener.onInvalidation(message);
      }
    }

    @Override
    public CompletionStage<Void> publish(InvalidationMessage message) {
      if (left || closed) {
        return CompletableFuture.failedFuture(new IllegalStateException(description + " is closed"));
      }
      for (RedisSubscription other : subscriptions) {
        if (other != this) {
          try {
            other.deliver(message); // the other TierCaches of this process, at once
          } catch (RuntimeException e) {
            LOG.warn("tiercache: applying an invalidation failed; flushing instead", e);
            other.listener.onLoss("applying an invalidation failed: " + e);
          }
        }
      }
      List<String> items = message.kind() == InvalidationMessage.Kind.CLEAR
          ? List.of(message.function() == null ? "*" : message.function())
          : message.keys();
      return send(code(message.kind()), items);
    }

    @Override
    public boolean isDelivering() {
      return !left && RedisInvalidationChannel.this.isDelivering();
    }

    @Override
    public void close() {
      left = true;
      subscriptions.remove(this);
    }
  }
}
