package io.tiercache.redis;

/**
 * What a {@link RedisBackend} knows about its Redis right now, for health checks and startup logs.
 *
 * @param status the state
 * @param message a sentence for humans: what is wrong and what the backend does about it
 * @param lastError the last connection or command failure that explains the state, or null
 */
public record RedisHealth(Status status, String message, Throwable lastError) {

  /** The states of a backend; only {@link #UP} serves L2 reads and writes. */
  public enum Status {
    /** The first connection attempt has not finished yet. */
    CONNECTING,
    /** Connected, circuit closed: commands go to Redis. */
    UP,
    /** Connected, but too many consecutive failures: commands fail fast until a probe succeeds. */
    CIRCUIT_OPEN,
    /** Was connected, the connection dropped; Lettuce reconnects in the background. */
    DISCONNECTED,
    /** Redis refused the user or password of the URI; retried in the background. */
    AUTH_FAILED,
    /** The server could not be reached or the TLS handshake failed; retried in the background. */
    UNREACHABLE,
    /** {@link RedisBackend#close()} was called. */
    CLOSED
  }

  /**
   * True when commands are sent to Redis.
   *
   * @return true for {@code UP}
   */
  public boolean isUp() {
    return status == Status.UP;
  }
}
