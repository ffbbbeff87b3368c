package io.tiercache.redis;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.tiercache.internal.log.ThrottledLog;
import io.tiercache.redis.ConnectionSource.Link;
import io.tiercache.redis.RedisFailures.Problem;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection of one {@link RedisBackend}, in the role of Lettuce's {@code ConnectionWatchdog}:
 * makes the first connection in the background and retries it with backoff while Redis is down or
 * refuses the credentials (each problem logged once, then at most once a minute); holds the
 * operations issued while the first attempt runs and sends them, in order, when it ends; sends
 * every command through the circuit breaker (and times it out where Lettuce does not); and tells
 * the connection's {@link #health()}. Once connected, Lettuce reconnects by itself.
 */
final class RedisConnector {
  /** The backend's name: the logger users configure for its connection trouble. */
  private static final Logger LOG = LoggerFactory.getLogger(RedisBackend.class);
  private static final Duration LOG_PERIOD = Duration.ofSeconds(60);
  private static final Duration BREAKER_LOG_PERIOD = Duration.ofSeconds(10);
  private static final Duration FIRST_RETRY = Duration.ofMillis(50);

  /** One operation: commands sent on the connection, and the stage of their outcome. */
  @FunctionalInterface
  interface Operation<T> {
    CompletionStage<T> on(RedisClusterAsyncCommands<String, byte[]> commands);
  }

  private final ConnectionSource source;
  private final String target;
  private final String description;
  private final CircuitBreaker breaker;
  /** When Lettuce does not time commands out (a given client or connection), the connector does. */
  private final long ownTimeoutNanos;
  private final long ownBulkTimeoutNanos;
  private final Duration maxRetryDelay;
  private final ThrottledLog connectLog = new ThrottledLog(LOG, LOG_PERIOD);
  private final BiConsumer<Object, Throwable> outcome = this::recordOutcome;

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
  /** Only touched by the sequential chain of connection attempts. */
  private int failedAttempts;
  /**
   * The problems logged at once since the last connection; any other attempt failing the same way
   * is throttled. A set, not the last problem: Lettuce sometimes fails one attempt against a server
   * that refuses the credentials with an unrelated error, and that flicker must not log the
   * credentials problem a second time.
   */
  private final EnumSet<Problem> problemsLogged = EnumSet.noneOf(Problem.class);

  /**
   * A connector to {@code target} through {@code source}; call {@link #start()} to connect.
   *
   * @param description the backend's description, for the message of a closed backend
   */
  RedisConnector(ConnectionSource source, String target, String description, RedisOptions options) {
    this.source = source;
    this.target = target;
    this.description = description;
    this.breaker = new CircuitBreaker(options.failureThreshold(), options.openDuration(), target,
        new ThrottledLog(LOG, BREAKER_LOG_PERIOD), new ThrottledLog(LOG, BREAKER_LOG_PERIOD));
    boolean lettuceTimesOut = source.lettuceTimesOutCommands();
    this.ownTimeoutNanos = lettuceTimesOut ? 0 : options.commandTimeout().toNanos();
    this.ownBulkTimeoutNanos = lettuceTimesOut ? 0
        : Math.max(ownTimeoutNanos, options.bulkTimeout().toNanos());
    this.maxRetryDelay = options.maxReconnectDelay();
  }

  /** Starts the first connection attempt; returns at once. */
  void start() {
    connectNow();
  }

  /** Where follow-up work runs, off the I/O threads. */
  Executor worker() {
    return source.worker();
  }

  /** Whether the connection is made (and the connector not closed). */
  boolean isConnected() {
    return link != null && !closed;
  }

  boolean isClosed() {
    return closed;
  }

  /**
   * Sends a single-key read or delete now, or when the first connection attempt completes; never
   * throws (a failure completes the stage).
   */
  <T> CompletionStage<T> submit(Operation<T> op) {
    return submit(false, op);
  }

  /** Like {@link #submit}, for a write, batch or maintenance command (the bulk timeout). */
  <T> CompletionStage<T> submitBulk(Operation<T> op) {
    return submit(true, op);
  }

  private <T> CompletionStage<T> submit(boolean bulk, Operation<T> op) {
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
    final Operation<T> op;
    final CompletableFuture<T> result = new CompletableFuture<>();

    EarlyOperation(boolean bulk, Operation<T> op) {
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

  private <T> CompletionStage<T> send(Link l, boolean bulk, Operation<T> op) {
    if (!breaker.allow()) {
      return breaker.rejection();
    }
    CompletionStage<T> stage;
    try {
      stage = op.on(l.commands());
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
    if (failure == null || !RedisFailures.countsAgainstRedis(failure)) {
      breaker.onSuccess();
    } else {
      breaker.onFailure(ThrottledLog.unwrap(failure));
    }
  }

  @SuppressWarnings("unchecked")
  private <T> CompletionStage<T> notConnected(CompletableFuture<Link> failed) {
    return (CompletionStage<T>) (CompletionStage<?>) failed;
  }

  private RedisBackendException notConnectedBecause(Throwable failure) {
    Throwable cause = ThrottledLog.unwrap(failure);
    if (cause instanceof RedisBackendException known) {
      return known;
    }
    return new RedisBackendException("not connected to " + target + ": "
        + Problem.of(cause).sentence(target, cause), cause);
  }

  // ------------------------------------------------------------------- connect and retry

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
    Throwable cause = ThrottledLog.unwrap(failure);
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

  // ------------------------------------------------------------------------ health and close

  /** The state of the connection and the circuit breaker, with the reason when not {@code UP}. */
  RedisHealth health() {
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
   * Stops connecting, fails the operations still waiting for the first attempt, and closes the
   * connection (if the backend owns it) and then what the source owns. Call once.
   */
  synchronized CompletableFuture<Void> close() {
    closed = true;
    Link l = link;
    link = null;
    RedisBackendException isClosed = new RedisBackendException(description + " is closed", null);
    pending = CompletableFuture.failedFuture(isClosed);
    sendEarly(null, isClosed);
    CompletableFuture<Void> closedConnection = l == null || !source.ownsConnection()
        ? CompletableFuture.completedFuture(null)
        : l.connection().closeAsync().exceptionally(e -> null);
    return closedConnection.thenCompose(ignored -> source.shutdown());
  }
}
