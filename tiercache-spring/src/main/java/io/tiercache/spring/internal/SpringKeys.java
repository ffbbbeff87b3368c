package io.tiercache.spring.internal;

import java.lang.reflect.Field;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.RandomAccess;
import org.springframework.cache.interceptor.SimpleKey;

/**
 * What a Spring cache key becomes in tiercache: the key itself, except Spring's {@link SimpleKey}
 * (the key of a method with no or several parameters under the default {@code SimpleKeyGenerator}),
 * which becomes the unmodifiable list of its parameters. A {@code SimpleKey} has equality but no
 * text that means the same in every JVM ({@code toString} joins the parameters with commas, so
 * {@code ("a,b")} and {@code ("a", "b")} would meet); a list of parameters is encoded element by
 * element, with tiercache's own stable encoding. {@code SimpleKey} keeps its parameters private, so
 * they are read through its field.
 *
 * <p>This is on every {@code @Cacheable} call, L1 hits included, so the list is a view of the
 * {@code SimpleKey}'s own array, not a copy: a {@code SimpleKey} copies the parameters it is given
 * and never changes them, and nothing here writes them.
 */
public final class SpringKeys {
  private static final Field PARAMS = paramsField();

  private SpringKeys() {}

  private static Field paramsField() {
    try {
      Field field = SimpleKey.class.getDeclaredField("params");
      field.setAccessible(true);
      return field;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null; // reported at the first SimpleKey, with what to do instead
    }
  }

  /**
   * The tiercache key of a Spring key.
   *
   * @param key the key Spring's key generator or a {@code key} expression made
   * @return {@code key}, or the list of a {@code SimpleKey}'s parameters
   * @throws IllegalStateException for a {@code SimpleKey} whose parameters cannot be read
   */
  public static Object of(Object key) {
    if (!(key instanceof SimpleKey simple)) {
      return key;
    }
    if (PARAMS == null) {
      throw new IllegalStateException("cannot read the parameters of Spring's SimpleKey " + simple
          + " (this Spring version changed it): give the cached method a key expression or a "
          + "KeyGenerator that returns a List of the parameters");
    }
    try {
      return new Params((Object[]) PARAMS.get(simple));
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("cannot read the parameters of Spring's SimpleKey " + simple, e);
    }
  }

  /**
   * A {@code SimpleKey}'s parameters as an unmodifiable list over its array: a {@link java.util.List}
   * in every respect (equality and hash with any list, encoding element by element), with equality
   * and hash that walk the array without an iterator.
   */
  static final class Params extends AbstractList<Object> implements RandomAccess {
    private final Object[] params;

    Params(Object[] params) {
      this.params = params;
    }

    @Override
    public Object get(int index) {
      return params[index];
    }

    @Override
    public int size() {
      return params.length;
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(params); // List's hash: element by element, as List.hashCode says
    }

    @Override
    public boolean equals(Object o) {
      if (o instanceof Params other) {
        return Arrays.equals(params, other.params); // List's equality: Objects.equals per element
      }
      return super.equals(o);
    }
  }
}
