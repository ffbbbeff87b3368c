package io.tiercache.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every relative link of the README, the CHANGELOG and the guides under docs/ resolves in the repository. */
class DocsLinksTest {

  @Test
  void everyRelativeLinkOfTheReadmeAndTheGuidesResolvesInsideTheRepository() throws IOException {
    Path root = repositoryRoot();
    DocsLinks docs = new DocsLinks(root);
    List<Path> files = new ArrayList<>(List.of(root.resolve("README.md"), root.resolve("CHANGELOG.md")));
    try (Stream<Path> guides = Files.list(root.resolve("docs"))) {
      guides.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
    }
    List<String> broken = new ArrayList<>();
    int checked = 0;
    for (Path file : files) {
      for (DocsLinks.Link link : docs.relativeLinks(file)) {
        checked++;
        String problem = docs.problem(link);
        if (problem != null) {
          broken.add(root.relativize(file) + ":" + link.line() + ": (" + link.target() + ") " + problem);
        }
      }
    }
    assertThat(broken).as("broken links").isEmpty();
    // the README links every guide, so a parser that found nothing would fail here
    assertThat(docs.relativeLinks(root.resolve("README.md")).stream().map(DocsLinks.Link::target)
        .collect(Collectors.toSet()))
        .contains("docs/functions.md", "docs/declarative.md", "docs/tags.md", "docs/async.md",
            "docs/redis.md", "docs/memcached.md", "docs/coherence.md", "docs/operations.md",
            "docs/writing-a-backend.md", "docs/design-notes.md", "docs/benchmarks.md",
            "docs/architecture.md", "CHANGELOG.md");
    assertThat(checked).isGreaterThan(50);
  }

  @Test
  void aLinkToAMissingFileIsReported(@TempDir Path root) throws IOException {
    Path readme = write(root.resolve("README.md"), "see [the guide](docs/guide.md) and [the other](docs/other.md)");
    write(root.resolve("docs/guide.md"), "# Guide");
    DocsLinks docs = new DocsLinks(root);

    assertThat(docs.relativeLinks(readme)).extracting(l -> docs.problem(l))
        .containsExactly(null, "no such file: docs/other.md");
  }

  @Test
  void anAnchorThatNamesNoHeadingIsReported(@TempDir Path root) throws IOException {
    Path readme = write(root.resolve("README.md"),
        "[a](docs/guide.md#cached-reference) [b](docs/guide.md#speed-1) [c](docs/guide.md#speed-2) [d](#top) [e](#nowhere)\n\n# Top");
    write(root.resolve("docs/guide.md"), "# Guide\n\n## `@Cached` reference\n\n## Speed\n\n## Speed");
    DocsLinks docs = new DocsLinks(root);

    assertThat(docs.relativeLinks(readme)).extracting(l -> docs.problem(l)).containsExactly(
        null, null, "no heading with anchor #speed-2 in docs/guide.md", null,
        "no heading with anchor #nowhere in README.md");
  }

  @Test
  void linksThatLeaveTheRepositoryOrAreAbsoluteAreReported(@TempDir Path root) throws IOException {
    Path repo = root.resolve("repo");
    write(root.resolve("shared/notes.md"), "# Notes");
    Path readme = write(repo.resolve("README.md"), "[a](../shared/notes.md) [b](/README.md)");
    DocsLinks docs = new DocsLinks(repo);

    assertThat(docs.relativeLinks(readme)).extracting(l -> docs.problem(l)).containsExactly(
        "leaves the repository", "an absolute path: links must be relative to the file");
  }

  @Test
  void codeAndUrlsAreNotCheckedAndReferenceLinksAre(@TempDir Path root) throws IOException {
    Path readme = write(root.resolve("README.md"), String.join("\n",
        "`[x](missing.md)` and ``[y](missing.md)`` are code; [site](https://example.com/a.md) is a URL",
        "```", "[z](missing.md)", "```",
        "![chart](docs/chart.svg) [ref]: docs/ref.md",
        "[ref]: docs/ref.md"));
    DocsLinks docs = new DocsLinks(root);

    assertThat(docs.relativeLinks(readme)).extracting(DocsLinks.Link::line, DocsLinks.Link::target)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(5, "docs/chart.svg"),
            org.assertj.core.groups.Tuple.tuple(6, "docs/ref.md"));
  }

  @Test
  void headingsBecomeGitHubAnchors() {
    assertThat(DocsLinks.slug("`@Cached` reference")).isEqualTo("cached-reference");
    assertThat(DocsLinks.slug("memcached's rules, handled")).isEqualTo("memcacheds-rules-handled");
    assertThat(DocsLinks.slug("Issue 13 targets: where we stand")).isEqualTo("issue-13-targets-where-we-stand");
    assertThat(DocsLinks.slug("Tags, prefixes and explicit keys")).isEqualTo("tags-prefixes-and-explicit-keys");
    assertThat(DocsLinks.slug("The [README](../README.md) demo")).isEqualTo("the-readme-demo");
  }

  /** The directory above the module's that holds the README and docs/ (surefire runs in the module). */
  private static Path repositoryRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("README.md")) && Files.isDirectory(dir.resolve("docs"))
          && Files.isDirectory(dir.resolve("tiercache-examples"))) {
        return dir;
      }
    }
    throw new AssertionError("no repository root (README.md, docs/, tiercache-examples/) above "
        + Path.of("").toAbsolutePath());
  }

  private static Path write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.writeString(file, text);
  }
}
