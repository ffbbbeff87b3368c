package io.tiercache.redis;

import io.lettuce.core.RedisCommandExecutionException;
import io.tiercache.internal.log.ThrottledLog;
import javax.net.ssl.SSLException;

/**
 * What a Redis failure means: which failures say Redis is unwell (they count against the circuit
 * breaker) and which answer about one command, and what keeps a backend from connecting (the
 * credentials, TLS, or no server), with the sentence the log and {@link RedisHealth} give for it.
 */
final class RedisFailures {
  private RedisFailures() {}

  /**
   * Whether a failure says Redis is unwell (timeouts, lost or refused connections, a server that is
   * loading, busy or without masters) rather than answering about one command or key
   * ({@code WRONGTYPE}, {@code OOM} for a write, {@code NOPERM}): only the former open the circuit.
   */
  static boolean countsAgainstRedis(Throwable failure) {
    Throwable cause = ThrottledLog.unwrap(failure);
    if (cause instanceof RedisCommandExecutionException) {
      String message = String.valueOf(cause.getMessage());
      return message.startsWith("LOADING") || message.startsWith("BUSY")
          || message.startsWith("MASTERDOWN") || message.startsWith("CLUSTERDOWN")
          || message.startsWith("TRYAGAIN") || message.startsWith("NOAUTH")
          || message.startsWith("WRONGPASS");
    }
    return true;
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

    /** The problem with {@code target}, what to check, and that cached functions keep working. */
    String sentence(String target, Throwable cause) {
      String why = ThrottledLog.explain(cause);
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
}
