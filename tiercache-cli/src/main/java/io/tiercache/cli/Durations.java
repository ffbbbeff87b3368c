package io.tiercache.cli;

import java.time.Duration;

/** Durations as operators type and read them: {@code 500ms}, {@code 3s}, {@code 2m}. */
final class Durations {
  private Durations() {}

  static Duration parse(String text) {
    String t = text.trim().toLowerCase(java.util.Locale.ROOT);
    try {
      Duration d;
      if (t.endsWith("ms")) {
        d = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      } else if (t.endsWith("s")) {
        d = Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
      } else if (t.endsWith("m")) {
        d = Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)) * 60);
      } else {
        throw new NumberFormatException();
      }
      if (d.isNegative() || d.isZero()) {
        throw new NumberFormatException();
      }
      return d;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is not a positive duration such as 500ms, 3s or 2m");
    }
  }

  /** {@code 500 ms}, {@code 3 s}, {@code 1.5 s}. */
  static String text(Duration d) {
    long ms = d.toMillis();
    if (ms < 1000) {
      return ms + " ms";
    }
    return ms % 1000 == 0 ? ms / 1000 + " s" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
  }

  /** The local time of day, {@code HH:mm:ss}, that watching commands print before each line. */
  static String clock() {
    return java.time.LocalTime.now().format(java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss"));
  }
}
