package io.tiercache.internal.proxy;

import io.tiercache.CachedFunctionBuilder;
import io.tiercache.ValueType;

/**
 * What the proxy layer needs from the cache it serves: a builder for the cached function of one
 * annotated method. {@code TierCache} passes its {@code function(name, type)}; the proxy layer never
 * sees the {@code TierCache} itself, so the front door depends on this machinery and not the
 * reverse.
 */
@FunctionalInterface
public interface FunctionFactory {

  /**
   * Starts building the cached function named {@code name} whose values are of {@code valueType}.
   *
   * @throws IllegalArgumentException if {@code name} is not a valid function name
   */
  CachedFunctionBuilder<Object> function(String name, ValueType<Object> valueType);
}
