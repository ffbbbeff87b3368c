package io.tiercache;

/**
 * An argument of a cached call has no stable encoding, so it cannot be part of a cache key that
 * means the same thing in every JVM. Thrown before anything is computed or stored.
 *
 * <p>Supported out of the box: null, strings, characters, booleans, boxed numbers, BigInteger,
 * BigDecimal, enums, UUIDs, java.time values, records, lists, sets, maps, arrays and Optional of
 * supported values. Register an encoder for anything else with
 * {@link TierCache.Builder#keyEncoder(Class, java.util.function.Function)}.
 */
public class UnencodableArgumentException extends IllegalArgumentException {
  private final transient Class<?> argumentType;

  /**
   * Creates the exception for the given unsupported type.
   *
   * @param message what went wrong, naming the function and argument
   * @param argumentType the argument's type with no stable encoding
   */
  public UnencodableArgumentException(String message, Class<?> argumentType) {
    super(message);
    this.argumentType = argumentType;
  }

  /**
   * The type that has no stable encoding.
   *
   * @return the argument's class
   */
  public Class<?> argumentType() {
    return argumentType;
  }
}
