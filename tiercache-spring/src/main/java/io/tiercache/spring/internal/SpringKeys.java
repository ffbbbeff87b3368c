package io.tiercache.spring.internal;

import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.Collections;
import org.springframework.cache.interceptor.SimpleKey;

/**
 * What a Spring cache key becomes in tiercache: the key itself, except Spring's {@link SimpleKey}
 * (the key of a method with no or several parameters under the default {@code SimpleKeyGenerator}),
 * which becomes the unmodifiable list of its parameters. A {@code SimpleKey} has equality but no
 * text that means the same in every JVM ({@code toString} joins the parameters with commas, so
 * {@code ("a,b")} and {@code ("a", "b")} would meet); a list of parameters is encoded element by
 * element, with tiercache's own stable encoding. {@code SimpleKey} keeps its parameters private, so
 * they are read once per key through its field.
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
      Object[] params = (Object[]) PARAMS.get(simple);
      return Collections.unmodifiableList(Arrays.asList(params.clone()));
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("cannot read the parameters of Spring's SimpleKey " + simple, e);
    }
  }
}
