package io.tiercache.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The machine the report is generated on (the one the benchmarks ran on: {@code scripts/bench}
 * does both): CPU model and the cores the JVM sees, operating system.
 *
 * @param cpuModel the CPU's model name, or "unknown"
 * @param cores the processors available to the JVM
 * @param os operating system name, version and architecture
 */
public record Machine(String cpuModel, int cores, String os) {

  /** This machine. */
  public static Machine current() {
    return new Machine(cpuModel(Path.of("/proc/cpuinfo")).orElse("unknown"),
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
            + System.getProperty("os.arch"));
  }

  /** The first {@code model name} of a Linux {@code /proc/cpuinfo}. */
  static Optional<String> cpuModel(Path cpuinfo) {
    try {
      return Files.readAllLines(cpuinfo).stream().filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
