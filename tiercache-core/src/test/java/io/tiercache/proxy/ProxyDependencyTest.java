package io.tiercache.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The front door depends on the proxy machinery, never the reverse: no class of the proxy package
 * refers to {@code TierCache} (it builds functions through a {@link FunctionFactory}).
 */
class ProxyDependencyTest {

  @Test
  void noClassOfTheProxyPackageRefersToTierCache() throws IOException, URISyntaxException {
    Path classes = Path.of(MethodCaches.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path proxyPackage = classes.resolve(MethodCaches.class.getPackageName().replace('.', '/'));
    List<Path> classFiles;
    try (Stream<Path> files = Files.list(proxyPackage)) {
      classFiles = files.filter(f -> f.toString().endsWith(".class")).sorted().toList();
    }
    assertThat(classFiles).as("the proxy package's classes").extracting(f -> f.getFileName().toString())
        .contains("MethodCaches.class", "Proxies.class", "FunctionFactory.class");

    for (Path classFile : classFiles) {
      // class names in the constant pool are stored in internal form, in modified UTF-8
      String constants = new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1);
      assertThat(constants).as(classFile.getFileName() + " refers to TierCache")
          .doesNotContain("io/tiercache/TierCache");
    }
  }
}
