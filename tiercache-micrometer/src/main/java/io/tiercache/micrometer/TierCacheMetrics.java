package io.tiercache.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.tiercache.CacheHandle;
import io.tiercache.CoherenceInfo;
import io.tiercache.TierCache;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

/**
 * The meters of one {@link TierCache}: those of every cached function it lists when bound
 * ({@link TierCache#functions()}, each as {@link CachedFunctionMetrics}), and, when one of its
 * backends offers an invalidation channel, those of its coherence ({@link TierCache#coherence()}):
 * {@code tiercache.coherence.published}, {@code .publish.failures}, {@code .received},
 * {@code .entries.dropped}, {@code .flushes}, {@code .delivering} and
 * {@code .staleness.bound}. docs/metrics.md lists every meter.
 *
 * <pre>{@code
 * TierCache cache = TierCache.builder()...build();
 * // build the functions (and proxies) first: they are bound as listed now
 * new TierCacheMetrics(cache).bindTo(registry);
 * }</pre>
 *
 * <p>Every meter is tagged {@code cache.manager} (by default the namespace) and with the tags
 * given. Every counter is a {@link FunctionCounter} over counts that only grow, whatever
 * {@code cacheClear()} does. The {@code TierCache} is held weakly, as Micrometer's own binders hold
 * what they measure.
 */
public final class TierCacheMetrics implements MeterBinder {
  private final WeakReference<TierCache> cache;
  private final String cacheManager;
  private final Tags tags;

  /**
   * The meters of {@code cache}, tagged {@code cache.manager} with its namespace.
   *
   * @param cache the {@code TierCache} to measure
   * @throws NullPointerException if {@code cache} is null
   */
  public TierCacheMetrics(TierCache cache) {
    this(cache, Objects.requireNonNull(cache, "cache").namespace(), Tags.empty());
  }

  /**
   * The meters of {@code cache}, tagged {@code cache.manager} with {@code cacheManager} (e.g. the
   * bean name of a Spring {@code CacheManager} built on it) and with {@code tags}.
   *
   * @param cache the {@code TierCache} to measure
   * @param cacheManager the {@code cache.manager} tag of every meter
   * @param tags more tags for every meter
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code cacheManager} is blank
   */
  public TierCacheMetrics(TierCache cache, String cacheManager, Iterable<Tag> tags) {
    Objects.requireNonNull(cache, "cache");
    managerTags(cacheManager, tags); // checks both now, not at binding
    this.cache = new WeakReference<>(cache);
    this.cacheManager = cacheManager;
    this.tags = Tags.of(tags); // a copy: later changes to the caller's list do not show
  }

  /**
   * Binds the meters of {@code cache} and its functions to {@code registry}, tagged
   * {@code cache.manager} with its namespace and with {@code tags}.
   *
   * @param registry the registry the meters go to
   * @param cache the {@code TierCache} to measure
   * @param tags more tags, as key-value pairs
   * @return {@code cache}
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code tags} has an odd number of elements
   */
  public static TierCache monitor(MeterRegistry registry, TierCache cache, String... tags) {
    Objects.requireNonNull(registry, "registry");
    new TierCacheMetrics(cache, Objects.requireNonNull(cache, "cache").namespace(), Tags.of(tags))
        .bindTo(registry);
    return cache;
  }

  /**
   * Registers the meters of every function the {@code TierCache} lists now and of its coherence;
   * nothing if it was collected.
   *
   * @param registry the registry the meters go to
   */
  @Override
  public void bindTo(MeterRegistry registry) {
    TierCache tierCache = cache.get();
    if (tierCache == null) {
      return;
    }
    for (CacheHandle function : tierCache.functions()) {
      new CachedFunctionMetrics(function, cacheManager, tags).bindTo(registry);
    }
    CoherenceInfo coherence = tierCache.coherence();
    if (!coherence.enabled() || coherence.coherentBackends().isEmpty()) {
      return; // nothing would ever move
    }
    Tags base = managerTags(cacheManager, tags);
    coherence(registry, tierCache, base, "tiercache.coherence.published",
        "Invalidation messages this TierCache sent to the other processes", CoherenceInfo::published);
    coherence(registry, tierCache, base, "tiercache.coherence.publish.failures",
        "Invalidation messages the channel refused (its peers learn it and flush)",
        CoherenceInfo::publishFailures);
    coherence(registry, tierCache, base, "tiercache.coherence.received",
        "Invalidation messages from other processes applied here", CoherenceInfo::received);
    coherence(registry, tierCache, base, "tiercache.coherence.entries.dropped",
        "L1 entries those messages removed", CoherenceInfo::entriesDropped);
    coherence(registry, tierCache, base, "tiercache.coherence.flushes",
        "L1 flushes after a lost channel or a peer's cacheClear", CoherenceInfo::flushes);
    Gauge.builder("tiercache.coherence.delivering", tierCache, c -> c.coherence().delivering() ? 1 : 0)
        .tags(base)
        .description("1 while every invalidation channel delivers, else 0 (L1 entries then live at most the bound)")
        .register(registry);
    TimeGauge.builder("tiercache.coherence.staleness.bound", tierCache, TimeUnit.NANOSECONDS,
            c -> nanos(c.coherence().stalenessBound()))
        .tags(base)
        .description("Longest delay until other processes stop serving an invalidated value from L1")
        .register(registry);
  }

  private static void coherence(MeterRegistry registry, TierCache tierCache, Tags base, String name,
      String description, ToLongFunction<CoherenceInfo> field) {
    FunctionCounter.builder(name, tierCache, c -> field.applyAsLong(c.coherence()))
        .tags(base)
        .description(description)
        .register(registry);
  }

  private static double nanos(Duration bound) {
    return bound == null ? Double.NaN : bound.toNanos();
  }

  /** {@code tags} with {@code cache.manager}; checks both. */
  static Tags managerTags(String cacheManager, Iterable<Tag> tags) {
    Objects.requireNonNull(cacheManager, "cacheManager");
    Objects.requireNonNull(tags, "tags");
    if (cacheManager.isBlank()) {
      throw new IllegalArgumentException("cacheManager must not be blank: it is the cache.manager tag");
    }
    return Tags.of(tags).and("cache.manager", cacheManager);
  }
}
