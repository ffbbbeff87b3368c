package io.tiercache.cli;

/**
 * A failure the command line reports as one line on standard error, with its exit code (see
 * {@link ExitCodes}); never with a stack trace.
 */
final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int exitCode;

  CliException(int exitCode, String message) {
    super(message, null, false, false);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }
}
