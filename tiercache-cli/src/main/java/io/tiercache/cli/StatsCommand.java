package io.tiercache.cli;

import io.tiercache.CacheInfo;
import io.tiercache.internal.stats.StatsPublisher;
import io.tiercache.internal.stats.StatsReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tiercache stats}: the per-function statistics that running processes publish
 * ({@code TierCache.builder().publishStats(...)}), with hit ratios by layer per process and in total;
 * {@code --watch} prints one line of totals per interval, like {@code redis-cli --stat}.
 */
@Command(name = "stats", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Show the statistics running processes publish (TierCache.builder().publishStats(...)).",
        "Redis lists the processes; on memcached name them with --process."},
    exitCodeListHeading = "%nExit codes:%n", exitCodeList = {
        "0:statistics shown",
        "1:no process publishes statistics in this namespace",
        "2:usage error", "3:authentication failed", "4:server unreachable",
        "5:memcached without --process"})
final class StatsCommand extends CommandBase {
  private static final String ROW = "%-24s %-16s %9s %9s %7s %9s %9s %7s%n";

  @Option(names = "--process", paramLabel = "ID",
      description = "read only these process ids (repeat); needed on memcached, which cannot list")
  List<String> processes = new ArrayList<>();

  @Option(names = "--watch", description = "print a line of totals every --interval, like redis-cli --stat")
  boolean watch;

  @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "1s", converter = DurationConverter.class,
      description = "the --watch period (default ${DEFAULT-VALUE})")
  java.time.Duration interval;

  @Option(names = "--samples", paramLabel = "N", defaultValue = "0",
      description = "with --watch, stop after N lines (default 0: until interrupted)")
  long samples;

  @Override
  int run(ConnectionOptions.Target target) throws Exception {
    if (!watch) {
      List<StatsReport> reports = read(target);
      if (reports.isEmpty()) {
        out().println("no process publishes statistics in namespace '" + target.namespace()
            + "' (enable TierCache.builder().publishStats(...))");
        return ExitCodes.DEGRADED_OR_NOT_FOUND;
      }
      table(reports);
      return ExitCodes.OK;
    }
    out().printf("%-8s %9s %9s %9s %7s %9s %7s%n", "time", "processes", "calls", "calls/s", "L1 hit", "L2 hits",
        "L2 hit");
    long[] last = null;
    for (long n = 0; samples == 0 || n < samples; n++) {
      if (n > 0) {
        TimeUnit.MILLISECONDS.sleep(interval.toMillis());
      }
      List<StatsReport> reports = read(target);
      long[] t = totals(reports);
      long calls = t[0] + t[1];
      String rate = last == null ? "-" : String.format(Locale.ROOT, "%.1f",
          (calls - last[0] - last[1]) * 1000.0 / interval.toMillis());
      out().printf("%-8s %9d %9d %9s %7s %9d %7s%n", Durations.clock(), reports.size(), calls,
          rate, ratio(t[0], t[1]), t[2], ratio(t[2], t[3]));
      out().flush();
      last = t;
    }
    return ExitCodes.OK;
  }

  private List<StatsReport> read(ConnectionOptions.Target target) throws Exception {
    String head = StatsPublisher.keyPrefix(target.namespace());
    List<String> keys = new ArrayList<>();
    if (processes.isEmpty()) {
      target.requireRedis("find the processes that publish statistics (name them with --process)")
          .scan(head + "*", 1000, Long.MAX_VALUE, keys::add, examined -> { });
    } else {
      processes.forEach(p -> keys.add(head + p));
    }
    Map<String, StatsReport> byProcess = new TreeMap<>();
    for (String key : keys) {
      byte[] bytes = target.backend().get(key).toCompletableFuture()
          .get(connection.timeout.toMillis(), TimeUnit.MILLISECONDS);
      StatsReport.decode(bytes).ifPresent(r -> byProcess.put(r.processId(), r));
    }
    return new ArrayList<>(byProcess.values());
  }

  private void table(List<StatsReport> reports) {
    out().printf(ROW, "process", "function", "L1 hits", "L1 miss", "L1 hit", "L2 hits", "L2 miss", "L2 hit");
    for (StatsReport report : reports) {
      for (Map.Entry<String, CacheInfo> f : report.functions().entrySet()) {
        CacheInfo i = f.getValue();
        row(report.processId(), f.getKey(), new long[] {i.l1Hits(), i.l1Misses(), i.l2Hits(), i.l2Misses()});
      }
      row(report.processId(), "(all)", totals(List.of(report)));
    }
    row("total", "(all)", totals(reports));
  }

  private void row(String process, String function, long[] t) {
    out().printf(ROW, process, function, t[0], t[1], ratio(t[0], t[1]), t[2], t[3], ratio(t[2], t[3]));
  }

  /** L1 hits, L1 misses, L2 hits, L2 misses over every function of every report. */
  private static long[] totals(List<StatsReport> reports) {
    long[] t = new long[4];
    for (StatsReport report : reports) {
      for (CacheInfo i : report.functions().values()) {
        t[0] += i.l1Hits();
        t[1] += i.l1Misses();
        t[2] += i.l2Hits();
        t[3] += i.l2Misses();
      }
    }
    return t;
  }

  private static String ratio(long hits, long misses) {
    return hits + misses == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100.0 * hits / (hits + misses));
  }
}
