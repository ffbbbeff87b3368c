package io.tiercache.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * How JMH ran a benchmark: the JVM and the iteration settings, as its JSON records them.
 *
 * @param jmhVersion JMH's version
 * @param jdkVersion the JDK's version
 * @param vmName the VM's name
 * @param forks forks per benchmark (0: run in the harness's JVM)
 * @param warmupIterations warm-up iterations per fork
 * @param warmupTime the length of each
 * @param measurementIterations measured iterations per fork
 * @param measurementTime the length of each
 * @param jvmArgs extra JVM arguments of the forks
 */
public record RunSettings(String jmhVersion, String jdkVersion, String vmName, int forks,
    int warmupIterations, String warmupTime, int measurementIterations, String measurementTime,
    List<String> jvmArgs) {

  /** Reads them from one element of JMH's JSON array. */
  public static RunSettings of(JsonNode node) {
    List<String> jvmArgs = new ArrayList<>();
    node.path("jvmArgs").forEach(a -> jvmArgs.add(a.asText()));
    return new RunSettings(node.path("jmhVersion").asText(), node.path("jdkVersion").asText(),
        node.path("vmName").asText(), node.path("forks").asInt(),
        node.path("warmupIterations").asInt(), node.path("warmupTime").asText(),
        node.path("measurementIterations").asInt(), node.path("measurementTime").asText(),
        List.copyOf(jvmArgs));
  }

  /** A line for the report: forks, warm-up and measurement. */
  public String iterationsText() {
    return "forks " + forks + ", warm-up " + warmupIterations + " × " + warmupTime
        + ", measurement " + measurementIterations + " × " + measurementTime;
  }
}
