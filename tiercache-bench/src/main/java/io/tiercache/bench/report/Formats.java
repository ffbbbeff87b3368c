package io.tiercache.bench.report;

import java.util.Locale;
import java.util.Optional;

/** How numbers look in the report: the same in every table, whatever the machine's locale. */
final class Formats {
  private Formats() {}

  /** A score or error: 2 decimals below 10, 1 below 1000, else whole with separators. */
  static String score(double value) {
    if (Double.isNaN(value)) {
      return "—";
    }
    double abs = Math.abs(value);
    String pattern = abs < 10 ? "%.2f" : abs < 1000 ? "%.1f" : "%,.0f";
    return String.format(Locale.ROOT, pattern, value);
  }

  /** Bytes per operation, whole; "—" without the GC profiler. */
  static String bytes(double value) {
    return Double.isNaN(value) ? "—" : String.format(Locale.ROOT, "%,.0f", Math.max(0, value));
  }

  /** A ratio as {@code 1.23×}; "—" when there is none. */
  static String ratio(Optional<Double> ratio) {
    return ratio.filter(r -> !r.isNaN())
        .map(r -> String.format(Locale.ROOT, r < 100 ? "%.2f×" : "%,.0f×", r)).orElse("—");
  }

  /** Text safe inside a Markdown table cell. */
  static String cell(String text) {
    return text.replace("|", "\\|");
  }
}
