package io.tiercache.internal.engine;

import io.tiercache.TimeSource;
import io.tiercache.backend.LeasingBackend;
import io.tiercache.internal.lease.LeaseKeys;
import io.tiercache.lease.LeasePolicy;
import io.tiercache.lease.LeaseStats;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The stampede lease of one cached function, used on an L2 miss. The first process to miss takes
 * the lease and computes ({@link Kind#LEAD}); it releases the lease once its result is written.
 * The others poll L2 with growing pauses (bounded by the policy's {@code wait}) for that result
 * ({@link Kind#FOUND}); a poll that finds the lease free again (its holder failed, or its result
 * is not cached, or the lease expired) takes it and computes; once {@code wait} has passed, or if
 * L2 fails, the caller computes without a lease ({@link Kind#COMPUTE}). Nothing here throws: L2
 * trouble means computing. Both kinds of function go the same way ({@link #acquire}); how
 * one step waits for the last is the caller's ({@link Steps}): an async function blocks no thread,
 * its pauses are scheduled.
 */
final class LeaseGate {
  /** How a miss goes on. */
  enum Kind {
    /** This caller holds the lease: compute, store, then {@link #release}. */
    LEAD,
    /** Another process's result arrived: {@link Outcome#read()} holds it. */
    FOUND,
    /** Compute without a lease (waited too long, or L2 trouble). */
    COMPUTE
  }

  /**
   * What {@link #acquire} decided.
   *
   * @param kind what to do
   * @param leaseKey the lease's key (for {@link #release})
   * @param token the token the lease is held with, for {@link Kind#LEAD}
   * @param read the last L2 read, or null if none was made here
   */
  record Outcome(Kind kind, String leaseKey, String token, L2Tier.Read read) {}

  private final LeasingBackend backend;
  private final Duration wait;
  private final Duration ttl;
  private final long firstPauseNanos;
  private final long maxPauseNanos;
  private final LeaseKeys keys;
  private final TimeSource time;
  private final GuardedBackend guarded;
  private final String tokenHead;
  private final AtomicLong sequence = new AtomicLong();
  /** Failed lease operations since the engine was built (part of its l2ErrorCount). */
  private final LongAdder errors = new LongAdder();
  /** {@link #totals()} when the statistics were last reset. */
  private volatile LeaseStats atReset = LeaseStats.NONE;
  private final LongAdder leads = new LongAdder();
  private final LongAdder waits = new LongAdder();
  private final LongAdder waitHits = new LongAdder();
  private final LongAdder takeovers = new LongAdder();
  private final LongAdder timeouts = new LongAdder();
  private final LongAdder pollFailures = new LongAdder();

  LeaseGate(String functionName, LeasingBackend backend, LeasePolicy policy, LeaseKeys keys,
      Duration l2Timeout, TimeSource time) {
    this.backend = backend;
    this.wait = policy.maxWait();
    this.ttl = policy.ttl();
    long waitNanos = wait.toNanos();
    this.firstPauseNanos = Math.max(1_000_000, waitNanos / 64);
    this.maxPauseNanos = Math.max(firstPauseNanos, waitNanos / 8);
    this.keys = keys;
    this.time = time;
    this.guarded = new GuardedBackend(backend, l2Timeout, time,
        "lease of cached function '" + functionName + "'", errors);
    byte[] random = new byte[8];
    new SecureRandom().nextBytes(random);
    this.tokenHead = HexFormat.of().formatHex(random) + '-';
  }

  /**
   * How the steps of one caller's lease go on from one to the next: the synchronous engine waits
   * on the caller's thread (and sleeps there between polls), the async one composes and schedules
   * its pauses, so no thread is blocked.
   */
  interface Steps {
    /** Runs {@code next} with the value of {@code stage}, which never fails. */
    <T, U> CompletableFuture<U> then(CompletableFuture<T> stage, Function<? super T, ? extends CompletableFuture<U>> next);

    /** Completes after {@code nanos}: true, or false if the wait was interrupted. */
    CompletableFuture<Boolean> pause(long nanos);
  }

  /**
   * Takes the lease for the entry under {@code l2Key}, or waits for its holder's result. The
   * returned stage never fails.
   *
   * @param poll reads the entry again (with its tags), as the miss that led here did; its stage
   *     never fails
   */
  CompletableFuture<Outcome> acquire(String l2Key, Supplier<CompletableFuture<L2Tier.Read>> poll, Steps steps) {
    String leaseKey = keys.of(l2Key);
    String token = tokenHead + sequence.incrementAndGet();
    CompletableFuture<Outcome> outcome = steps.then(tryLease(leaseKey, token), taken -> {
      if (taken == null) {
        return done(Kind.COMPUTE, leaseKey, null, null);
      }
      if (taken) {
        leads.increment();
        return done(Kind.LEAD, leaseKey, token, null);
      }
      waits.increment();
      return new Wait(leaseKey, token, poll, steps, time.nanoTime() + wait.toNanos())
          .pauseThenPoll(firstPauseNanos, null);
    });
    // whatever went wrong on the way makes the caller compute (never a lost wait)
    return outcome.handle((decided, failure) -> failure == null ? decided
        : new Outcome(Kind.COMPUTE, leaseKey, null, null));
  }

  private static CompletableFuture<Outcome> done(Kind kind, String leaseKey, String token, L2Tier.Read read) {
    return CompletableFuture.completedFuture(new Outcome(kind, leaseKey, token, read));
  }

  /** One caller waiting for the holder's result: a pause, a poll, a try of the lease, again. */
  private final class Wait {
    private final String leaseKey;
    private final String token;
    private final Supplier<CompletableFuture<L2Tier.Read>> poll;
    private final Steps steps;
    private final long deadline;

    Wait(String leaseKey, String token, Supplier<CompletableFuture<L2Tier.Read>> poll, Steps steps,
        long deadline) {
      this.leaseKey = leaseKey;
      this.token = token;
      this.poll = poll;
      this.steps = steps;
      this.deadline = deadline;
    }

    CompletableFuture<Outcome> pauseThenPoll(long pause, L2Tier.Read last) {
      long left = deadline - time.nanoTime();
      if (left <= 0) {
        timeouts.increment();
        return done(Kind.COMPUTE, leaseKey, null, last);
      }
      long next = Math.min(pause * 2, maxPauseNanos);
      return steps.then(steps.pause(Math.min(pause, left)), slept -> {
        if (!slept) {
          timeouts.increment();
          return done(Kind.COMPUTE, leaseKey, null, last);
        }
        return steps.then(poll.get(), read -> afterPoll(next, read, last));
      });
    }

    private CompletableFuture<Outcome> afterPoll(long pause, L2Tier.Read read, L2Tier.Read last) {
      if (read == null) { // a poll that broke its promise never to fail
        return done(Kind.COMPUTE, leaseKey, null, last);
      }
      if (read.found() != null) {
        waitHits.increment();
        return done(Kind.FOUND, leaseKey, null, read);
      }
      if (read.failed()) {
        pollFailures.increment(); // the read itself is counted by L2Tier
        return done(Kind.COMPUTE, leaseKey, null, read);
      }
      return steps.then(tryLease(leaseKey, token), taken -> {
        if (taken == null) {
          return done(Kind.COMPUTE, leaseKey, null, read);
        }
        if (!taken) {
          return pauseThenPoll(pause, read);
        }
        // the holder may have written its result and released between our read and our lease
        return steps.then(poll.get(), again -> {
          if (again != null && again.found() != null) {
            release(leaseKey, token, null);
            waitHits.increment();
            return done(Kind.FOUND, leaseKey, null, again);
          }
          takeovers.increment();
          return done(Kind.LEAD, leaseKey, token, again == null || again.failed() ? read : again);
        });
      });
    }
  }

  /** True, false, or null when L2 failed (counted and logged); never fails. */
  private CompletableFuture<Boolean> tryLease(String leaseKey, String token) {
    return guarded.guard(() -> backend.tryLease(leaseKey, token, ttl), "lease of " + leaseKey);
  }

  /**
   * Releases a lease held with {@code token} once {@code after} completes (the write of the
   * result, so that a process that finds the lease free finds the result too), or at once when
   * null. Never waits.
   */
  void release(String leaseKey, String token, CompletionStage<?> after) {
    if (after == null) {
      guarded.start(() -> backend.releaseLease(leaseKey, token), "release of " + leaseKey);
    } else {
      after.whenComplete((ok, failure) -> guarded.start(() -> backend.releaseLease(leaseKey, token),
          "release of " + leaseKey));
    }
  }

  /** Lease operations that failed since the engine was built (not reset by {@link #reset}). */
  long errorCount() {
    return errors.sum();
  }

  /** What the lease did since the last {@link #reset}. */
  LeaseStats stats() {
    LeaseStats at = atReset; // first: the counts read after it are at least as large
    LeaseStats now = totals();
    return new LeaseStats(now.leads() - at.leads(), now.waits() - at.waits(), now.waitHits() - at.waitHits(),
        now.takeovers() - at.takeovers(), now.timeouts() - at.timeouts(), now.failures() - at.failures());
  }

  /** What the lease did since the engine was built (never reset). */
  LeaseStats totals() {
    return new LeaseStats(leads.sum(), waits.sum(), waitHits.sum(), takeovers.sum(), timeouts.sum(),
        errors.sum() + pollFailures.sum());
  }

  /** Makes {@link #stats} count from zero again; {@link #totals} and {@link #errorCount} are untouched. */
  void reset() {
    atReset = totals();
  }
}
