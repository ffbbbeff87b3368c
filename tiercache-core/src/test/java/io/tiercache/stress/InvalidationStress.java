package io.tiercache.stress;

import io.tiercache.AsyncCachedFunction1;
import io.tiercache.CacheInfo;
import io.tiercache.CachedFunction1;
import io.tiercache.CachedFunctionBuilder;
import io.tiercache.L1Policy;
import io.tiercache.TierCache;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The bounded stress run of issue 12, black-box through the public API: a "database" of a few
 * keys, each an {@link AtomicLong} version, a cached function returning the version it read,
 * writer threads doing "update the source (version++), then invalidate" and reader threads
 * calling the function, for a bounded time.
 *
 * <p>The invariant counted: a read that <em>starts</em> after an invalidation of its key
 * <em>returned</em> returns a version at least the one written before that invalidation. Each
 * writer publishes "last version invalidated" for the key only once the invalidation (or
 * refresh) has returned; each reader samples it before its call, so any smaller result is a stale
 * value served after an invalidation returned, never a benign race. After the run, with every
 * thread stopped, L2 (read through a second {@code TierCache}, a second "process" on the same
 * backend, whose own function never computes) and L1 (the function's own, told apart by its
 * {@link CacheInfo}) must hold no value older than the key's current version.
 *
 * <p>Used by the embedded-store variants in this module and, through the test jar, by the Redis
 * ones in {@code tiercache-redis}; the duration comes from {@link #configuredDuration()}.
 */
public final class InvalidationStress {
  /** System property: seconds each variant runs; default {@value #DEFAULT_SECONDS}. */
  public static final String DURATION_PROPERTY = "tiercache.stress.seconds";

  static final int DEFAULT_SECONDS = 10;
  private static final long WAIT_SECONDS = 10;
  private static final String FUNCTION = "version";

  /** Synchronous or asynchronous cached function. */
  public enum Kind { SYNC, ASYNC }

  /** What each writer round does after incrementing the key's version. */
  public enum Writer {
    /** {@code invalidate(k)}. */
    INVALIDATE,
    /** {@code invalidateTags(k)} on a function tagged {@code item:<k>}. */
    INVALIDATE_TAGS,
    /** {@code invalidatePrefix(k)} on a function whose entries have prefix {@code p<k>}. */
    INVALIDATE_PREFIX,
    /** {@code refresh(k)}, whose result must itself be current. */
    REFRESH,
    /**
     * Nothing: the source changes and the cache is never told. Only for showing that the harness
     * does count stale reads; every other writer must produce none.
     */
    FORGET_TO_INVALIDATE
  }

  /**
   * One run's shape.
   *
   * @param kind sync or async function
   * @param writer what a writer does after {@code version++}
   * @param keys how many keys (versions) the database has, at least 1
   * @param writers writer threads, at least 1
   * @param readers reader threads, at least 1
   * @param duration how long writers and readers run, positive
   * @param settle after the run, how long a layer may go on holding an old version before it counts
   *     as stale (writes still travelling, e.g. async L2 writes, which are not awaited); not negative
   * @param l1Policy the readers' L1 policy
   */
  public record Settings(Kind kind, Writer writer, int keys, int writers, int readers, Duration duration,
      Duration settle, L1Policy l1Policy) {
    public Settings {
      Objects.requireNonNull(l1Policy, "l1Policy");
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(writer, "writer");
      Objects.requireNonNull(duration, "duration");
      Objects.requireNonNull(settle, "settle");
      if (keys < 1 || writers < 1 || readers < 1) {
        throw new IllegalArgumentException("keys, writers and readers must each be at least 1, got keys="
            + keys + ", writers=" + writers + ", readers=" + readers);
      }
      if (duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException("duration must be positive, got " + duration);
      }
      if (settle.isNegative()) {
        throw new IllegalArgumentException("settle must not be negative, got " + settle);
      }
    }

    /**
     * Four keys, two writers, three readers (the machine has two cores), the configured duration,
     * 10 s to settle.
     */
    public static Settings of(Kind kind, Writer writer) {
      return new Settings(kind, writer, 4, 2, 3, configuredDuration(), Duration.ofSeconds(WAIT_SECONDS));
    }

    /** The settings with the default L1 policy ({@link L1Policy#LRU}). */
    public Settings(Kind kind, Writer writer, int keys, int writers, int readers, Duration duration,
        Duration settle) {
      this(kind, writer, keys, writers, readers, duration, settle, L1Policy.LRU);
    }

    /** The same settings with the readers' L1 under {@code policy}. */
    public Settings withL1Policy(L1Policy policy) {
      return new Settings(kind, writer, keys, writers, readers, duration, settle, policy);
    }
  }

  /**
   * What a run counted.
   *
   * @param label what ran, for the printed line
   * @param writerRounds "version++, invalidate" rounds completed
   * @param reads calls completed by readers
   * @param staleReads reads that returned a version older than one invalidated before they started
   * @param staleRefreshes refreshes that returned a version older than the one written before them
   * @param refusedInvalidations {@code invalidateTags}/{@code invalidatePrefix} calls that returned false
   * @param staleInL1 keys whose L1 value, once every thread stopped, was older than the key's version
   * @param staleInL2 keys whose L2 value, once every thread stopped, was older than the key's version
   * @param firstStale the first stale read or stored value seen, or "none"
   */
  public record Report(String label, long writerRounds, long reads, long staleReads, long staleRefreshes,
      long refusedInvalidations, int staleInL1, int staleInL2, String firstStale) {

    /** All the counts that must be 0 for the invariant to hold. */
    public long violations() {
      return staleReads + staleRefreshes + refusedInvalidations + staleInL1 + staleInL2;
    }

    /** One line for the test output. */
    public String summary() {
      return String.format(Locale.ROOT,
          "[stress] %s: %,d writer rounds, %,d reads, %d stale reads (%.4f%% of reads), %d stale refreshes, "
              + "%d refused invalidations, stale after quiescence: %d key(s) in L1, %d in L2; first: %s",
          label, writerRounds, reads, staleReads, reads == 0 ? 0.0 : 100.0 * staleReads / reads,
          staleRefreshes, refusedInvalidations, staleInL1, staleInL2, firstStale);
    }
  }

  private InvalidationStress() {}

  /** The duration from {@value #DURATION_PROPERTY} (whole seconds, positive), else 10 s. */
  public static Duration configuredDuration() {
    String value = System.getProperty(DURATION_PROPERTY, Integer.toString(DEFAULT_SECONDS));
    long seconds;
    try {
      seconds = Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("system property " + DURATION_PROPERTY
          + " must be a whole number of seconds, got '" + value + "'", e);
    }
    if (seconds < 1) {
      throw new IllegalArgumentException("system property " + DURATION_PROPERTY
          + " must be at least 1 second, got " + seconds);
    }
    return Duration.ofSeconds(seconds);
  }

  /**
   * Runs one variant and returns its counts (also printed). {@code process} makes a new
   * {@code TierCache} on the shared L2 each time it is called: once for the cache under test and
   * once, after the run, for the second process that reads L2; both are closed here. Fails with an
   * {@link AssertionError} when a call throws or a thread does not stop.
   */
  public static Report run(String label, Settings settings, Supplier<TierCache> process) throws Exception {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(process, "process");
    String fullLabel = label + " " + settings.kind() + "/" + settings.writer()
        + (settings.l1Policy() == L1Policy.LRU ? "" : " " + settings.l1Policy()) + " (" + settings.keys()
        + " keys, " + settings.writers() + " writers, " + settings.readers() + " readers, "
        + settings.duration().toSeconds() + " s)";
    AtomicLongArray db = new AtomicLongArray(settings.keys());
    AtomicLongArray invalidated = new AtomicLongArray(settings.keys());
    ExecutorService source = Executors.newFixedThreadPool(2, daemon("stress-db"));
    ExecutorService threads = Executors.newFixedThreadPool(settings.writers() + settings.readers(),
        daemon("stress-caller"));
    TierCache cache = process.get();
    TierCache peer = null;
    try {
      Target target = target(cache, settings, db, source, false);
      AtomicLong rounds = new AtomicLong();
      AtomicLong reads = new AtomicLong();
      AtomicLong staleReads = new AtomicLong();
      AtomicLong staleRefreshes = new AtomicLong();
      AtomicLong refused = new AtomicLong();
      AtomicReference<String> firstStale = new AtomicReference<>();
      long deadline = System.nanoTime() + settings.duration().toNanos();
      List<java.util.concurrent.Future<?>> running = new ArrayList<>();
      for (int w = 0; w < settings.writers(); w++) {
        running.add(threads.submit(() -> {
          ThreadLocalRandom random = ThreadLocalRandom.current();
          while (System.nanoTime() < deadline) {
            int k = random.nextInt(settings.keys());
            long written = db.incrementAndGet(k);
            switch (settings.writer()) {
              case INVALIDATE -> target.invalidate(k);
              case INVALIDATE_TAGS, INVALIDATE_PREFIX -> {
                if (!(settings.writer() == Writer.INVALIDATE_TAGS ? target.invalidateTags(k)
                    : target.invalidatePrefix(k))) {
                  refused.incrementAndGet();
                }
              }
              case REFRESH -> {
                long refreshed = target.refresh(k);
                if (refreshed < written) {
                  staleRefreshes.incrementAndGet();
                  firstStale.compareAndSet(null, "refresh(" + k + ") returned " + refreshed
                      + " after version " + written + " was written");
                }
              }
              case FORGET_TO_INVALIDATE -> { }
            }
            invalidated.accumulateAndGet(k, written, Math::max);
            rounds.incrementAndGet();
          }
          return null;
        }));
      }
      for (int r = 0; r < settings.readers(); r++) {
        running.add(threads.submit(() -> {
          ThreadLocalRandom random = ThreadLocalRandom.current();
          while (System.nanoTime() < deadline) {
            int k = random.nextInt(settings.keys());
            long floor = invalidated.get(k);
            long read = target.apply(k);
            if (read < floor) {
              staleReads.incrementAndGet();
              firstStale.compareAndSet(null, "apply(" + k + ") returned " + read
                  + ", started after the invalidation of version " + floor + " returned");
            }
            reads.incrementAndGet();
          }
          return null;
        }));
      }
      long stopBy = deadline + TimeUnit.SECONDS.toNanos(30);
      for (java.util.concurrent.Future<?> thread : running) {
        try {
          thread.get(Math.max(1, stopBy - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
          throw new AssertionError(fullLabel + ": a writer or reader did not stop within the run plus 30 s", e);
        } catch (ExecutionException e) {
          throw new AssertionError(fullLabel + ": a writer or reader failed", e.getCause());
        }
      }

      // Quiescent: no writer or reader runs. L2 first, through a second process whose function never
      // computes and whose L1 is off (so each look reads L2 and stores nothing), then this process's
      // L1. Writes still travelling (async L2 writes are not awaited) may land meanwhile: a layer is
      // counted stale only if it still holds an old version after looking again for settings.settle().
      peer = process.get();
      Target l2Reader = target(peer, settings, db, source, true);
      int staleInL1 = 0;
      int staleInL2 = 0;
      for (int k = 0; k < settings.keys(); k++) {
        long current = db.get(k);
        long lookUntil = System.nanoTime() + settings.settle().toNanos();
        Long inL2 = l2Reader.readL2(k);
        while (inL2 != null && inL2 < current && System.nanoTime() < lookUntil) {
          Thread.sleep(1);
          inL2 = l2Reader.readL2(k);
        }
        boolean l2Stale = inL2 != null && inL2 < current;
        if (l2Stale) {
          firstStale.compareAndSet(null, "L2 held " + inL2 + " for key " + k + " at version " + current);
        }
        while (true) {
          CacheInfo before = target.cacheInfo();
          long served = target.apply(k);
          CacheInfo after = target.cacheInfo();
          if (served >= current) {
            break;
          }
          if (after.l1Hits() > before.l1Hits()) {
            if (System.nanoTime() < lookUntil) {
              Thread.sleep(1); // an L1 hit changes nothing: look again while a store may be travelling
              continue;
            }
            staleInL1++;
            firstStale.compareAndSet(null, "L1 held " + served + " for key " + k + " at version " + current);
          } else if (after.l2Hits() > before.l2Hits()) {
            l2Stale = true;
            firstStale.compareAndSet(null, "L2 held " + served + " for key " + k + " at version " + current);
          } else {
            throw new AssertionError(fullLabel + ": computing key " + k + " returned " + served
                + " while the database held " + current);
          }
          break;
        }
        if (l2Stale) {
          staleInL2++;
        }
      }
      Report report = new Report(fullLabel, rounds.get(), reads.get(), staleReads.get(), staleRefreshes.get(),
          refused.get(), staleInL1, staleInL2, firstStale.get() == null ? "none" : firstStale.get());
      System.out.println(report.summary());
      return report;
    } finally {
      threads.shutdownNow();
      source.shutdownNow();
      cache.close();
      if (peer != null) {
        peer.close();
      }
      if (!threads.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS)
          || !source.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS)) {
        throw new AssertionError(fullLabel + ": stress threads did not stop within " + WAIT_SECONDS + " s");
      }
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicLong n = new AtomicLong();
    return runnable -> {
      Thread thread = new Thread(runnable, name + "-" + n.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  /** Thrown by the second process's function: the key was not in L2, and nothing is stored. */
  private static final class NotInL2 extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotInL2() {
      super("not in L2", null, false, false);
    }
  }

  /** The operations the run needs, on a sync or an async function. */
  private interface Target {
    long apply(int k) throws Exception;

    void invalidate(int k);

    boolean invalidateTags(int k);

    boolean invalidatePrefix(int k);

    long refresh(int k) throws Exception;

    CacheInfo cacheInfo();

    /** The L2 value of {@code k}, or null when L2 has none (only for the second process). */
    Long readL2(int k) throws Exception;
  }

  private static CachedFunctionBuilder<Long> configured(TierCache cache, Writer writer) {
    CachedFunctionBuilder<Long> builder = cache.function(FUNCTION, Long.class);
    return switch (writer) {
      case INVALIDATE_TAGS -> builder.tags(args -> List.of("item:" + args[0]));
      case INVALIDATE_PREFIX -> builder.prefix(args -> "p" + args[0]);
      default -> builder;
    };
  }

  private static Target target(TierCache cache, Settings settings, AtomicLongArray db, ExecutorService source,
      boolean l2ReaderOnly) {
    CachedFunctionBuilder<Long> builder = configured(cache, settings.writer());
    if (l2ReaderOnly) {
      builder.l1MaxSize(0);
    } else {
      builder.l1Policy(settings.l1Policy());
    }
    if (settings.kind() == Kind.SYNC) {
      CachedFunction1<Integer, Long> f = builder.of((Integer k) -> {
        if (l2ReaderOnly) {
          throw new NotInL2();
        }
        long version = db.get(k);
        Thread.yield(); // a database call takes time: let writers run between the read and the store
        return version;
      });
      return new Target() {
        @Override public long apply(int k) {
          return f.apply(k);
        }

        @Override public void invalidate(int k) {
          f.invalidate(k);
        }

        @Override public boolean invalidateTags(int k) {
          return f.invalidateTags(k);
        }

        @Override public boolean invalidatePrefix(int k) {
          return f.invalidatePrefix(k);
        }

        @Override public long refresh(int k) {
          return f.refresh(k);
        }

        @Override public CacheInfo cacheInfo() {
          return f.cacheInfo();
        }

        @Override public Long readL2(int k) {
          try {
            return f.apply(k);
          } catch (NotInL2 e) {
            return null;
          }
        }
      };
    }
    AsyncCachedFunction1<Integer, Long> f = builder.ofAsync((Integer k) -> l2ReaderOnly
        ? CompletableFuture.<Long>failedFuture(new NotInL2())
        : CompletableFuture.supplyAsync(() -> db.get(k), source));
    return new Target() {
      @Override public long apply(int k) throws Exception {
        return f.apply(k).get(WAIT_SECONDS, TimeUnit.SECONDS);
      }

      @Override public void invalidate(int k) {
        f.invalidate(k);
      }

      @Override public boolean invalidateTags(int k) {
        return f.invalidateTags(k);
      }

      @Override public boolean invalidatePrefix(int k) {
        return f.invalidatePrefix(k);
      }

      @Override public long refresh(int k) throws Exception {
        return f.refresh(k).get(WAIT_SECONDS, TimeUnit.SECONDS);
      }

      @Override public CacheInfo cacheInfo() {
        return f.cacheInfo();
      }

      @Override public Long readL2(int k) throws Exception {
        try {
          return f.apply(k).get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (e.getCause() instanceof NotInL2) {
            return null;
          }
          throw e;
        }
      }
    };
  }
}
