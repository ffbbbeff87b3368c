package io.tiercache.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The results that are compared with each other: one benchmark class, one set of parameters, one
 * thread count. Each row's ratios are taken within its group only, so every ratio compares two
 * results of the same run, scenario and load.
 *
 * @param className the benchmark class, fully qualified
 * @param paramsText its parameters, as {@link Result#paramsText()}
 * @param threads its thread count
 * @param results the group's results, in the order JMH wrote them
 */
public record Group(String className, String paramsText, int threads, List<Result> results) {

  /** Splits results into groups, in the order each group first appears. */
  public static List<Group> of(List<Result> results) {
    Map<List<Object>, List<Result>> groups = new LinkedHashMap<>();
    for (Result r : results) {
      groups.computeIfAbsent(List.of(r.className(), r.paramsText(), r.threads()),
          k -> new ArrayList<>()).add(r);
    }
    List<Group> out = new ArrayList<>();
    groups.forEach((k, rs) -> out.add(
        new Group((String) k.get(0), (String) k.get(1), (Integer) k.get(2), List.copyOf(rs))));
    return out;
  }

  /** The result of {@code method} in this group, if it ran. */
  public Optional<Result> find(String method) {
    return results.stream().filter(r -> r.method().equals(method)).findFirst();
  }

  /**
   * tiercache's reference result: the method named {@code tiercache}, else the first whose name
   * starts with it; empty when tiercache has no row here.
   */
  public Optional<Result> tiercache() {
    return find("tiercache").or(() -> results.stream().filter(Result::isTiercache).findFirst());
  }

  /** Each result with its ratios to its floor and to tiercache's reference. */
  public List<Row> rows(Roles roles) {
    Optional<Result> reference = tiercache();
    List<Row> rows = new ArrayList<>();
    for (Result r : results) {
      Optional<Result> floor = roles.floorOf(className, r.method(), m -> find(m).isPresent())
          .flatMap(this::find);
      rows.add(new Row(r, floor.map(f -> r.score() / f.score()),
          reference.map(t -> r.score() / t.score())));
    }
    return rows;
  }

  /** A heading for this group: class, parameters and threads. */
  public String title() {
    String simple = className.substring(className.lastIndexOf('.') + 1);
    String details = paramsText.isEmpty() ? "" : paramsText + ", ";
    return simple + " (" + details + threads + (threads == 1 ? " thread)" : " threads)");
  }

  /**
   * One row of the report.
   *
   * @param result the benchmark's result
   * @param vsFloor its score divided by its floor's (empty: no floor ran)
   * @param vsTiercache its score divided by tiercache's reference (empty: tiercache did not run)
   */
  public record Row(Result result, Optional<Double> vsFloor, Optional<Double> vsTiercache) {}
}
