package io.tiercache;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What core's module descriptor exports: the API and SPI packages to everyone, the machinery to
 * no one but the shared logger to the Redis module (tests run on the class path, so this reads the compiled descriptor itself).
 */
class ModuleDescriptorTest {
  @Test
  void onlyTheApiAndSpiPackagesAreExported() throws IOException {
    ModuleDescriptor module;
    try (InputStream in = Files.newInputStream(Path.of("target/classes/module-info.class"))) {
      module = ModuleDescriptor.read(in);
    }
    assertThat(module.name()).isEqualTo("io.tiercache.core");
    var exports = module.exports().stream().collect(Collectors.toMap(
        ModuleDescriptor.Exports::source, ModuleDescriptor.Exports::targets, (a, b) -> a,
        TreeMap::new));
    assertThat(exports).isEqualTo(new TreeMap<>(java.util.Map.of(
        "io.tiercache", Set.of(),
        "io.tiercache.annotation", Set.of(),
        "io.tiercache.backend", Set.of(),
        "io.tiercache.codec", Set.of(),
        "io.tiercache.coherence", Set.of(),
        "io.tiercache.lease", Set.of(),
        "io.tiercache.internal.log", Set.of("io.tiercache.redis"))));
    assertThat(module.packages()).allMatch(p -> exports.containsKey(p)
        || p.startsWith("io.tiercache.internal."), "every package is API, SPI or internal");
  }
}
