package io.tiercache.internal.stats;

import io.tiercache.CacheInfo;
import io.tiercache.TimeSource;
import io.tiercache.backend.Backend;
import io.tiercache.internal.key.L2KeyEncoder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Publishes a process's per-function statistics to L2 every period, so that an operator can read
 * the statistics of every running process ({@code tiercache stats}): enabled with
 * {@code TierCache.builder().publishStats(period)}, off by default.
 *
 * <p>Each period it writes one {@link StatsReport} under {@code <namespace>:#s:<processId>} in each
 * backend, with a TTL of three periods, so a process that stops disappears from the statistics
 * within three periods ({@link #close} deletes its key at once). Function names cannot contain
 * {@code #}, so the key never meets an entry's key. A write that fails is skipped (the next period
 * writes again): publishing never affects cached calls. One daemon thread per publisher.
 */
public final class StatsPublisher implements AutoCloseable {
  /** The shortest period: publishing is one write per backend and period. */
  public static final Duration MIN_PERIOD = Duration.ofMillis(100);
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._@-]{1,100}");

  private final Supplier<Map<String, CacheInfo>> infos;
  private final List<Backend> backends;
  private final String key;
  private final String processId;
  private final Duration period;
  private final Duration ttl;
  private final TimeSource time;
  private final ScheduledExecutorService executor;

  private StatsPublisher(Supplier<Map<String, CacheInfo>> infos, List<Backend> backends,
      String namespace, String processId, Duration period, TimeSource time) {
    this.infos = infos;
    this.backends = List.copyOf(backends);
    this.processId = processId;
    this.key = keyPrefix(namespace) + processId;
    this.period = period;
    this.ttl = period.multipliedBy(3);
    this.time = time;
    this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "tiercache-stats-" + namespace);
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Starts publishing the statistics {@code infos} gives, to every backend of {@code backends}.
   *
   * @throws IllegalArgumentException if the period is shorter than {@link #MIN_PERIOD} or the id is
   *     not 1-100 letters, digits or {@code . _ @ -}
   */
  public static StatsPublisher start(Supplier<Map<String, CacheInfo>> infos, List<Backend> backends,
      String namespace, String processId, Duration period, TimeSource time) {
    checkPeriod(period);
    checkProcessId(processId);
    StatsPublisher publisher = new StatsPublisher(Objects.requireNonNull(infos, "infos"), backends,
        Objects.requireNonNull(namespace, "namespace"), processId, period, time);
    publisher.executor.scheduleAtFixedRate(publisher::publishNow, 0, period.toNanos(),
        TimeUnit.NANOSECONDS);
    return publisher;
  }

  /** Checks a publishing period; returns it. */
  public static Duration checkPeriod(Duration period) {
    Objects.requireNonNull(period, "period");
    if (period.compareTo(MIN_PERIOD) < 0) {
      throw new IllegalArgumentException("the stats publishing period must be at least "
          + MIN_PERIOD.toMillis() + " ms, got " + period);
    }
    return period;
  }

  /** Checks a process id; returns it. */
  public static String checkProcessId(String processId) {
    Objects.requireNonNull(processId, "processId");
    if (!ID.matcher(processId).matches()) {
      throw new IllegalArgumentException("a stats process id must be 1-100 letters, digits, '.', '_',"
          + " '@' or '-', got '" + processId + "'");
    }
    return processId;
  }

  /** {@code <pid>@<host name>}, with characters outside the id alphabet replaced by {@code _}. */
  public static String defaultProcessId() {
    String host = System.getenv().getOrDefault("HOSTNAME", "");
    if (host.isEmpty()) {
      try {
        host = java.net.InetAddress.getLocalHost().getHostName();
      } catch (java.io.IOException e) {
        host = "unknown-host";
      }
    }
    String id = ProcessHandle.current().pid() + "@" + host.replaceAll("[^A-Za-z0-9._-]", "_");
    return id.length() > 100 ? id.substring(0, 100) : id;
  }

  /** The L2 key (before any backend prefix) under which every report of a namespace starts. */
  public static String keyPrefix(String namespace) {
    return L2KeyEncoder.namespaceHead(namespace) + "#s:";
  }

  /** This publisher's process id. */
  public String processId() {
    return processId;
  }

  /** Writes the current statistics now (also what each period does). */
  public void publishNow() {
    try {
      byte[] report = new StatsReport(processId, time.currentTimeMillis(), period.toMillis(),
          infos.get()).encode();
      for (Backend backend : backends) {
        backend.set(key, report, ttl); // a failed write is skipped: the next period writes again
      }
    } catch (RuntimeException e) {
      // never let one bad period stop the schedule; the next one tries again
    }
  }

  /** Stops publishing and deletes this process's report. Idempotent. */
  @Override
  public void close() {
    if (executor.isShutdown()) {
      return;
    }
    executor.shutdownNow();
    try {
      executor.awaitTermination(1, TimeUnit.SECONDS); // a write of this period lands before the delete
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Backend backend : backends) {
      backend.delete(key);
    }
  }
}
