package io.tiercache;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Map;
import java.util.Objects;

/**
 * The declared type of a cached function's result. Values read from L2 are decoded into this type
 * and nothing else: no class named inside cache data is loaded unless this type allows it.
 *
 * <p>For a plain class use {@link #of(Class)}; for a generic type capture it with an anonymous
 * subclass: {@code new ValueType<List<User>>() {}}.
 *
 * @param <T> the result type
 */
public class ValueType<T> {
  private static final Map<Class<?>, Class<?>> BOXES = Map.of(
      boolean.class, Boolean.class, byte.class, Byte.class, short.class, Short.class,
      char.class, Character.class, int.class, Integer.class, long.class, Long.class,
      float.class, Float.class, double.class, Double.class, void.class, Void.class);

  private final Type type;

  /** Captures {@code T} from an anonymous subclass: {@code new ValueType<List<User>>() {}}. */
  protected ValueType() {
    Type superclass = getClass().getGenericSuperclass();
    if (!(superclass instanceof ParameterizedType parameterized)) {
      throw new IllegalStateException(
          "ValueType must be created as new ValueType<YourType>() {} with a concrete type argument");
    }
    this.type = parameterized.getActualTypeArguments()[0];
  }

  private ValueType(Type type) {
    this.type = type;
  }

  /**
   * The type of a plain class; primitive classes become their boxes ({@code int.class} -> Integer).
   *
   * @param <T> the class's type
   * @param type the class, primitive or not
   * @return the value type of {@code type} (boxed)
   */
  @SuppressWarnings("unchecked")
  public static <T> ValueType<T> of(Class<T> type) {
    Objects.requireNonNull(type, "type");
    return new ValueType<>((Class<T>) BOXES.getOrDefault(type, type));
  }

  /**
   * A type given as a reflective {@link Type}, e.g. a method's generic return type.
   *
   * @param type the reflective type
   * @return the value type of {@code type}
   */
  public static ValueType<Object> ofType(Type type) {
    Objects.requireNonNull(type, "type");
    return new ValueType<>(type instanceof Class<?> c ? BOXES.getOrDefault(c, c) : type);
  }

  /**
   * The reflective type.
   *
   * @return the captured generic type
   */
  public Type type() {
    return type;
  }

  /**
   * The erased class of the type: decoded values are always instances of it.
   *
   * @return the erased class
   */
  public Class<?> rawClass() {
    if (type instanceof Class<?> c) {
      return c;
    }
    if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c) {
      return c;
    }
    return Object.class;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ValueType<?> other && type.equals(other.type);
  }

  @Override
  public int hashCode() {
    return type.hashCode();
  }

  @Override
  public String toString() {
    return type.getTypeName();
  }
}
