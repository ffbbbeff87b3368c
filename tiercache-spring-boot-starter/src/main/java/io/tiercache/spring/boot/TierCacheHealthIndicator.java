package io.tiercache.spring.boot;

import io.tiercache.CacheHandle;
import io.tiercache.CoherenceInfo;
import io.tiercache.TierCache;
import io.tiercache.backend.Backend;
import io.tiercache.backend.InMemoryBackend;
import io.tiercache.spring.boot.internal.BackendStates;
import java.util.Objects;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The health of one backend of the {@code TierCache}, registered as {@code tiercache-<alias>}:
 * {@code UP} when it serves L2 and (if it has an invalidation channel) the channels deliver,
 * {@link #DEGRADED} when it serves L2 but invalidations from other processes do not arrive (L1
 * entries then live at most the staleness bound), {@code DOWN} when L2 is not served (calls are
 * computed instead, never failed), {@code UNKNOWN} while the first connection is made.
 */
public final class TierCacheHealthIndicator implements HealthIndicator {
  /**
   * L2 works, but the L1s are not kept coherent right now: the coherence channel does not deliver
   * (or, for memcached, some servers are not connected).
   */
  public static final Status DEGRADED = new Status("DEGRADED",
      "L2 serves, but not every part of it does (coherence channel not delivering or servers missing)");

  private final TierCache tierCache;
  private final String alias;
  private final Backend backend;

  /**
   * The health of the backend {@code alias} of {@code tierCache}.
   *
   * @param tierCache the {@code TierCache}
   * @param alias one of its backend aliases
   */
  public TierCacheHealthIndicator(TierCache tierCache, String alias) {
    this.tierCache = Objects.requireNonNull(tierCache, "tierCache");
    this.alias = Objects.requireNonNull(alias, "alias");
    this.backend = tierCache.resolveBackend(alias);
  }

  @Override
  public Health health() {
    BackendStates.State state = BackendStates.of(backend);
    Health.Builder health = Health.status(switch (state.level()) {
      case UP -> Status.UP;
      case DEGRADED -> DEGRADED;
      case DOWN -> Status.DOWN;
      case UNKNOWN -> Status.UNKNOWN;
    });
    health.withDetail("alias", alias)
        .withDetail("backend", backend.describe())
        .withDetail("state", state.state());
    if (state.message() != null) {
      health.withDetail("message", state.message());
    }
    if (state.lastError() != null) {
      health.withDetail("lastError", state.lastError());
    }
    CoherenceInfo coherence = tierCache.coherence();
    // an embedded backend's channel lives in this JVM and always delivers
    boolean coherent = coherence.enabled() && !(backend instanceof InMemoryBackend)
        && coherence.coherentBackends().contains(backend.describe());
    if (coherent) {
      health.withDetail("coherence", new ChannelDetails(coherence.delivering(),
          String.valueOf(coherence.stalenessBound()), coherence.published(),
          coherence.publishFailures(), coherence.received(), coherence.flushes(),
          coherence.lastFlushReason()));
      if (state.level() == BackendStates.Level.UP && !coherence.delivering()) {
        health.status(DEGRADED);
      }
    }
    long l2Errors = 0;
    for (CacheHandle function : tierCache.functions()) {
      l2Errors += function.l2ErrorCount();
    }
    health.withDetail("l2Errors", l2Errors);
    return health.build();
  }

  /**
   * The coherence details of a backend with an invalidation channel (those of the whole
   * {@code TierCache}: see {@code TierCache.coherence()}).
   *
   * @param delivering whether every channel delivers now
   * @param stalenessBound the longest an invalidated value is served from another process's L1
   * @param published messages this process sent
   * @param publishFailures messages the channel refused
   * @param received messages from other processes applied here
   * @param flushes L1 flushes after a lost channel
   * @param lastFlushReason why the last flush happened, or null
   */
  public record ChannelDetails(boolean delivering, String stalenessBound, long published,
      long publishFailures, long received, long flushes, String lastFlushReason) {}
}
