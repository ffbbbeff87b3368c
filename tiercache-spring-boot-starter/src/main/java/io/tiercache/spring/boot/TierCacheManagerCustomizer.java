package io.tiercache.spring.boot;

import io.tiercache.spring.TierCacheManager;

/**
 * Adjusts the starter's {@link TierCacheManager} before it is built, after the properties: give a
 * cache a value type or other options ({@code tiercache.caches.<name>.*} still apply over them),
 * change the defaults of caches created on demand, add listeners. Every customizer bean is called,
 * in {@code @Order}.
 *
 * <pre>{@code
 * @Bean TierCacheManagerCustomizer books() {
 *   return builder -> builder.cache("books", TierCacheOptions.defaults().valueType(Book.class));
 * }
 * }</pre>
 */
@FunctionalInterface
public interface TierCacheManagerCustomizer {

  /**
   * Adjusts the manager's builder.
   *
   * @param builder the builder, with the properties already applied
   */
  void customize(TierCacheManager.Builder builder);
}
