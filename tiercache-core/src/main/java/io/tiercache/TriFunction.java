package io.tiercache;

/**
 * A function of three arguments, the missing sibling of {@link java.util.function.BiFunction}.
 */
@FunctionalInterface
public interface TriFunction<A, B, C, R> {
  /** Applies this function. */
  R apply(A a, B b, C c);
}
