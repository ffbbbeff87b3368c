package io.tiercache.memcached;

/**
 * A memcached server answered an operation with an error status (out of memory, a refused
 * command): reported through the operation's stage, never thrown to a caller.
 */
public final class MemcachedBackendException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  MemcachedBackendException(String message) {
    super(message);
  }
}
