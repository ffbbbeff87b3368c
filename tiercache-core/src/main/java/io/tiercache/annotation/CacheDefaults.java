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
  /**
   * Default prefix template of every method.
   *
   * @return the prefix template, or empty for none
   */
  String prefix() default "";

  /**
   * Tags added to every method's own.
   *
   * @return the tag templates; empty for none
   */
  String[] tags() default {};

  /**
   * Default ttl of every method.
   *
   * @return the lifetime, or empty for forever
   */
  String ttl() default "";

  /**
   * Default jitter of every method.
   *
   * @return the most extra lifetime, or empty for none
   */
  String jitter() default "";

  /**
   * Default backend alias of every method.
   *
   * @return the backend alias, or empty for the default
   */
  String backend() default "";

  /**
   * Default L1 bound of every method.
   *
   * @return the L1 bound, or {@link Cached#INHERIT} for the built-in default
   */
  long l1MaxSize() default Cached.INHERIT;

  /**
   * Default L1 policy of every method, at most one (see {@link Cached#l1Policy()}).
   *
   * @return the policy, or empty for {@link L1Policy#LRU}
   */
  L1Policy[] l1Policy() default {};

  /**
   * Default instance key template of every method (see {@link Cached#instanceKey()}); e.g.
   * {@link Cached#SHARED_RECEIVERS} once for a class whose key functions do not read the receiver.
   *
   * @return the instance key template, or empty for none
   */
  String instanceKey() default "";

  /**
   * Default stampede lease wait of every method (see {@link Cached#lease()}).
   *
   * @return the lease wait, or empty for no lease
   */
  String lease() default "";

  /**
   * Default lease TTL of every method (see {@link Cached#leaseTtl()}).
   *
   * @return the lease TTL, or empty for the default
   */
  String leaseTtl() default "";
}
