package io.tiercache.annotation;

import io.tiercache.L1Policy;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Options shared by every {@link Cached} method of a class or interface, declared once (like
 * easy_cache's {@code partial(ecached, prefix='shop:{self.id}')}). A method's own attribute wins;
 * tags are added to the method's own.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface CacheDefaults {
  /** Default prefix template of every method. */
  String prefix() default "";

  /** Tags added to every method's own. */
  String[] tags() default {};

  /** Default ttl of every method. */
  String ttl() default "";

  /** Default jitter of every method. */
  String jitter() default "";

  /** Default backend alias of every method. */
  String backend() default "";

  /** Default L1 bound of every method. */
  long l1MaxSize() default Cached.INHERIT;

  /** Default L1 policy of every method, at most one (see {@link Cached#l1Policy()}). */
  L1Policy[] l1Policy() default {};

  /**
   * Default instance key template of every method (see {@link Cached#instanceKey()}); e.g.
   * {@link Cached#SHARED_RECEIVERS} once for a class whose key functions do not read the receiver.
   */
  String instanceKey() default "";

  /** Default stampede lease wait of every method (see {@link Cached#lease()}). */
  String lease() default "";

  /** Default lease TTL of every method (see {@link Cached#leaseTtl()}). */
  String leaseTtl() default "";
}
