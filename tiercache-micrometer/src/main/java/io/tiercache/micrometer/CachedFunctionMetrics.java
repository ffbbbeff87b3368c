package io.tiercache.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.tiercache.CacheHandle;
import io.tiercache.CacheStats;
import io.tiercache.lease.LeaseStats;
import java.lang.ref.WeakReference;
import java.util.function.ToLongFunction;

/**
 * The meters of one cached function, on Micrometer's cache conventions with a {@code layer} tag
 * ({@code l1}: this process's L1, {@code l2}: the shared L2): {@code cache.gets} by
 * {@code result} and layer, {@code cache.puts} and {@code cache.evictions} by layer,
 * {@code cache.size} of L1; and tiercache's own {@code tiercache.l2.errors} and
 * {@code tiercache.lease} by {@code outcome}. docs/metrics.md lists every meter.
 *
 * <p>Every meter is tagged {@code cache} and {@code name} with the function's name and
 * {@code cache.manager} with the name given (what Spring Boot's cache metrics carry), plus the tags
 * given. The counters read {@link CacheHandle#stats()} and {@link CacheHandle#leaseTotals()}, which
 * {@code cacheClear()} never resets, so they never go backwards. The function is held weakly, as
 * Micrometer's own cache binders hold their caches: the meters do not keep it alive.
 *
 * <p>{@link TierCacheMetrics} binds this for every function of a {@code TierCache}; bind this one
 * yourself for a function built after that.
 */
public final class CachedFunctionMetrics implements MeterBinder {
  private final WeakReference<CacheHandle> function;
  private final Tags tags;

  /**
   * The meters of {@code function}.
   *
   * @param function the cached function (sync, async or behind a {@code @Cached} method)
   * @param cacheManager the {@code cache.manager} tag: the name of what holds the function, e.g.
   *     its {@code TierCache}'s namespace or a Spring {@code CacheManager}'s bean name
   * @param tags more tags for every meter
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code cacheManager} is blank
   */
  public CachedFunctionMetrics(CacheHandle function, String cacheManager, Iterable<Tag> tags) {
    java.util.Objects.requireNonNull(function, "function");
    this.function = new WeakReference<>(function);
    this.tags = TierCacheMetrics.managerTags(cacheManager, tags)
        .and("name", function.name(), "cache", function.name());
  }

  /**
   * Registers the function's meters in {@code registry}; nothing if the function was collected.
   *
   * @param registry the registry the meters go to
   */
  @Override
  public void bindTo(MeterRegistry registry) {
    CacheHandle handle = function.get();
    if (handle == null) {
      return;
    }
    String gets = "Calls answered from the layer (hit) or not (miss); an L1 miss is then an L2 hit or miss";
    stat(registry, handle, "cache.gets", gets, CacheStats::l1Hits, "result", "hit", "layer", "l1");
    stat(registry, handle, "cache.gets", gets, CacheStats::l1Misses, "result", "miss", "layer", "l1");
    stat(registry, handle, "cache.gets", gets, CacheStats::l2Hits, "result", "hit", "layer", "l2");
    stat(registry, handle, "cache.gets", gets, CacheStats::l2Misses, "result", "miss", "layer", "l2");
    stat(registry, handle, "cache.puts", "Entries stored in L1 (computed or read from L2)",
        CacheStats::l1Puts, "layer", "l1");
    stat(registry, handle, "cache.puts", "Computed values written to L2 by this process",
        CacheStats::l2Puts, "layer", "l2");
    stat(registry, handle, "cache.evictions", "Entries L1 removed for its size bound or their expiry",
        CacheStats::l1Evictions, "layer", "l1");
    Gauge.builder("cache.size", handle, h -> h.cacheInfo().l1CurrSize())
        .tags(tags).tag("layer", "l1")
        .description("Live entries in this process's L1")
        .register(registry);
    stat(registry, handle, "tiercache.l2.errors",
        "L2 operations that failed or read unusable data, each answered by computing",
        CacheStats::l2Errors);
    String lease = "Outcomes of the stampede lease on L2 misses (a wait ends as wait_hit, takeover, timeout or failure)";
    lease(registry, handle, lease, LeaseStats::leads, "lead");
    lease(registry, handle, lease, LeaseStats::waits, "wait");
    lease(registry, handle, lease, LeaseStats::waitHits, "wait_hit");
    lease(registry, handle, lease, LeaseStats::takeovers, "takeover");
    lease(registry, handle, lease, LeaseStats::timeouts, "timeout");
    lease(registry, handle, lease, LeaseStats::failures, "failure");
  }

  /** A counter over one field of the function's cumulative statistics. */
  private void stat(MeterRegistry registry, CacheHandle handle, String name, String description,
      ToLongFunction<CacheStats> field, String... extraTags) {
    FunctionCounter.builder(name, handle, h -> field.applyAsLong(h.stats()))
        .tags(tags).tags(extraTags)
        .description(description)
        .register(registry);
  }

  /** A counter over one field of the lease's cumulative outcomes. */
  private void lease(MeterRegistry registry, CacheHandle handle, String description,
      ToLongFunction<LeaseStats> field, String outcome) {
    FunctionCounter.builder("tiercache.lease", handle, h -> field.applyAsLong(h.leaseTotals()))
        .tags(tags).tag("outcome", outcome)
        .description(description)
        .register(registry);
  }
}
