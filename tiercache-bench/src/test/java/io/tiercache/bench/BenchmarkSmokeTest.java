package io.tiercache.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.bench.report.Machine;
import io.tiercache.bench.report.ReportGenerator;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * The smoke mode CI runs so that no benchmark can rot: every benchmark of the module runs one
 * 100 ms iteration, without warm-up, with the GC profiler, and must not fail; then the report is
 * generated from the results and must name every one. Numbers are meaningless here.
 *
 * <p>Benchmarks run in this JVM ({@code forks(0)}): a fork per benchmark costs ~3 s on a two-core
 * machine, ~5 minutes for the module, against well under a minute in one JVM. What a fork adds
 * (per-benchmark JVM arguments) is exercised by {@code scripts/bench}. Each parameter runs its
 * first value only ({@code payloadChars=100}, {@code keys=256}, {@code variant=full}): the others run the same code.
 */
class BenchmarkSmokeTest {

  @TempDir
  Path dir;

  @Test
  void everyBenchmarkRunsOnceAndTheReportNamesEachOne() throws Exception {
    Path json = dir.resolve("results.json");
    Options options = new OptionsBuilder()
        .include("^io\\.tiercache\\.bench\\.")
        .forks(0)
        .warmupIterations(0)
        .measurementIterations(1)
        .measurementTime(TimeValue.milliseconds(100))
        .param("payloadChars", "100")
        .param("keys", "256")
        .param("variant", "full")
        .addProfiler(GCProfiler.class)
        .shouldFailOnError(true)
        .resultFormat(ResultFormatType.JSON)
        .result(json.toString())
        .output(dir.resolve("jmh.log").toString())
        .build();
    Collection<RunResult> results = new Runner(options).run();

    Set<String> ran = results.stream().map(r -> r.getParams().getBenchmark())
        .collect(Collectors.toSet());
    assertThat(ran).containsExactlyInAnyOrderElementsOf(allBenchmarks());
    assertThat(results).allSatisfy(r ->
        assertThat(r.getSecondaryResults()).containsKey("gc.alloc.rate.norm"));

    Path report = dir.resolve("docs/benchmarks.md");
    ReportGenerator.generate(ReportGenerator.Options.parse("--results", json.toString(),
        "--out", report.toString(), "--chart", "HitBenchmark=hit.svg"), Machine.current());
    String markdown = Files.readString(report);
    for (String benchmark : ran) {
      String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
      assertThat(markdown).contains("| " + method + " |");
    }
    assertThat(dir.resolve("docs/hit.svg")).exists();
  }

  private static List<String> allBenchmarks() {
    var silent = OutputFormatFactory.createFormatInstance(
        new PrintStream(PrintStream.nullOutputStream()), VerboseMode.SILENT);
    return BenchmarkList.defaultList().getAll(silent, List.of()).stream()
        .map(BenchmarkListEntry::getUsername).distinct().toList();
  }
}
