package io.tiercache.lease;

import java.time.Duration;
import java.util.Objects;

/**
 * How a cached function coordinates a miss with other processes: the first process to miss an
 * entry takes a lease on it and computes; the others wait up to {@code maxWait} for its result to
 * appear in L2, then compute themselves.
 *
 * @param maxWait how long a process that found the lease taken waits for the holder's result before
 *     computing itself; at least 1 ms
 * @param ttl how long a lease lasts if its holder never releases it (a crashed process, or a
 *     computation that outlives it); at least {@code maxWait}
 */
public record LeasePolicy(Duration maxWait, Duration ttl) {
  /** The lease TTL when none is given: this many times the wait. */
  public static final int DEFAULT_TTL_FACTOR = 3;

  private static final Duration MIN = Duration.ofMillis(1);

  /**
   * Checks the policy.
   *
   * @param maxWait how long a miss waits for the holder's result; at least 1 ms
   * @param ttl how long an unreleased lease lasts; at least {@code maxWait}
   * @throws NullPointerException if {@code maxWait} or {@code ttl} is null
   * @throws IllegalArgumentException if either is below 1 ms, or {@code ttl} is shorter than
   *     {@code maxWait}; the message names the parameter
   */
  public LeasePolicy {
    Objects.requireNonNull(maxWait, "lease wait");
    Objects.requireNonNull(ttl, "lease ttl");
    if (maxWait.compareTo(MIN) < 0) {
      throw new IllegalArgumentException("lease wait must be at least 1 ms, got " + maxWait);
    }
    if (ttl.compareTo(MIN) < 0) {
      throw new IllegalArgumentException("lease ttl must be at least 1 ms, got " + ttl);
    }
    if (ttl.compareTo(maxWait) < 0) {
      throw new IllegalArgumentException("lease ttl (" + ttl + ") must not be shorter than the lease"
          + " wait (" + maxWait + "): the lease must outlast the time others wait for its holder");
    }
  }

  /**
   * A policy with the default TTL, {@value #DEFAULT_TTL_FACTOR} times {@code maxWait}.
   *
   * @param maxWait how long a miss waits for the lease holder's result
   * @return the policy
   * @throws IllegalArgumentException as the canonical constructor
   */
  public static LeasePolicy of(Duration maxWait) {
    Objects.requireNonNull(maxWait, "lease wait");
    if (maxWait.compareTo(MIN) < 0) {
      throw new IllegalArgumentException("lease wait must be at least 1 ms, got " + maxWait);
    }
    return new LeasePolicy(maxWait, maxWait.multipliedBy(DEFAULT_TTL_FACTOR));
  }
}
