package io.tiercache.bench;

import com.github.benmanes.caffeine.cache.Cache;
import io.tiercache.CachedFunction2;
import io.tiercache.TierCache;
import io.tiercache.bench.UserCallShape.FindKey;
import io.tiercache.coherence.LocalInvalidationChannel;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Heap per entry of each store holding {@value #ENTRIES} entries of issue 13's call shape
 * ({@link UserCallShape}): retained heap after a full GC, minus the heap before the store was
 * built, divided by the entries. Every store keeps what a user's call leaves in it: tiercache the
 * boxed {@code id} of the call (inside its key), Caffeine and the floor their record key; values
 * are shared instances, so they cost no store anything.
 *
 * <p>Stores, all bounded to {@value #MAX_SIZE} (nothing evicted): the floor
 * ({@code ConcurrentHashMap} + record key, default capacity), Caffeine with tiercache's options,
 * a tiercache function with no L2, and with an L2 that keeps nothing
 * ({@link UserCallShape#discardingBackend}) without and with an invalidation channel (the
 * embedded store's {@link LocalInvalidationChannel}), so the L2 costs no heap and the difference
 * is what an L2 and a channel add to each L1 entry.
 *
 * <p>Each store is measured twice, in turn, and the second round is reported (the first loads
 * classes and settles the JIT); both rounds are printed. Run it alone on a quiet machine, with a
 * heap large enough for the biggest store and compressed oops ({@code -Xmx4g}):
 *
 * <pre>
 * java -Xmx4g -cp tiercache-bench/target/benchmarks.jar io.tiercache.bench.HeapPerEntry heap.md
 * </pre>
 */
public final class HeapPerEntry {
  /** Entries per store. */
  public static final int ENTRIES = 1_000_000;
  /** Every store's bound: above {@link #ENTRIES}. */
  public static final long MAX_SIZE = 1L << 20;

  private static final String CAFFEINE = "Caffeine, same options";
  private static final String FLOOR = "floor: ConcurrentHashMap + record key";

  private HeapPerEntry() {}

  /** One store's measurement, in bytes per entry, of each round. */
  public record Measured(String store, double[] rounds) {
    /** The reported round: the last. */
    public double bytesPerEntry() {
      return rounds[rounds.length - 1];
    }
  }

  /** The stores measured, in order: each builds and fills a store and returns it. */
  static Map<String, Function<long[], Object>> stores() {
    Map<String, Function<long[], Object>> stores = new LinkedHashMap<>();
    stores.put(FLOOR, ids -> {
      ConcurrentHashMap<FindKey, String> map = new ConcurrentHashMap<>();
      for (int i = 0; i < ids.length; i++) {
        String category = UserCallShape.category(i);
        map.put(new FindKey(ids[i], category), UserCallShape.find(ids[i], category));
      }
      return map;
    });
    stores.put(CAFFEINE, ids -> {
      Cache<FindKey, String> cache = UserCallShape.caffeine(MAX_SIZE);
      for (int i = 0; i < ids.length; i++) {
        String category = UserCallShape.category(i);
        cache.get(new FindKey(ids[i], category), UserCallShape::load);
      }
      cache.cleanUp();
      return cache;
    });
    stores.put("tiercache, L1 only", ids -> fill(TierCache.builder().build(), ids));
    stores.put("tiercache, L2 without channel", ids -> fill(TierCache.builder()
        .backend(TierCache.DEFAULT, UserCallShape.discardingBackend(null)).build(), ids));
    stores.put("tiercache, L2 with channel", ids -> fill(TierCache.builder()
        .backend(TierCache.DEFAULT, UserCallShape.discardingBackend(
            new LocalInvalidationChannel("heap-per-entry"))).build(), ids));
    return stores;
  }

  private static Object fill(TierCache cache, long[] ids) {
    CachedFunction2<Long, String, String> f = UserCallShape.tiercache(cache, 0, MAX_SIZE);
    for (int i = 0; i < ids.length; i++) {
      f.apply(ids[i], UserCallShape.category(i));
    }
    if (f.cacheInfo().l1CurrSize() != ids.length) {
      throw new IllegalStateException("not every entry is in L1: " + f.cacheInfo());
    }
    return f;
  }

  /** Measures every store, {@code rounds} times in turn. */
  public static List<Measured> measure(int entries, int rounds) {
    long[] ids = UserCallShape.ids(entries, 42);
    Map<String, Function<long[], Object>> stores = stores();
    Map<String, double[]> results = new LinkedHashMap<>();
    stores.keySet().forEach(name -> results.put(name, new double[rounds]));
    for (int round = 0; round < rounds; round++) {
      for (Map.Entry<String, Function<long[], Object>> store : stores.entrySet()) {
        long before = usedAfterGc();
        Object filled = store.getValue().apply(ids);
        long after = usedAfterGc();
        Reference.reachabilityFence(filled);
        results.get(store.getKey())[round] = (after - before) / (double) entries;
      }
    }
    List<Measured> measured = new ArrayList<>();
    results.forEach((name, perRound) -> measured.add(new Measured(name, perRound)));
    return measured;
  }

  /** Heap in use after full collections, once two in a row agree within 1%. */
  private static long usedAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long previous = Long.MAX_VALUE;
    for (int i = 0; i < 10; i++) {
      System.gc();
      long used = memory.getHeapMemoryUsage().getUsed();
      if (Math.abs(previous - used) <= used / 100) {
        return used;
      }
      previous = used;
    }
    return previous;
  }

  /** The Markdown table of {@code measured}: bytes per entry, and as ratios to Caffeine and the floor. */
  public static String markdown(List<Measured> measured) {
    double caffeine = find(measured, CAFFEINE);
    double floor = find(measured, FLOOR);
    StringBuilder out = new StringBuilder();
    out.append("| store (").append(String.format(Locale.ROOT, "%,d", ENTRIES))
        .append(" entries) | B/entry | x Caffeine | x floor | rounds |\n|---|---:|---:|---:|---|\n");
    for (Measured m : measured) {
      StringBuilder rounds = new StringBuilder();
      for (double r : m.rounds()) {
        rounds.append(rounds.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.1f", r));
      }
      out.append(String.format(Locale.ROOT, "| %s | %.1f | %.2fx | %.2fx | %s |%n", m.store(),
          m.bytesPerEntry(), m.bytesPerEntry() / caffeine, m.bytesPerEntry() / floor, rounds));
    }
    return out.toString();
  }

  private static double find(List<Measured> measured, String store) {
    return measured.stream().filter(m -> m.store().equals(store)).findFirst()
        .orElseThrow().bytesPerEntry();
  }

  /** Measures with the report's settings and writes the table to the file named by the argument. */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: HeapPerEntry out.md");
      System.exit(2);
    }
    String table = markdown(measure(ENTRIES, 2));
    System.out.print(table);
    Files.writeString(Path.of(args[0]), "## Heap per entry, issue 13's call shape\n\n"
        + "Retained heap after a full GC per entry of each store holding "
        + String.format(Locale.ROOT, "%,d", ENTRIES) + " entries of `find(long id, String category)` "
        + "(`HeapPerEntry`, " + Runtime.version() + ", max heap "
        + (Runtime.getRuntime().maxMemory() >> 20) + " MiB); tiercache's key holds the call's boxed "
        + "`id`, the others a record key; values are shared. Second of two rounds reported.\n\n"
        + table + "\n");
  }
}
