package io.tiercache.spring.boot;

import io.tiercache.CacheHandle;
import io.tiercache.CacheInfo;
import io.tiercache.CacheStats;
import io.tiercache.CoherenceInfo;
import io.tiercache.TierCache;
import io.tiercache.lease.LeaseStats;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The Actuator endpoint {@code tiercache}: reading it lists the backends, every live cached function
 * with its statistics, and the coherence state; writing to {@code tiercache/key},
 * {@code tiercache/tags} or {@code tiercache/prefix} invalidates entries in every backend (or in the
 * one named by {@code backend}) and, through the invalidation channel, in the other processes' L1s.
 */
@Endpoint(id = "tiercache")
public class TierCacheEndpoint {
  private final TierCache tierCache;

  /**
   * The endpoint of {@code tierCache}.
   *
   * @param tierCache the application's {@code TierCache}
   */
  public TierCacheEndpoint(TierCache tierCache) {
    this.tierCache = Objects.requireNonNull(tierCache, "tierCache");
  }

  /**
   * The backends, the functions with their statistics, and coherence.
   *
   * @return a snapshot
   */
  @ReadOperation
  public Report report() {
    List<BackendReport> backends = tierCache.backends().entrySet().stream()
        .map(e -> new BackendReport(e.getKey(), e.getValue().describe()))
        .toList();
    List<FunctionReport> functions = tierCache.functions().stream()
        .map(f -> new FunctionReport(f.name(), f.cacheInfo(), f.stats(), f.leaseStats(),
            f.l2ErrorCount()))
        .toList();
    CoherenceInfo c = tierCache.coherence();
    return new Report(tierCache.namespace(), backends, functions, new CoherenceReport(c.enabled(),
        c.coherentBackends(), c.incoherentBackends(),
        c.stalenessBound() == null ? null : c.stalenessBound().toString(), c.delivering(),
        c.published(), c.publishFailures(), c.received(), c.entriesDropped(), c.flushes(),
        c.lastFlushReason()));
  }

  /**
   * Invalidates by key ({@code kind = key}, {@code value} the key after the namespace, see
   * {@code TierCache.invalidateKey}), by tag ({@code kind = tags}, {@code value} one tag: Actuator
   * request bodies hold plain values, no lists) or by prefix ({@code kind = prefix}).
   *
   * @param kind {@code key}, {@code tags} or {@code prefix}
   * @param value the key, the tag or the prefix
   * @param backend the alias of the only backend to invalidate in, or null for every backend
   * @return what was invalidated and whether every backend took it
   */
  @WriteOperation
  public Invalidation invalidate(@Selector String kind, String value, @Nullable String backend) {
    TierCache.Invalidations target = invalidations(backend);
    switch (kind) {
      case "key": {
        String key = required(value, "key");
        return new Invalidation(kind, List.of(key), backend, target.invalidateKey(key));
      }
      case "prefix": {
        String prefix = required(value, "prefix");
        return new Invalidation(kind, List.of(prefix), backend, target.invalidatePrefix(prefix));
      }
      case "tags": {
        String tag = required(value, "tag");
        return new Invalidation(kind, List.of(tag), backend, target.invalidateTags(tag));
      }
      default:
        throw new InvalidEndpointRequestException("unknown invalidation '" + kind
            + "': use key, tags or prefix", "unknown invalidation kind");
    }
  }

  private TierCache.Invalidations invalidations(String backend) {
    if (backend == null) {
      return new TierCache.Invalidations() {
        @Override
        public boolean invalidateTags(String... tags) {
          return tierCache.invalidateTags(tags);
        }

        @Override
        public boolean invalidatePrefix(String prefix) {
          return tierCache.invalidatePrefix(prefix);
        }

        @Override
        public boolean invalidateKey(String key) {
          return tierCache.invalidateKey(key);
        }
      };
    }
    if (!tierCache.backends().containsKey(backend)) {
      throw new InvalidEndpointRequestException("no backend named '" + backend + "'; configured: "
          + tierCache.backends().keySet(), "unknown backend");
    }
    return tierCache.on(backend);
  }

  private static String required(String value, String what) {
    if (value == null || value.isEmpty()) {
      throw new InvalidEndpointRequestException("give the " + what + " as 'value'",
          "missing value");
    }
    return value;
  }

  /**
   * What the endpoint reads.
   *
   * @param namespace the namespace of every L2 key
   * @param backends the backends, in configuration order
   * @param functions the live cached functions, in build order
   * @param coherence the coherence state and counters
   */
  public record Report(String namespace, List<BackendReport> backends,
      List<FunctionReport> functions, CoherenceReport coherence) {}

  /**
   * One backend.
   *
   * @param alias its alias
   * @param description its description (no credentials)
   */
  public record BackendReport(String alias, String description) {}

  /**
   * One cached function.
   *
   * @param name its name
   * @param cacheInfo its statistics since the last {@code cacheClear()}, and L1 sizes
   * @param stats its cumulative statistics (never reset)
   * @param leaseStats its stampede lease's outcomes since the last {@code cacheClear()}
   * @param l2Errors its failed or unusable L2 operations
   */
  public record FunctionReport(String name, CacheInfo cacheInfo, CacheStats stats,
      LeaseStats leaseStats, long l2Errors) {}

  /**
   * {@code TierCache.coherence()}, with the bound as ISO-8601 text.
   *
   * @param enabled whether coherence is on
   * @param coherentBackends the backends with an invalidation channel
   * @param incoherentBackends the backends without one
   * @param stalenessBound the longest an invalidated value stays in another process's L1, or null
   * @param delivering whether every channel delivers now
   * @param published messages sent
   * @param publishFailures messages the channel refused
   * @param received messages from other processes applied here
   * @param entriesDropped L1 entries those messages removed
   * @param flushes L1 flushes after a lost channel
   * @param lastFlushReason why the last flush happened, or null
   */
  public record CoherenceReport(boolean enabled, List<String> coherentBackends,
      List<String> incoherentBackends, String stalenessBound, boolean delivering, long published,
      long publishFailures, long received, long entriesDropped, long flushes,
      String lastFlushReason) {}

  /**
   * The outcome of an invalidation.
   *
   * @param kind {@code key}, {@code tags} or {@code prefix}
   * @param targets the key, the tag or the prefix
   * @param backend the backend alias it was limited to, or null for all
   * @param result for a key, whether an entry existed; otherwise whether every backend took it
   */
  public record Invalidation(String kind, List<String> targets, String backend, boolean result) {}
}
