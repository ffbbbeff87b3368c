package io.tiercache.spring.boot;

import io.tiercache.TierCache;

/**
 * Adjusts the {@code TierCache.Builder} of the starter after the properties were applied: a codec,
 * key encoders, an executor, statistics publishing, or backends the properties cannot describe.
 * Every bean of this type is called, in {@code @Order}.
 */
@FunctionalInterface
public interface TierCacheBuilderCustomizer {
  /**
   * Adjusts the builder.
   *
   * @param builder the builder, with the {@code tiercache.*} properties applied
   */
  void customize(TierCache.Builder builder);
}
