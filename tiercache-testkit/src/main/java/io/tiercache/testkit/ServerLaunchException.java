package io.tiercache.testkit;

/**
 * Thrown when a {@link ServerProcess} cannot bring its server up: the binary is missing, the
 * process exits at startup, or it does not answer in time. The message says what was run and ends
 * with what the process printed, so a failing test shows the server's own complaint (a bad option,
 * a port already in use) instead of a bare timeout.
 */
public final class ServerLaunchException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What the server printed, possibly only the tail; empty when no process ran. */
  private final String output;
  /** Whether the output says the port was taken. */
  private final boolean addressInUse;

  ServerLaunchException(String message, String output, boolean addressInUse, Throwable cause) {
    super(output == null || output.isEmpty()
        ? message
        : message + "\n--- server output ---\n" + output + (output.endsWith("\n") ? "" : "\n")
            + "--- end of server output ---", cause);
    this.output = output == null ? "" : output;
    this.addressInUse = addressInUse;
  }

  /**
   * What the server process printed (stdout and stderr, possibly only the tail of a long output);
   * empty when no process was started, e.g. because the binary is missing.
   *
   * @return the server's output, or empty
   */
  public String output() {
    return output;
  }

  /** Whether the server exited because its port was taken, which a fresh port can fix. */
  boolean addressInUse() {
    return addressInUse;
  }
}
