package io.tiercache.bench.hitratio;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tiercache.CachedFunction1;
import io.tiercache.L1Policy;
import io.tiercache.TierCache;
import io.tiercache.bench.peer.JetCachePeer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * How often each cache's eviction policy hits on a skewed trace: tiercache's L1 with its default
 * policy (exact LRU) and with {@code l1Policy(W_TINY_LFU)}, Caffeine (W-TinyLFU) and JetCache's
 * {@code linkedhashmap} (LRU), each bounded to 1% of the key space and fed the same
 * {@link ZipfTrace} of a million calls. Hit ratios, not timings. The trace is fixed by its seed
 * and the LRUs are deterministic; Caffeine's maintenance runs on the calling thread, but its
 * admission has a deliberate random element (against hash flooding), so its ratio, and that of
 * tiercache's W-TinyLFU option (the same library), may move in the second decimal between runs.
 * Writes a Markdown section for the report.
 *
 * <pre>
 * java -cp benchmarks.jar io.tiercache.bench.hitratio.HitRatioSimulation hit-ratio.md
 * </pre>
 */
public final class HitRatioSimulation {
  /** The key space of the report's traces. */
  public static final int KEY_SPACE = 100_000;
  /** Calls per trace. */
  public static final int CALLS = 1_000_000;
  /** The caches' bound: 1% of the key space. */
  public static final int CACHE_SIZE = KEY_SPACE / 100;
  /** The traces' seed. */
  public static final long SEED = 42;
  /** The skews reported. */
  public static final List<Double> EXPONENTS = List.of(0.8, 1.0, 1.2);

  private HitRatioSimulation() {}

  /**
   * The hit ratios of one trace.
   *
   * @param exponent the trace's Zipf exponent
   * @param tiercache tiercache L1's hit ratio with the default policy (exact LRU)
   * @param tiercacheTinyLfu tiercache L1's with {@code l1Policy(W_TINY_LFU)}
   * @param caffeine Caffeine's
   * @param jetcacheLru JetCache {@code linkedhashmap}'s
   */
  public record HitRatios(double exponent, double tiercache, double tiercacheTinyLfu, double caffeine,
      double jetcacheLru) {}

  /** Runs every cache on {@code trace} with caches of {@code cacheSize} entries. */
  public static HitRatios simulate(ZipfTrace trace, int cacheSize) {
    long[] keys = trace.keys();
    TierCache l1Only = TierCache.builder().build();
    CachedFunction1<Long, Long> tiercache = l1Only.function("identity", Long.class).l1MaxSize(cacheSize)
        .of((Long k) -> k);
    CachedFunction1<Long, Long> tiercacheTinyLfu = l1Only.function("identityTinyLfu", Long.class)
        .l1MaxSize(cacheSize).l1Policy(L1Policy.W_TINY_LFU).of((Long k) -> k);
    Cache<Long, Long> caffeine = Caffeine.newBuilder().maximumSize(cacheSize)
        .executor(Runnable::run).build();
    com.alicp.jetcache.Cache<Long, Long> jetcache = JetCachePeer.linkedHashMap(cacheSize);
    LongAdder caffeineMisses = new LongAdder();
    LongAdder jetcacheMisses = new LongAdder();
    Function<Long, Long> caffeineLoad = k -> {
      caffeineMisses.increment();
      return k;
    };
    Function<Long, Long> jetcacheLoad = k -> {
      jetcacheMisses.increment();
      return k;
    };
    for (long key : keys) {
      Long boxed = key;
      tiercache.apply(boxed);
      tiercacheTinyLfu.apply(boxed);
      caffeine.get(boxed, caffeineLoad);
      jetcache.computeIfAbsent(boxed, jetcacheLoad);
    }
    double calls = keys.length;
    HitRatios ratios = new HitRatios(trace.exponent(), tiercache.cacheInfo().l1Hits() / calls,
        tiercacheTinyLfu.cacheInfo().l1Hits() / calls, (keys.length - caffeineMisses.sum()) / calls, (keys.length - jetcacheMisses.sum()) / calls);
    l1Only.close();
    return ratios;
  }

  /** The report's section: one row per exponent. */
  public static String section(List<HitRatios> rows) {
    StringBuilder md = new StringBuilder()
        .append("## Hit ratio: tiercache's L1 policy against Caffeine's\n\n")
        .append(String.format(Locale.ROOT, "Zipf traces of %,d calls over %,d keys (seed %d),"
            + " caches of %,d entries (1%% of the keys), all caches fed the same trace"
            + " (`%s`). Hit ratios, not timings. The LRUs are deterministic; Caffeine's"
            + " admission has a deliberate random element, so its ratio may move in the second"
            + " decimal from run to run, as may that of tiercache's `l1Policy(W_TINY_LFU)`, which is"
            + " Caffeine's policy.\n\n", CALLS, KEY_SPACE, SEED, CACHE_SIZE,
            "HitRatioSimulation"))
        .append("| Zipf exponent | tiercache L1 (exact LRU, default) | tiercache L1 `l1Policy(W_TINY_LFU)`"
            + " | Caffeine (W-TinyLFU) | JetCache linkedhashmap (LRU) |\n|---:|---:|---:|---:|---:|\n");
    for (HitRatios r : rows) {
      md.append(String.format(Locale.ROOT, "| %.1f | %.2f%% | %.2f%% | %.2f%% | %.2f%% |\n", r.exponent(),
          100 * r.tiercache(), 100 * r.tiercacheTinyLfu(), 100 * r.caffeine(), 100 * r.jetcacheLru()));
    }
    return md.toString();
  }

  /** Runs the report's traces and writes the section to the file named by the argument. */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: HitRatioSimulation out.md");
    }
    List<HitRatios> rows = EXPONENTS.stream()
        .map(s -> simulate(new ZipfTrace(KEY_SPACE, CALLS, s, SEED), CACHE_SIZE)).toList();
    String section = section(rows);
    Files.writeString(Path.of(args[0]), section);
    System.out.print(section);
  }
}
