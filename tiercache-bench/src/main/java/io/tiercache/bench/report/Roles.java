package io.tiercache.bench.report;

import io.tiercache.bench.Floor;
import io.tiercache.bench.Scenario;
import java.lang.reflect.Method;
import java.util.Optional;

/**
 * What the benchmark classes say about their methods, read by reflection: which method is a
 * benchmark's floor ({@link Floor}) and what a class measures ({@link Scenario}). A class that is
 * not on the class path (results of another version) has neither; its rows are still reported.
 */
public final class Roles {
  private final ClassLoader loader;

  /** Reads the classes through {@code loader}. */
  public Roles(ClassLoader loader) {
    this.loader = loader;
  }

  /**
   * The floor of {@code method} of {@code className}: the method its {@link Floor#value()} names,
   * else the class's method marked {@code @Floor} whose threads match ({@code sameThreads}).
   */
  public Optional<String> floorOf(String className, String method, FloorCandidates sameGroup) {
    Optional<Class<?>> type = load(className);
    if (type.isEmpty()) {
      return Optional.empty();
    }
    for (Method m : type.get().getMethods()) {
      Floor floor = m.getAnnotation(Floor.class);
      if (m.getName().equals(method) && floor != null && !floor.value().isEmpty()) {
        return Optional.of(floor.value());
      }
    }
    for (Method m : type.get().getMethods()) {
      Floor floor = m.getAnnotation(Floor.class);
      if (floor != null && floor.value().isEmpty() && sameGroup.contains(m.getName())) {
        return Optional.of(m.getName());
      }
    }
    return Optional.empty();
  }

  /** The class's {@link Scenario} line, if it has one. */
  public Optional<String> scenarioOf(String className) {
    return load(className).map(c -> c.getAnnotation(Scenario.class)).map(Scenario::value);
  }

  private Optional<Class<?>> load(String className) {
    try {
      return Optional.of(Class.forName(className, false, loader));
    } catch (ClassNotFoundException | LinkageError e) {
      return Optional.empty();
    }
  }

  /** The methods that ran in one group: a floor is looked for among them. */
  @FunctionalInterface
  public interface FloorCandidates {
    /** Did {@code method} run in the group? */
    boolean contains(String method);
  }
}
