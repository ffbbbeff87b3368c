package io.tiercache.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the benchmark report from JMH's JSON results: {@code docs/benchmarks.md} and its charts.
 * Every result in the JSON is reported, grouped by class; a new benchmark class needs no change
 * here (mark its floor with {@code @Floor}, name tiercache's methods {@code tiercache*}).
 *
 * <pre>
 * java -cp benchmarks.jar io.tiercache.bench.report.ReportGenerator \
 *     --results results.json --out docs/benchmarks.md \
 *     [--chart HitBenchmark=benchmarks-hit.svg ...] [--section hit-ratio.md ...] [--command text] \
 *     [--revision text]
 * </pre>
 *
 * <p>Chart paths are relative to the report's folder; a chart shows every group of its class.
 */
public final class ReportGenerator {
  private ReportGenerator() {}

  /**
   * What to generate.
   *
   * @param results JMH's JSON results
   * @param out the Markdown report to write
   * @param charts chart file (relative to {@code out}'s folder) by simple benchmark class name
   * @param sections Markdown files to include before the tables
   * @param command the command named in the report
   * @param revision what was measured (a commit), or empty
   */
  public record Options(Path results, Path out, Map<String, String> charts, List<Path> sections,
      String command, String revision) {

    /** Parses command-line arguments. */
    public static Options parse(String... args) {
      Path results = null;
      Path out = null;
      Map<String, String> charts = new LinkedHashMap<>();
      List<Path> sections = new ArrayList<>();
      String command = "scripts/bench";
      String revision = "";
      for (int i = 0; i + 1 < args.length; i += 2) {
        String value = args[i + 1];
        switch (args[i]) {
          case "--results" -> results = Path.of(value);
          case "--out" -> out = Path.of(value);
          case "--chart" -> {
            int eq = value.indexOf('=');
            if (eq < 1) {
              throw new IllegalArgumentException("--chart wants Class=file.svg, got " + value);
            }
            charts.put(value.substring(0, eq), value.substring(eq + 1));
          }
          case "--section" -> sections.add(Path.of(value));
          case "--command" -> command = value;
          case "--revision" -> revision = value;
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
      if (results == null || out == null || args.length % 2 != 0) {
        throw new IllegalArgumentException(
            "usage: --results results.json --out report.md [--chart Class=file.svg]"
                + " [--section file.md] [--command text] [--revision text]");
      }
      return new Options(results, out, Map.copyOf(charts), List.copyOf(sections), command,
          revision);
    }
  }

  /** Generates the report; see the class comment for arguments. */
  public static void main(String[] args) throws IOException {
    generate(Options.parse(args), Machine.current());
  }

  /** Reads the results, writes the report and charts. */
  public static void generate(Options options, Machine machine) throws IOException {
    List<Result> results = read(options.results());
    Roles roles = new Roles(ReportGenerator.class.getClassLoader());
    Path folder = options.out().toAbsolutePath().getParent();
    Files.createDirectories(folder);
    Map<String, String> captions = new LinkedHashMap<>();
    SvgChart chart = new SvgChart(roles);
    for (Map.Entry<String, String> e : options.charts().entrySet()) {
      List<Group> groups = Group.of(results).stream()
          .filter(g -> g.className().endsWith("." + e.getKey())).toList();
      if (groups.isEmpty()) {
        continue; // the class did not run: no chart rather than an empty one
      }
      String title = e.getKey() + ": time per call (ns/op)";
      Files.writeString(folder.resolve(e.getValue()), chart.render(title, groups));
      captions.put(title, e.getValue());
    }
    List<String> sections = new ArrayList<>();
    for (Path section : options.sections()) {
      if (Files.exists(section)) {
        sections.add(Files.readString(section));
      }
    }
    String generatedAt = ZonedDateTime.now(ZoneOffset.UTC)
        .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));
    MarkdownReport.Frame frame =
        new MarkdownReport.Frame(options.command(), options.revision(), generatedAt, machine,
            captions, sections);
    Files.writeString(options.out(), new MarkdownReport(roles).render(results, frame));
  }

  /** Every result of a JMH JSON file, in its order. */
  public static List<Result> read(Path json) throws IOException {
    JsonNode root = new ObjectMapper().readTree(json.toFile());
    List<Result> results = new ArrayList<>();
    root.forEach(node -> results.add(Result.of(node)));
    return results;
  }
}
