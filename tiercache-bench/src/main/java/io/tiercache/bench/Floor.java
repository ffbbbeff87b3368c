package io.tiercache.bench;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the benchmark that is the floor of its class: the least any cache could cost for that
 * scenario (a bare map lookup, the raw client's round trip, the uncached computation). The report
 * generator ({@code io.tiercache.bench.report}) divides every other score of the same class,
 * parameters and thread count by the floor's score.
 *
 * <p>With a {@link #value()}, it names the floor of the annotated benchmark instead: a benchmark
 * whose fair floor is not the class's (a two-tag read, whose floor is a three-key MGET).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Floor {
  /** Empty: this method is the floor. Otherwise: the name of this method's floor method. */
  String value() default "";
}
