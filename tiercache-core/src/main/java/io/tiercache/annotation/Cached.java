package io.tiercache.annotation;

import io.tiercache.L1Policy;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Caches a method's results in two layers, like a cached function: the proxy that
 * {@code TierCache.proxy(type, target)} makes serves the method from L1, then L2, then calls the
 * target. Templates ({@link #key()}, {@link #tags()}, {@link #prefix()}) are parsed and checked
 * when the proxy is made: a name the method does not have fails then, with the method and the name
 * in the message.
 *
 * <pre>{@code
 * interface UserService {
 *   @Cached(key = "users_by_state:{state}", tags = "users_by_states", ttl = "10m")
 *   List<User> usersByState(String state);
 *
 *   @Cached(key = "{this.id}:friends_count")   // a cached property, per receiver
 *   int friendsCount();
 * }
 * }</pre>
 *
 * <p>Unset attributes take the class's {@link CacheDefaults}, then tiercache's defaults.
 *
 * <h2>Receivers</h2>
 *
 * <p>A proxy's cached function takes the receiver (the proxied target) as its first argument. L1
 * keeps two receivers apart exactly where their keys can differ, or one receiver's value would be
 * served to another from L1 while their L2 keys differ (issue 12, case 9). So a receiver's identity
 * in L1 is its {@link #instanceKey()} followed by every {@code {this...}} that the {@link #key()},
 * {@link #keyParams()} ({@code "this.tenant"}), {@link #prefix()} or {@link #tags()} templates read
 * (the class's defaults included), rendered as those templates render it; with none of them,
 * receivers share entries. A {@link #keyFunction()} is given the whole receiver, and what it reads
 * cannot be seen: a method with one must declare an instance key, naming what the function reads
 * of the receiver ({@code instanceKey = "{this.tenant}"}) or {@link #SHARED_RECEIVERS} if it reads
 * nothing of it; without one the proxy is refused when made, with a message naming the method.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Cached {
  /** Marks an unset {@link #l1MaxSize()}. */
  long INHERIT = Long.MIN_VALUE;
  /** An {@link #l1MaxSize()} without bound. */
  long UNBOUNDED = -1;

  /**
   * An {@link #instanceKey()} that says receivers share entries as far as the key function goes:
   * what the templates read of the receiver still keeps receivers apart. Any template without
   * placeholders means the same; entries then use the default key as if no instance key were given.
   */
  String SHARED_RECEIVERS = "shared";

  /**
   * The function's name (its identity in default L2 keys); default {@code SimpleClassName.method}
   * ({@code SimpleClassName.method-N} for an overload with N parameters).
   *
   * @return the function's name, or empty for the default
   */
  String name() default "";

  /**
   * A key template over the parameters: {@code "users_by_state:{state}"}, {@code "{user.id}"},
   * {@code "{this.id}:friends"}, {@code "{0}"}. Default: the function name and all arguments.
   *
   * @return the key template, or empty for the default key
   */
  String key() default "";

  /**
   * A key as a list of parameter names, the same as joining {@code {name}}s with {@code :}; a name
   * may be a property path, also of the receiver ({@code {"this.tenant", "id"}}), which then keeps
   * receivers apart in L1 as well.
   *
   * @return the parameter names of the key; empty for the default key
   */
  String[] keyParams() default {};

  /**
   * A key computed by a class with a public no-argument constructor. It is given the receiver, so
   * the method needs an {@link #instanceKey()} (on it or on the class) that names what the function
   * reads of the receiver, or {@link #SHARED_RECEIVERS}; see "Receivers" above.
   *
   * @return the key function's class; {@code KeyFunction.class} for none
   */
  Class<? extends KeyFunction> keyFunction() default KeyFunction.class;

  /**
   * A fixed lifetime: {@code "60s"}, {@code "10m"}, {@code "2h"}, {@code "1d"}, {@code "500ms"} or ISO-8601.
   *
   * @return the lifetime, or empty for the class default
   */
  String ttl() default "";

  /**
   * A lifetime computed from the call by a class with a public no-argument constructor.
   *
   * @return the lifetime function's class; {@code TtlFunction.class} for none
   */
  Class<? extends TtlFunction> ttlFunction() default TtlFunction.class;

  /**
   * A random extra lifetime in {@code [0, jitter]} per entry; needs a ttl.
   *
   * @return the most extra lifetime, or empty for the class default
   */
  String jitter() default "";

  /**
   * Tag templates: {@code "users_by_states"}, {@code "user:{user.email}"}. A tag is the plain text
   * the template renders, each value written as its own text: {@code "user:{user.email}"} with
   * email {@code ann@example.com} is the tag {@code invalidateTags("user:ann@example.com")} names.
   *
   * @return the tag templates; empty for none
   */
  String[] tags() default {};

  /**
   * Tags computed from the call and the returned value, by a class with a public no-argument constructor.
   *
   * @return the tags function's class; {@code TagsFunction.class} for none
   */
  Class<? extends TagsFunction> tagsFunction() default TagsFunction.class;

  /**
   * A prefix template, both a key prefix and a tag: {@code "shop:{this.id}"}; plain text, as for
   * {@link #tags()}, so {@code invalidatePrefix("shop:" + id)} names it.
   *
   * @return the prefix template, or empty for the class default
   */
  String prefix() default "";

  /**
   * What identifies the receiver in keys: a template over {@code this}, e.g. {@code "{this.id}"},
   * or {@link #SHARED_RECEIVERS}. It is the receiver's part of the default key; in L1, what the
   * key, prefix and tag templates read of the receiver is added to it (see "Receivers" above).
   * Default: receivers share entries (a service proxy usually has one target), except as far as
   * the templates read the receiver; required with a {@link #keyFunction()}.
   *
   * @return the instance key template, or empty for the class default
   */
  String instanceKey() default "";

  /**
   * L1 bound; {@link #UNBOUNDED} for none, 0 for no L1.
   *
   * @return the L1 bound, or {@link #INHERIT} for the class default
   */
  long l1MaxSize() default INHERIT;

  /**
   * Which entries a full L1 keeps, at most one: {@code l1Policy = L1Policy.W_TINY_LFU} for
   * Caffeine's admission by frequency (a higher hit ratio on skewed workloads; needs a bounded L1).
   * Empty (the default) takes the class's {@link CacheDefaults#l1Policy()}, then
   * {@link L1Policy#LRU}. An array only so that "unset" can be told apart; two values
   * are refused when the proxy is made.
   *
   * @return the policy, or empty for the class default
   */
  L1Policy[] l1Policy() default {};

  /**
   * Store null results.
   *
   * @return true to cache null results
   */
  boolean cacheNulls() default false;

  /**
   * Numbers of different types are different arguments.
   *
   * @return true to keep numbers of different types apart
   */
  boolean typed() default false;

  /**
   * The backend alias; default as for functions ({@code l2cache}, else {@code default}).
   *
   * @return the backend alias, or empty for the default
   */
  String backend() default "";

  /**
   * No L2 for this method.
   *
   * @return true for no L2
   */
  boolean l1Only() default false;

  /**
   * A stampede lease across processes: when several processes miss the same entry at once, one
   * computes and the others wait up to this long for its result, e.g. {@code "200ms"}; then they
   * compute themselves. {@code "none"} turns off a lease inherited from {@link CacheDefaults}. The
   * backend must offer leases (in-memory, Redis, memcached), or the proxy is refused when made.
   *
   * @return the lease wait, {@code "none"}, or empty for the class default
   */
  String lease() default "";

  /**
   * How long a lease lasts if its holder never releases it; default 3 times {@link #lease()}.
   * Needs a lease, and must not be shorter than it.
   *
   * @return the lease TTL, or empty for the default
   */
  String leaseTtl() default "";
}
