package io.tiercache.bench;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * One line on what a benchmark class measures, for the report: the report generator prints it
 * under the class's heading. A class without it is reported all the same, without the line.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Scenario {
  /** What the class measures, in a sentence of Markdown. */
  String value();
}
