package io.tiercache;

/**
 * A function of any number of arguments, given as an array: the generic form used for methods and
 * for arities above three.
 */
@FunctionalInterface
public interface ArgsFunction<R> {
  /** Applies this function to the arguments, in declaration order. */
  R apply(Object[] args);
}
