package io.tiercache.internal.proxy;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the durations of annotations: {@code 500ms}, {@code 60s}, {@code 10m}, {@code 2h}, {@code 1d}, or ISO-8601. */
final class Durations {
  private static final Pattern SHORT = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  private Durations() {}

  /** The duration, or null for an empty text. */
  static Duration parse(String text, String what) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    Matcher m = SHORT.matcher(text.trim());
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    try {
      return Duration.parse(text.trim());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(what + ": '" + text
          + "' is not a duration; use 500ms, 60s, 10m, 2h, 1d or ISO-8601 such as PT10M", e);
    }
  }
}
