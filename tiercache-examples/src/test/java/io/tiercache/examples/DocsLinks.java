package io.tiercache.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the relative links of Markdown files that do not resolve inside a repository: a missing
 * file, a path that leaves the repository, or an anchor that names no heading of the Markdown file
 * it points to (headings turned into anchors as GitHub does). Links inside code blocks and code
 * spans are not links; links with a scheme ({@code https:}, {@code mailto:}) are not checked.
 */
final class DocsLinks {

  /** One relative link as written, with where it was found. */
  record Link(Path file, int line, String target) {}

  private static final Pattern INLINE = Pattern.compile("!?\\[[^\\]]*\\]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
  private static final Pattern REFERENCE = Pattern.compile("^\\s{0,3}\\[[^\\]]+\\]:\\s*<?([^\\s>]+)>?");
  private static final Pattern CODE_SPAN = Pattern.compile("(`+)(.+?)\\1");
  private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");
  private static final Pattern HEADING = Pattern.compile("^\\s{0,3}(#{1,6})\\s+(.*?)\\s*#*\\s*$");
  private static final Pattern LINK_TEXT = Pattern.compile("!?\\[([^\\]]*)\\]\\([^)]*\\)");

  private final Path root;
  private final Map<Path, Set<String>> anchors = new HashMap<>();

  DocsLinks(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  /** The relative links of a Markdown file, in order. */
  List<Link> relativeLinks(Path file) {
    List<Link> links = new ArrayList<>();
    List<String> lines = read(file);
    boolean fenced = false;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (isFence(line)) {
        fenced = !fenced;
        continue;
      }
      if (fenced) {
        continue;
      }
      String text = CODE_SPAN.matcher(line).replaceAll("");
      Matcher reference = REFERENCE.matcher(text);
      if (reference.find()) {
        addIfRelative(links, file, i + 1, reference.group(1));
      }
      Matcher inline = INLINE.matcher(text);
      while (inline.find()) {
        addIfRelative(links, file, i + 1, inline.group(1));
      }
    }
    return links;
  }

  /** Why a link does not resolve, or null when it does. */
  String problem(Link link) {
    String target = link.target();
    int hash = target.indexOf('#');
    String path = hash < 0 ? target : target.substring(0, hash);
    String anchor = hash < 0 ? null : target.substring(hash + 1);
    if (path.startsWith("/")) {
      return "an absolute path: links must be relative to the file";
    }
    Path resolved = path.isEmpty() ? link.file() : link.file().getParent().resolve(path).normalize();
    if (!resolved.toAbsolutePath().normalize().startsWith(root)) {
      return "leaves the repository";
    }
    if (!Files.exists(resolved)) {
      return "no such file: " + root.relativize(resolved.toAbsolutePath().normalize());
    }
    if (anchor != null && resolved.toString().endsWith(".md")
        && !anchorsOf(resolved).contains(anchor)) {
      return "no heading with anchor #" + anchor + " in " + root.relativize(resolved.toAbsolutePath().normalize());
    }
    return null;
  }

  /** The anchors GitHub gives the headings of a Markdown file. */
  Set<String> anchorsOf(Path file) {
    return anchors.computeIfAbsent(file.toAbsolutePath().normalize(), f -> {
      Set<String> found = new HashSet<>();
      Map<String, Integer> seen = new HashMap<>();
      boolean fenced = false;
      for (String line : read(f)) {
        if (isFence(line)) {
          fenced = !fenced;
          continue;
        }
        Matcher heading = HEADING.matcher(line);
        if (!fenced && heading.matches()) {
          String slug = slug(heading.group(2));
          int n = seen.merge(slug, 1, Integer::sum) - 1;
          found.add(n == 0 ? slug : slug + "-" + n);
        }
      }
      return found;
    });
  }

  /** GitHub's anchor of a heading: its text, lower case, without punctuation, spaces as hyphens. */
  static String slug(String heading) {
    String text = LINK_TEXT.matcher(heading).replaceAll("$1").replace("`", "");
    return text.toLowerCase(Locale.ROOT)
        .replaceAll("[^\\p{L}\\p{M}\\p{N}\\p{Pc} -]", "")
        .replace(' ', '-');
  }

  private static boolean isFence(String line) {
    String text = line.strip();
    return text.startsWith("```") || text.startsWith("~~~");
  }

  private static void addIfRelative(List<Link> links, Path file, int line, String target) {
    if (!SCHEME.matcher(target).find()) {
      links.add(new Link(file, line, target));
    }
  }

  private static List<String> read(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
