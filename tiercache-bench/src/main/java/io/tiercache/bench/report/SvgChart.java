package io.tiercache.bench.report;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A horizontal bar chart of some groups' scores, as a standalone SVG: one bar per result, its JMH
 * error as a whisker, tiercache's bars in blue, the floor in grey, peers in orange. Each group has
 * its own scale (its largest score plus error), so bars compare within a group only, as ratios do.
 */
public final class SvgChart {
  private static final int WIDTH = 980;
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
      double max = group.results().stream()
          .mapToDouble(r -> r.score() + (Double.isNaN(r.error()) ? 0 : r.error())).max().orElse(1);
      for (Group.Row row : group.rows(roles)) {
        y += ROW_HEIGHT;
        body.append(bar(row, group, y, max));
      }
      y += 6;
    }
    int height = y + 30;
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + WIDTH + "\" height=\"" + height
        + "\" viewBox=\"0 0 " + WIDTH + " " + height + "\" font-family=\"sans-serif\">\n"
        + "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        + text(10, 22, 15, "bold", title)
        + body
        + text(10, height - 10, 11, "normal", "blue: tiercache, grey: floor, orange: peers;"
            + " whiskers: JMH score error (99.9%); shorter is faster")
        + "</svg>\n";
  }

  private String bar(Group.Row row, Group group, int y, double max) {
    Result r = row.result();
    boolean floor = roles.floorOf(group.className(), r.method(), m -> group.find(m).isPresent())
        .map(r.method()::equals).orElse(false);
    String colour = r.isTiercache() ? "#2b7bb9" : floor ? "#9e9e9e" : "#f0a030";
    double scale = BAR_WIDTH / max;
    double w = Math.max(1, r.score() * scale);
    StringBuilder s = new StringBuilder();
    s.append(text(10, y - 6, 12, "normal", r.method()));
    s.append(String.format(Locale.ROOT,
        "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>\n",
        LABEL_WIDTH, y - 17, w, ROW_HEIGHT - 6, colour));
    if (!Double.isNaN(r.error()) && r.error() > 0) {
      double lo = LABEL_WIDTH + Math.max(0, r.score() - r.error()) * scale;
      double hi = LABEL_WIDTH + (r.score() + r.error()) * scale;
      s.append(String.format(Locale.ROOT,
          "<path d=\"M%.1f %d H%.1f M%.1f %d V%d M%.1f %d V%d\" stroke=\"#333\"/>\n",
          lo, y - 9, hi, lo, y - 13, y - 5, hi, y - 13, y - 5));
    }
    String label = Formats.score(r.score()) + " " + r.unit()
        + ratioSuffix(row.vsTiercache(), r.isTiercache());
    s.append(text(LABEL_WIDTH + BAR_WIDTH + 10, y - 6, 12, "normal", label));
    return s.toString();
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
