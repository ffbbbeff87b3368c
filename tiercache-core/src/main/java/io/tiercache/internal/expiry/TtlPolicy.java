package io.tiercache.internal.expiry;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The lifetime of each entry a cached function writes: {@code ttl} plus a random extra in
 * {@code [0, jitter]} drawn per entry, so entries written together do not expire together.
 *
 * @param ttl the lifetime, or null for entries that live until evicted or invalidated
 * @param jitter the largest random extra, {@link Duration#ZERO} for none
 * @param computed whether a lifetime is also computed per call (from the arguments)
 */
public record TtlPolicy(Duration ttl, Duration jitter, boolean computed) {
  /** Entries that never expire. */
  public static final TtlPolicy NONE = new TtlPolicy(null, Duration.ZERO, false);

  /** A fixed lifetime with jitter. */
  public TtlPolicy(Duration ttl, Duration jitter) {
    this(ttl, jitter, false);
  }

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
    if (ttl == null && !computed && !jitter.isZero()) {
      throw new IllegalArgumentException("jitter " + jitter + " needs a ttl: set ttl(...) as well");
    }
  }

  /** Whether entries expire. */
  public boolean expires() {
    return ttl != null;
  }

  /** The lifetime of the next entry, or null if entries never expire. */
  public Duration next() {
    return next(null);
  }

  /**
   * The lifetime of the next entry: {@code computedTtl} if not null, else the fixed ttl, plus
   * jitter; null if entries never expire.
   *
   * @throws IllegalArgumentException if {@code computedTtl} is zero or negative
   */
  public Duration next(Duration computedTtl) {
    if (computedTtl != null && (computedTtl.isZero() || computedTtl.isNegative())) {
      throw new IllegalArgumentException("a computed ttl must be positive, got " + computedTtl);
    }
    Duration base = computedTtl != null ? computedTtl : ttl;
    if (base == null || jitter.isZero()) {
      return base;
    }
    return base.plusNanos(ThreadLocalRandom.current().nextLong(jitter.toNanos() + 1));
  }
}
