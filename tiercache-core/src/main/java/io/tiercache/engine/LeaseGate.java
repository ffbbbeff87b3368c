package io.tiercache.engine;

import io.tiercache.TimeSource;
import io.tiercache.backend.LeasingBackend;
import io.tiercache.expiry.Scheduler;
import io.tiercache.lease.LeaseKeys;
import io.tiercache.lease.LeasePolicy;
import io.tiercache.lease.LeaseStats;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The stampede lease of one cached function, used on an L2 miss. The first process to miss takes
 * the lease and computes ({@link Kind#LEAD}); it releases the lease once its result is written.
 * The others poll L2 with growing pauses (bounded by the policy's {@code wait}) for that result
 * ({@link Kind#FOUND}); a poll that finds the lease free again (its holder failed, or its result
 * is not cached, or the lease expired) takes it and computes; once {@code wait} has passed, or if
 * L2 fails, the caller computes without a lease ({@link Kind#COMPUTE}). Nothing here throws: L2
 * trouble means computing. Async functions go the same way through {@link #acquireAsync}, which
 * blocks no thread: its pauses are scheduled.
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
  /** {@link #errors} when the statistics were last reset. */
  private volatile long errorsAtReset;
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
   * Takes the lease for the entry under {@code l2Key}, or waits for its holder's result.
   *
   * @param poll reads the entry again (with its tags), as the miss that led here did
   */
  Outcome acquire(String l2Key, Supplier<L2Tier.Read> poll) {
    String leaseKey = keys.of(l2Key);
    String token = tokenHead + sequence.incrementAndGet();
    Boolean taken = tryLease(leaseKey, token);
    if (taken == null) {
      return new Outcome(Kind.COMPUTE, leaseKey, null, null);
    }
    if (taken) {
      leads.increment();
      return new Outcome(Kind.LEAD, leaseKey, token, null);
    }
    waits.increment();
    long deadline = time.nanoTime() + wait.toNanos();
    long pause = firstPauseNanos;
    L2Tier.Read last = null;
    while (true) {
      long left = deadline - time.nanoTime();
      if (left <= 0) {
        timeouts.increment();
        return new Outcome(Kind.COMPUTE, leaseKey, null, last);
      }
      try {
        time.sleep(Duration.ofNanos(Math.min(pause, left)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        timeouts.increment();
        return new Outcome(Kind.COMPUTE, leaseKey, null, last);
      }
      pause = Math.min(pause * 2, maxPauseNanos);
      last = poll.get();
      if (last.found() != null) {
        waitHits.increment();
        return new Outcome(Kind.FOUND, leaseKey, null, last);
      }
      if (last.failed()) {
        pollFailures.increment(); // the read itself is counted by L2Tier
        return new Outcome(Kind.COMPUTE, leaseKey, null, last);
      }
      taken = tryLease(leaseKey, token);
      if (taken == null) {
        return new Outcome(Kind.COMPUTE, leaseKey, null, last);
      }
      if (taken) {
        // the holder may have written its result and released between our read and our lease
        L2Tier.Read again = poll.get();
        if (again.found() != null) {
          release(leaseKey, token, null);
          waitHits.increment();
          return new Outcome(Kind.FOUND, leaseKey, null, again);
        }
        takeovers.increment();
        return new Outcome(Kind.LEAD, leaseKey, token, again.failed() ? last : again);
      }
    }
  }

  /**
   * {@link #acquire} for async functions: the same decisions, with nothing waited for. The pauses
   * between polls are timed by {@code scheduler}; the returned future never fails.
   *
   * @param poll reads the entry again (with its tags); its future must never fail
   */
  CompletableFuture<Outcome> acquireAsync(String l2Key, Supplier<CompletableFuture<L2Tier.Read>> poll,
      Scheduler scheduler) {
    String leaseKey = keys.of(l2Key);
    String token = tokenHead + sequence.incrementAndGet();
    CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    tryLeaseAsync(leaseKey, token).whenComplete((taken, failure) -> {
      if (taken == null) {
        outcome.complete(new Outcome(Kind.COMPUTE, leaseKey, null, null));
      } else if (taken) {
        leads.increment();
        outcome.complete(new Outcome(Kind.LEAD, leaseKey, token, null));
      } else {
        waits.increment();
        new AsyncWait(leaseKey, token, poll, scheduler, outcome, time.nanoTime() + wait.toNanos())
            .pauseThenPoll(firstPauseNanos, null);
      }
    });
    return outcome;
  }

  /** One async caller waiting for the holder's result: a pause, a poll, a try of the lease, again. */
  private final class AsyncWait {
    private final String leaseKey;
    private final String token;
    private final Supplier<CompletableFuture<L2Tier.Read>> poll;
    private final Scheduler scheduler;
    private final CompletableFuture<Outcome> outcome;
    private final long deadline;

    AsyncWait(String leaseKey, String token, Supplier<CompletableFuture<L2Tier.Read>> poll, Scheduler scheduler,
        CompletableFuture<Outcome> outcome, long deadline) {
      this.leaseKey = leaseKey;
      this.token = token;
      this.poll = poll;
      this.scheduler = scheduler;
      this.outcome = outcome;
      this.deadline = deadline;
    }

    void pauseThenPoll(long pause, L2Tier.Read last) {
      long left = deadline - time.nanoTime();
      if (left <= 0) {
        timeouts.increment();
        complete(Kind.COMPUTE, null, last);
        return;
      }
      long next = Math.min(pause * 2, maxPauseNanos);
      scheduler.schedule(time.nanoTime() + Math.min(pause, left), () -> step(() ->
          poll.get().whenComplete((read, failure) -> step(() -> afterPoll(next, read, last)))));
    }

    private void afterPoll(long pause, L2Tier.Read read, L2Tier.Read last) {
      if (read == null) { // a poll that broke its promise never to fail
        complete(Kind.COMPUTE, null, last);
      } else if (read.found() != null) {
        waitHits.increment();
        complete(Kind.FOUND, null, read);
      } else if (read.failed()) {
        pollFailures.increment(); // the read itself is counted by L2Tier
        complete(Kind.COMPUTE, null, read);
      } else {
        tryLeaseAsync(leaseKey, token).whenComplete((taken, failure) -> step(() -> {
          if (taken == null) {
            complete(Kind.COMPUTE, null, read);
          } else if (!taken) {
            pauseThenPoll(pause, read);
          } else { // the holder may have written and released between our read and our lease
            poll.get().whenComplete((again, broken) -> step(() -> {
              if (again != null && again.found() != null) {
                release(leaseKey, token, null);
                waitHits.increment();
                complete(Kind.FOUND, null, again);
              } else {
                takeovers.increment();
                complete(Kind.LEAD, token, again == null || again.failed() ? read : again);
              }
            }));
          }
        }));
      }
    }

    private void complete(Kind kind, String heldToken, L2Tier.Read read) {
      outcome.complete(new Outcome(kind, leaseKey, heldToken, read));
    }

    /** Runs a step; whatever it throws makes the caller compute (never a lost wait). */
    private void step(Runnable step) {
      try {
        step.run();
      } catch (RuntimeException | Error e) {
        outcome.complete(new Outcome(Kind.COMPUTE, leaseKey, null, null));
      }
    }
  }

  private CompletableFuture<Boolean> tryLeaseAsync(String leaseKey, String token) {
    return guarded.guard(() -> backend.tryLease(leaseKey, token, ttl), "lease of " + leaseKey);
  }

  /** True, false, or null when L2 failed (counted and logged). */
  private Boolean tryLease(String leaseKey, String token) {
    return guarded.await(() -> backend.tryLease(leaseKey, token, ttl), "lease of " + leaseKey);
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

  LeaseStats stats() {
    return new LeaseStats(leads.sum(), waits.sum(), waitHits.sum(), takeovers.sum(), timeouts.sum(),
        errors.sum() - errorsAtReset + pollFailures.sum());
  }

  void reset() {
    leads.reset();
    waits.reset();
    waitHits.reset();
    takeovers.reset();
    timeouts.reset();
    pollFailures.reset();
    errorsAtReset = errors.sum();
  }
}
