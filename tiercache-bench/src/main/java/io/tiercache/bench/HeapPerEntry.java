package io.tiercache.bench;

import io.tiercache.CachedFunction1;
import io.tiercache.TierCache;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.util.List;

/**
 * Heap per L1 entry: the heap in use after a full GC, before and after one L1-only function of
 * {@code Long -> Long} is filled with N entries, divided by N (keys and values included, the same
 * boxes whatever the store). Run with a fixed heap and a single GC thread to keep it steady, e.g.
 * {@code java -Xms4g -Xmx4g -XX:+UseParallelGC -cp benchmarks.jar io.tiercache.bench.HeapPerEntry
 * 1000000 plain}; kinds: {@code plain} (no tags) and {@code tagged} (1% of the entries carry tag
 * "hot", the others "cold").
 */
public final class HeapPerEntry {
  private HeapPerEntry() {}

  public static void main(String[] args) {
    int entries = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    boolean tagged = args.length > 1 && args[1].equals("tagged");
    TierCache cache = TierCache.builder().build();
    var builder = cache.function("heap", Long.class).l1Unbounded();
    if (tagged) {
      int hot = entries / 100;
      builder = builder.tags(args1 -> List.of((Long) args1[0] < hot ? "hot" : "cold"));
    }
    CachedFunction1<Long, Long> function = builder.of((Long id) -> id * 31);
    function.apply(-1L);
    long before = usedAfterGc();
    for (long i = 0; i < entries; i++) {
      function.apply(i);
    }
    long after = usedAfterGc();
    System.out.printf("%s entries=%d l1=%d bytes/entry=%.1f%n", tagged ? "tagged" : "plain", entries,
        function.cacheInfo().l1CurrSize(), (after - before) / (double) entries);
    Reference.reachabilityFence(function);
    cache.close();
  }

  private static long usedAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
