package io.tiercache.spring.boot.internal;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.tiercache.TierCache;
import io.tiercache.micrometer.CachedFunctionMetrics;
import io.tiercache.micrometer.TierCacheMetrics;
import io.tiercache.spring.TierCacheCache;
import java.util.Locale;
import java.util.Objects;

/**
 * The meters of the starter's {@code TierCache}: bound by Boot with its other {@code MeterBinder}s
 * (every function listed then, and coherence), then, for each cache the {@code TierCacheManager}
 * creates afterwards, that cache's meters as it is created. Every meter is tagged
 * {@code cache.manager} as Boot's own cache metrics tag it.
 */
public final class ManagerMeters implements MeterBinder {
  private static final String SUFFIX = "cacheManager";
  private final TierCache tierCache;
  private final String cacheManager;
  private volatile MeterRegistry registry;

  /**
   * The meters of {@code tierCache}.
   *
   * @param tierCache the {@code TierCache}
   * @param cacheManager the {@code cache.manager} tag
   */
  public ManagerMeters(TierCache tierCache, String cacheManager) {
    this.tierCache = Objects.requireNonNull(tierCache, "tierCache");
    this.cacheManager = cacheManager;
  }

  /**
   * The {@code cache.manager} tag of a {@code CacheManager} bean, as Boot's cache metrics make it:
   * the bean name without a trailing {@code cacheManager} when something precedes it
   * ({@code cacheManager} stays, {@code tiercacheCacheManager} becomes {@code tiercache}).
   *
   * @param beanName the bean name
   * @return the tag value
   */
  public static String tagOf(String beanName) {
    int prefix = beanName.length() - SUFFIX.length();
    if (prefix > 0 && beanName.toLowerCase(Locale.ROOT).endsWith(SUFFIX.toLowerCase(Locale.ROOT))) {
      return beanName.substring(0, prefix);
    }
    return beanName;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    this.registry = registry; // first, so a cache created while the functions are bound is not missed
    new TierCacheMetrics(tierCache, cacheManager, Tags.empty()).bindTo(registry);
  }

  /**
   * Binds the meters of a cache just created, once this binder is bound (before that,
   * {@link #bindTo} binds it with the other functions).
   *
   * @param cache the new cache
   */
  public void created(TierCacheCache cache) {
    MeterRegistry bound = registry;
    if (bound != null) {
      new CachedFunctionMetrics(cache.getNativeCache(), cacheManager, Tags.empty()).bindTo(bound);
    }
  }
}
