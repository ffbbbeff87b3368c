package io.tiercache.expiry;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The lifetime of each entry a cached function writes: {@code ttl} plus a random extra in
 * {@code [0, jitter]} drawn per entry, so entries written together do not expire together.
 *
 * @param ttl the lifetime, or null for entries that live until evicted or invalidated
 * @param jitter the largest random extra, {@link Duration#ZERO} for none
 */
public record TtlPolicy(Duration ttl, Duration jitter) {
  /** Entries that never expire. */
  public static final TtlPolicy NONE = new TtlPolicy(null, Duration.ZERO);

  /**
   * @throws IllegalArgumentException for a ttl that is not positive, a negative jitter, or a jitter
   *     without a ttl
   */
  public TtlPolicy {
    if (jitter == null) {
      jitter = Duration.ZERO;
    }
    if (ttl != null && (ttl.isZero() || ttl.isNegative())) {
      throw new IllegalArgumentException("ttl must be positive, got " + ttl);
    }
    if (jitter.isNegative()) {
      throw new IllegalArgumentException("jitter must not be negative, got " + jitter);
    }
    if (ttl == null && !jitter.isZero()) {
      throw new IllegalArgumentException("jitter " + jitter + " needs a ttl: set ttl(...) as well");
    }
  }

  /** Whether entries expire. */
  public boolean expires() {
    return ttl != null;
  }

  /** The lifetime of the next entry, or null if entries never expire. */
  public Duration next() {
    if (ttl == null || jitter.isZero()) {
      return ttl;
    }
    return ttl.plusNanos(ThreadLocalRandom.current().nextLong(jitter.toNanos() + 1));
  }
}
