package io.tiercache;

/**
 * A function of three arguments, the missing sibling of {@link java.util.function.BiFunction}.
 *
 * @param <A> the type of the first argument
 * @param <B> the type of the second argument
 * @param <C> the type of the third argument
 * @param <R> the result type
 */
@FunctionalInterface
public interface TriFunction<A, B, C, R> {
  /**
   * Applies this function.
   *
   * @param a the first argument
   * @param b the second argument
   * @param c the third argument
   * @return the function's result for these arguments
   */
  R apply(A a, B b, C c);
}
