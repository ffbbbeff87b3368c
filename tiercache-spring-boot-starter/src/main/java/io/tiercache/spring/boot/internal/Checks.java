package io.tiercache.spring.boot.internal;

import io.tiercache.spring.boot.TierCacheConfigurationException;
import java.time.Duration;
import java.util.function.Supplier;

/** Checks of single property values, each failing with the property's full name. */
final class Checks {
  private Checks() {}

  /** Runs a builder call, turning its {@code IllegalArgumentException} into one naming {@code property}. */
  static <T> T at(String property, Supplier<T> call) {
    try {
      return call.get();
    } catch (IllegalArgumentException e) {
      throw new TierCacheConfigurationException(property, e.getMessage());
    }
  }

  /** A duration that must be above zero, or null when unset. */
  static Duration positive(String property, Duration value) {
    if (value != null && (value.isNegative() || value.isZero())) {
      throw new TierCacheConfigurationException(property, "must be positive, got " + value);
    }
    return value;
  }

  /** A text that must not be blank when set. */
  static String notBlank(String property, String value) {
    if (value != null && value.isBlank()) {
      throw new TierCacheConfigurationException(property, "must not be blank");
    }
    return value;
  }
}
