package io.tiercache.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * One benchmark's result, as read from JMH's JSON output ({@code -rf json}).
 *
 * @param className the benchmark class, fully qualified
 * @param method the benchmark method
 * @param params the JMH parameters, by name (empty when the benchmark has none)
 * @param threads how many threads ran it
 * @param score the primary score (mean)
 * @param error the half-width of the 99.9% confidence interval; NaN when JMH could not compute
 *     one (a single iteration)
 * @param unit the primary score's unit, as {@code ns/op}
 * @param allocBytesPerOp {@code gc.alloc.rate.norm} (bytes allocated per operation) when the GC
 *     profiler ran, else NaN
 * @param settings how it was run
 */
public record Result(String className, String method, Map<String, String> params, int threads,
    double score, double error, String unit, double allocBytesPerOp, RunSettings settings) {

  /** Reads one element of JMH's JSON array. */
  public static Result of(JsonNode node) {
    String benchmark = node.get("benchmark").asText();
    int dot = benchmark.lastIndexOf('.');
    Map<String, String> params = new TreeMap<>();
    JsonNode paramsNode = node.get("params");
    if (paramsNode != null) {
      for (Iterator<Map.Entry<String, JsonNode>> it = paramsNode.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        params.put(e.getKey(), e.getValue().asText());
      }
    }
    JsonNode primary = node.get("primaryMetric");
    JsonNode alloc = node.path("secondaryMetrics").get("gc.alloc.rate.norm");
    return new Result(benchmark.substring(0, dot), benchmark.substring(dot + 1), Map.copyOf(params),
        node.get("threads").asInt(), number(primary.get("score")),
        number(primary.get("scoreError")),
        primary.get("scoreUnit").asText(),
        alloc == null ? Double.NaN : number(alloc.get("score")), RunSettings.of(node));
  }

  /** JMH writes NaN as the string "NaN". */
  private static double number(JsonNode node) {
    return node == null || !node.isNumber() ? Double.NaN : node.asDouble();
  }

  /** The class name without its package. */
  public String simpleClassName() {
    return className.substring(className.lastIndexOf('.') + 1);
  }

  /** Parameters as {@code name=value, ...} in name order; empty without parameters. */
  public String paramsText() {
    StringBuilder text = new StringBuilder();
    new TreeMap<>(params).forEach((k, v) -> {
      if (text.length() > 0) {
        text.append(", ");
      }
      text.append(k).append('=').append(v);
    });
    return text.toString();
  }

  /** Is this one of tiercache's own rows (its method name starts with {@code tiercache})? */
  public boolean isTiercache() {
    return method.startsWith("tiercache");
  }
}
