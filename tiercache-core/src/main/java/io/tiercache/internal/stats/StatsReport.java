package io.tiercache.internal.stats;

import io.tiercache.CacheInfo;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The statistics one process published for its cached functions (see {@link StatsPublisher}), as
 * the command line's {@code stats} reads them back from L2.
 *
 * <p>Stored as ASCII lines, so any tool can read them and a reader of another version can tell:
 * <pre>
 * tiercache-stats 1
 * process &lt;id&gt;
 * published &lt;epoch millis&gt; &lt;period millis&gt;
 * fn &lt;name&gt; &lt;l1Hits&gt; &lt;l1Misses&gt; &lt;l2Hits&gt; &lt;l2Misses&gt; &lt;l1MaxSize&gt; &lt;l1CurrSize&gt;
 * </pre>
 *
 * @param processId the publisher's id (see {@link StatsPublisher#defaultProcessId()})
 * @param publishedAtMillis when it was published, epoch milliseconds
 * @param periodMillis how often the process publishes
 * @param functions each function's statistics, by name, in the order the functions were built
 */
public record StatsReport(String processId, long publishedAtMillis, long periodMillis,
    Map<String, CacheInfo> functions) {
  private static final String HEAD = "tiercache-stats 1";

  /** Checks and copies the fields. */
  public StatsReport {
    Objects.requireNonNull(processId, "processId");
    functions = Collections.unmodifiableMap(new LinkedHashMap<>(functions));
  }

  /** The stored form. */
  public byte[] encode() {
    StringBuilder sb = new StringBuilder(HEAD).append('\n')
        .append("process ").append(processId).append('\n')
        .append("published ").append(publishedAtMillis).append(' ').append(periodMillis).append('\n');
    functions.forEach((name, i) -> sb.append("fn ").append(name).append(' ').append(i.l1Hits())
        .append(' ').append(i.l1Misses()).append(' ').append(i.l2Hits()).append(' ')
        .append(i.l2Misses()).append(' ').append(i.l1MaxSize()).append(' ').append(i.l1CurrSize())
        .append('\n'));
    return sb.toString().getBytes(StandardCharsets.US_ASCII);
  }

  /** Reads a stored report; empty for bytes that are not one (another version, corrupt data). */
  public static Optional<StatsReport> decode(byte[] bytes) {
    if (bytes == null) {
      return Optional.empty();
    }
    String[] lines = new String(bytes, StandardCharsets.US_ASCII).split("\n");
    try {
      if (lines.length < 3 || !lines[0].equals(HEAD) || !lines[1].startsWith("process ")) {
        return Optional.empty();
      }
      String[] published = lines[2].split(" ");
      if (published.length != 3 || !published[0].equals("published")) {
        return Optional.empty();
      }
      Map<String, CacheInfo> functions = new LinkedHashMap<>();
      for (int i = 3; i < lines.length; i++) {
        String[] f = lines[i].split(" ");
        if (f.length != 8 || !f[0].equals("fn")) {
          return Optional.empty();
        }
        functions.put(f[1], new CacheInfo(Long.parseLong(f[2]), Long.parseLong(f[3]),
            Long.parseLong(f[4]), Long.parseLong(f[5]), Long.parseLong(f[6]), Long.parseLong(f[7])));
      }
      return Optional.of(new StatsReport(lines[1].substring("process ".length()),
          Long.parseLong(published[1]), Long.parseLong(published[2]), functions));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
