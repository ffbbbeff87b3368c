package io.tiercache.bench.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A horizontal bar chart of some groups' scores, as a standalone SVG: one bar per result, fastest
 * first, its JMH error as a whisker, tiercache's bars in blue, the floor in grey, peers in orange.
 * The axis is logarithmic (scores of one group span several orders of magnitude, from a map lookup
 * to a Spring proxy with a SpEL key), with a grid line at each power of ten; each group has its own
 * axis, so bars compare within a group only, as ratios do.
 */
public final class SvgChart {
  private static final int WIDTH = 1080;
  private static final int LABEL_WIDTH = 340;
  private static final int BAR_WIDTH = 480;
  private static final int ROW_HEIGHT = 22;
  private static final int GROUP_GAP = 34;

  private final Roles roles;

  /** Colours floors as {@code roles} says. */
  public SvgChart(Roles roles) {
    this.roles = roles;
  }

  /** The chart of {@code groups} under {@code title}. */
  public String render(String title, List<Group> groups) {
    StringBuilder body = new StringBuilder();
    int y = 40;
    for (Group group : groups) {
      y += GROUP_GAP - 10;
      body.append(text(10, y, 13, "bold", group.title()));
      y += 10;
      LogAxis axis = LogAxis.of(group.results());
      int top = y + 4;
      List<Group.Row> rows = new ArrayList<>(group.rows(roles));
      rows.sort(Comparator.comparingDouble(r -> r.result().score()));
      for (Group.Row row : rows) {
        y += ROW_HEIGHT;
        body.append(bar(row, group, y, axis));
      }
      body.append(axis.grid(top, y + 2));
      y += 18;
    }
    int height = y + 30;
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + WIDTH + "\" height=\"" + height
        + "\" viewBox=\"0 0 " + WIDTH + " " + height + "\" font-family=\"sans-serif\">\n"
        + "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        + text(10, 22, 15, "bold", title)
        + body
        + text(10, height - 10, 11, "normal", "blue: tiercache, grey: floor, orange: peers;"
            + " whiskers: JMH score error (99.9%), clipped to the axis; logarithmic scale;"
            + " shorter is faster")
        + "</svg>\n";
  }

  private String bar(Group.Row row, Group group, int y, LogAxis axis) {
    Result r = row.result();
    boolean floor = roles.floorOf(group.className(), r.method(), m -> group.find(m).isPresent())
        .map(r.method()::equals).orElse(false);
    String colour = r.isTiercache() ? "#2b7bb9" : floor ? "#9e9e9e" : "#f0a030";
    double w = Math.max(1, axis.x(r.score()) - LABEL_WIDTH);
    StringBuilder s = new StringBuilder();
    s.append(text(10, y - 6, 12, "normal", r.method()));
    s.append(String.format(Locale.ROOT,
        "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>\n",
        LABEL_WIDTH, y - 17, w, ROW_HEIGHT - 6, colour));
    if (!Double.isNaN(r.error()) && r.error() > 0) {
      double lo = axis.x(r.score() - r.error());
      double hi = axis.x(r.score() + r.error());
      s.append(String.format(Locale.ROOT,
          "<path d=\"M%.1f %d H%.1f M%.1f %d V%d M%.1f %d V%d\" stroke=\"#333\"/>\n",
          lo, y - 9, hi, lo, y - 13, y - 5, hi, y - 13, y - 5));
    }
    String label = Formats.score(r.score()) + " " + r.unit()
        + ratioSuffix(row.vsTiercache(), r.isTiercache());
    s.append(text(LABEL_WIDTH + BAR_WIDTH + 10, y - 6, 12, "normal", label));
    return s.toString();
  }

  /**
   * A logarithmic axis from the power of ten below a group's smallest score to the one above its
   * largest, mapped onto the bar area.
   */
  private record LogAxis(double lowExp, double highExp) {
    static LogAxis of(List<Result> results) {
      double min = results.stream().mapToDouble(Result::score).filter(v -> v > 0).min().orElse(1);
      double max = results.stream().mapToDouble(Result::score).max().orElse(10);
      double low = Math.floor(Math.log10(min)) - 1; // a decade of room: short bars stay visible
      double high = Math.max(low + 1, Math.ceil(Math.log10(max)));
      return new LogAxis(low, high);
    }

    /** The x of {@code value}, clipped to the axis. */
    double x(double value) {
      double exp = value <= 0 ? lowExp : Math.log10(value);
      double f = Math.min(1, Math.max(0, (exp - lowExp) / (highExp - lowExp)));
      return LABEL_WIDTH + f * BAR_WIDTH;
    }

    /** Grid lines and labels at each power of ten from {@code top} to {@code bottom}. */
    String grid(int top, int bottom) {
      StringBuilder g = new StringBuilder();
      for (int e = (int) lowExp; e <= (int) highExp; e++) {
        double x = x(Math.pow(10, e));
        g.append(String.format(Locale.ROOT,
            "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ccc\""
                + " stroke-dasharray=\"2,3\"/>\n", x, top, x, bottom));
        g.append(String.format(Locale.ROOT,
            "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" fill=\"#666\" text-anchor=\"middle\">%s"
                + "</text>\n", x, bottom + 10,
            String.format(Locale.ROOT, "%,.0f", Math.pow(10, e))));
      }
      return g.toString();
    }
  }

  private static String ratioSuffix(Optional<Double> vsTiercache, boolean isTiercache) {
    return isTiercache ? "" : vsTiercache.map(v -> "  (" + Formats.ratio(Optional.of(v))
        + " tiercache)").orElse("");
  }

  private static String text(int x, int y, int size, String weight, String content) {
    return "<text x=\"" + x + "\" y=\"" + y + "\" font-size=\"" + size + "\" font-weight=\""
        + weight + "\">" + escape(content) + "</text>\n";
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
