package io.tiercache.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report of a fixture JSON: exact rows, floors from {@code @Floor}, the chart. */
class ReportGeneratorTest {
  private static final Machine MACHINE = new Machine("Test CPU", 2, "Linux test amd64");

  @TempDir
  Path dir;

  private String generate() throws Exception {
    Path json = dir.resolve("results.json");
    try (var in = getClass().getResourceAsStream("/report/fixture.json")) {
      Files.copy(in, json);
    }
    Path section = dir.resolve("extra.md");
    Files.writeString(section, "## Extra section\n\ntext\n");
    Path out = dir.resolve("docs/benchmarks.md");
    ReportGenerator.generate(ReportGenerator.Options.parse("--results", json.toString(),
        "--out", out.toString(), "--chart", "HitBenchmark=hit.svg",
        "--chart", "NotRunBenchmark=none.svg", "--section", section.toString(),
        "--revision", "abc1234"), MACHINE);
    return Files.readString(out);
  }

  @Test
  void everyResultIsARowWithItsRatiosToTheFloorAndToTiercache() throws Exception {
    List<String> lines = generate().lines().toList();
    assertThat(lines).containsSubsequence(
        "### HitBenchmark",
        "| benchmark | params | threads | ns/op | ± error | B/op | × floor | × tiercache |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
        "| caffeineGetIfPresent |  | 1 | 20.0 | 1.00 | 24 | 2.00× | 1.60× |",
        "| floorConcurrentHashMap |  | 1 | 10.0 | 0.50 | 24 | 1.00× | 0.80× |",
        "| tiercache |  | 1 | 12.5 | 0.25 | 0 | 1.25× | 1.00× |");
    // @Floor("rawLettuceMget3") on the two-tag read; the others' floor is rawLettuceGet
    assertThat(lines).containsSubsequence(
        "### RedisL2HitBenchmark",
        "| jetcacheRemoteGet | payloadChars=100 | 1 | 110,000 | 2,500 | — | 2.20× | 2.00× |",
        "| rawLettuceGet | payloadChars=100 | 1 | 50,000 | 1,000 | — | 1.00× | 0.91× |",
        "| rawLettuceMget3 | payloadChars=100 | 1 | 60,000 | 1,500 | — | 1.20× | 1.09× |",
        "| tiercacheL2Hit | payloadChars=100 | 1 | 55,000 | 1,100 | — | 1.10× | 1.00× |",
        "| tiercacheL2HitTwoTags | payloadChars=100 | 1 | 66,000 | 1,200 | — | 1.10× | 1.20× |");
    // a class the generator does not know: reported, without ratios, in its own unit
    assertThat(lines).containsSubsequence(
        "### OtherBenchmark",
        "| thing |  | 4 | 3.14 ops/us | — | — | — | — |");
    assertThat(lines).contains("| noisy |  | 1 | 10.0 | 6.00 ⚠ | — | — | — |");
  }

  @Test
  void summaryMachineSettingsChartAndSections() throws Exception {
    String report = generate();
    assertThat(report.lines()).contains(
        "| HitBenchmark (1 thread) | tiercache | 12.5 | 1.25× | caffeineGetIfPresent 1.60× |",
        "| RedisL2HitBenchmark (payloadChars=100, 1 thread) | tiercacheL2Hit | 55,000 | 1.10×"
            + " | jetcacheRemoteGet 2.00×, rawLettuceMget3 1.09× |",
        "| CPU | Test CPU, 2 cores |",
        "| extra JVM arguments | none |",
        "| JDK | 17.0.15 (OpenJDK 64-Bit Server VM) |",
        "![HitBenchmark: time per call (ns/op)](hit.svg)",
        "## Extra section");
    assertThat(report).contains("measuring commit `abc1234`")
        .contains("forks 1, warm-up 3 × 1 s, measurement 5 × 1 s")
        .contains("forks 1, warm-up 3 × 1 s, measurement 1 × 1 s")
        .contains("GC profiler")
        .doesNotContain("none.svg");
    Path svg = dir.resolve("docs/hit.svg");
    String chart = Files.readString(svg);
    DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(chart.getBytes(StandardCharsets.UTF_8)));
    assertThat(chart).contains(">tiercache<", ">floorConcurrentHashMap<", "fill=\"#2b7bb9\"",
        "fill=\"#9e9e9e\"", "20.0 ns/op  (1.60× tiercache)");
    assertThat(Files.exists(dir.resolve("docs/none.svg"))).isFalse();
  }

  @Test
  void groupsSplitByParamsAndThreads() throws Exception {
    Path json = dir.resolve("r.json");
    try (var in = getClass().getResourceAsStream("/report/fixture.json")) {
      Files.copy(in, json);
    }
    List<Group> groups = Group.of(ReportGenerator.read(json));
    assertThat(groups).extracting(Group::title).containsExactly(
        "HitBenchmark (1 thread)", "RedisL2HitBenchmark (payloadChars=100, 1 thread)",
        "OtherBenchmark (4 threads)", "OtherBenchmark (1 thread)");
    assertThat(groups.get(0).results()).extracting(Result::params).containsOnly(Map.of());
  }

  @Test
  void badArgumentsAreRefusedWithTheUsage() {
    assertThatThrownBy(() -> ReportGenerator.Options.parse("--results", "x.json"))
        .hasMessageContaining("usage");
    assertThatThrownBy(() -> ReportGenerator.Options.parse("--results", "x", "--out", "y",
        "--chart", "nofile")).hasMessageContaining("Class=file.svg");
  }
}
