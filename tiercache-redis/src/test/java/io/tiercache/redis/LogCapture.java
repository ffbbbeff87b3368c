package io.tiercache.redis;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Captures what slf4j-simple writes (to {@code System.err}, looked up at each message) while it is
 * open, and still echoes it, so tests can assert what an operator would read in the log.
 */
final class LogCapture implements AutoCloseable {
  private final PrintStream original = System.err;
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

  LogCapture() {
    PrintStream both = new PrintStream(new java.io.OutputStream() {
      @Override
      public void write(int b) {
        synchronized (captured) {
          captured.write(b);
        }
        original.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        synchronized (captured) {
          captured.write(b, off, len);
        }
        original.write(b, off, len);
      }
    }, true, StandardCharsets.UTF_8);
    System.setErr(both);
  }

  String text() {
    synchronized (captured) {
      return captured.toString(StandardCharsets.UTF_8);
    }
  }

  /** How many captured lines contain every one of {@code parts}. */
  long linesContaining(String... parts) {
    return text().lines().filter(line -> {
      for (String part : parts) {
        if (!line.contains(part)) {
          return false;
        }
      }
      return true;
    }).count();
  }

  @Override
  public void close() {
    System.setErr(original);
  }
}
