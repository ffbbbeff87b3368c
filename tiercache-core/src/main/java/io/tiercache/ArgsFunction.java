package io.tiercache;

/**
 * A function of any number of arguments, given as an array: the generic form used for methods and
 * for arities above three.
 *
 * @param <R> the result type
 */
@FunctionalInterface
public interface ArgsFunction<R> {
  /**
   * Applies this function to the arguments, in declaration order.
   *
   * @param args the arguments, one element per parameter
   * @return the function's result for these arguments
   */
  R apply(Object[] args);
}
