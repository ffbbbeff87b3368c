package io.tiercache.redis;

/**
 * Why a {@link RedisBackend} operation failed without reaching Redis, or what Redis answered: not
 * connected yet, credentials refused, circuit open, closed. It only ever travels inside a failed
 * stage (the engine turns it into a miss and counts it); it is never thrown to a caller.
 *
 * <p>Instances that answer many calls in a row (an open circuit, a refused connection) are shared
 * and carry no stack trace, so failing fast costs no allocation of one.
 */
public final class RedisBackendException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  RedisBackendException(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
