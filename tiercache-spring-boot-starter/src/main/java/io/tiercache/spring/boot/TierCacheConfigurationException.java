package io.tiercache.spring.boot;

import java.util.Objects;

/**
 * A {@code tiercache.*} property is wrong: thrown while the context starts, so the application
 * fails at once instead of caching wrongly. The message starts with the property's full name; the
 * starter's failure analyzer prints it with what to change.
 */
public final class TierCacheConfigurationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The full name of the wrong property, e.g. {@code tiercache.caches.users.ttl}. */
  private final String property;

  /**
   * A wrong property.
   *
   * @param property the property's full name, e.g. {@code tiercache.caches.users.ttl}
   * @param problem what is wrong with it
   */
  public TierCacheConfigurationException(String property, String problem) {
    super(Objects.requireNonNull(property, "property") + ": " + Objects.requireNonNull(problem, "problem"));
    this.property = property;
  }

  /**
   * The full name of the wrong property.
   *
   * @return e.g. {@code tiercache.caches.users.ttl}
   */
  public String property() {
    return property;
  }
}
