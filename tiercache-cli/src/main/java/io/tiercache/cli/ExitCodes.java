package io.tiercache.cli;

/**
 * The exit codes of every {@code tiercache} command, as {@code docs/cli.md} and {@code --help}
 * document them: scripts can tell "nothing to do" from "cannot reach the cache".
 */
public final class ExitCodes {
  /** The command did what it was asked, and everything it checked is healthy. */
  public static final int OK = 0;
  /** Done, but degraded (a channel that does not deliver, an L2 failure) or nothing found. */
  public static final int DEGRADED_OR_NOT_FOUND = 1;
  /** The command line is wrong (unknown option, missing or contradictory connection options). */
  public static final int USAGE = 2;
  /** The server refused the credentials. */
  public static final int AUTH_FAILED = 3;
  /** The server could not be reached (or the TLS handshake failed) within {@code --timeout}. */
  public static final int UNREACHABLE = 4;
  /** The backend cannot do this (memcached cannot list keys, nor carry the invalidation channel). */
  public static final int UNSUPPORTED = 5;

  private ExitCodes() {}
}
