package io.tiercache.examples;

import io.tiercache.CacheInfo;
import io.tiercache.CachedFunction1;
import io.tiercache.CoherenceInfo;
import io.tiercache.TierCache;
import io.tiercache.redis.RedisBackend;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Two processes sharing Redis as their L2, in one JVM: each has its own {@link RedisBackend}
 * (its own connections, as two JVMs would) and its own {@link TierCache}. A value computed in one
 * is an L2 hit in the other; an invalidation made in one leaves the other's L1 within the stated
 * bound, through Redis pub/sub.
 *
 * <pre>
 * mvn -q -Pdemo -pl tiercache-examples -am package -Ddemo.main=io.tiercache.examples.RedisExample \
 *     -Dexec.args=redis://127.0.0.1:6379
 * </pre>
 */
public final class RedisExample {
  private final PrintStream out;
  private final String uri;
  private final AtomicInteger queries = new AtomicInteger();

  RedisExample(PrintStream out, String uri) {
    this.out = out;
    this.uri = uri;
  }

  /** Stands in for a slow database query. */
  String priceOf(String sku) {
    queries.incrementAndGet();
    return sku + " costs " + (sku.length() * 100) + " cents";
  }

  /** One process: its own backend (connections) and {@code TierCache}. */
  private record Process(RedisBackend redis, TierCache cache, CachedFunction1<String, String> price)
      implements AutoCloseable {

    @Override
    public void close() {
      cache.close();
      redis.close();
    }
  }

  private Process process(String name) {
    RedisBackend redis = RedisBackend.connect(uri);
    if (!redis.awaitUp(Duration.ofSeconds(5))) { // optional: cached calls work while Redis is down
      out.println(name + ": Redis is not up yet (" + redis.health() + "); calls compute meanwhile");
    }
    TierCache cache = TierCache.builder().namespace("shop").backend(TierCache.DEFAULT, redis).build();
    CachedFunction1<String, String> price = cache.function("price", String.class)
        .ttl(Duration.ofMinutes(10))
        .tags(args -> List.of("catalog"))
        .of(this::priceOf);
    return new Process(redis, cache, price);
  }

  void run() throws InterruptedException {
    try (Process a = process("A"); Process b = process("B")) {
      awaitDelivering(a.cache());
      awaitDelivering(b.cache());
      a.cache().invalidateTags("catalog"); // start from a clean slate on a shared Redis

      out.println("1. A: " + a.price().apply("sku-42") + "  (computed: " + queries.get() + " query)");
      awaitInL2(b.price(), "sku-42");
      out.println("2. B: " + b.price().apply("sku-42") + "  (an L2 hit: still " + queries.get()
          + " query)");
      out.println("   B " + b.price().cacheInfo());

      long start = System.nanoTime();
      a.cache().invalidateTags("catalog");
      while (b.price().cacheInfo().l1CurrSize() != 0
          && System.nanoTime() - start < Duration.ofSeconds(5).toNanos()) {
        Thread.sleep(0, 100_000);
      }
      double millis = (System.nanoTime() - start) / 1e6;
      CoherenceInfo coherence = b.cache().coherence();
      out.println(String.format(Locale.ROOT,
          "3. A invalidates tag 'catalog': B's L1 copy is gone after %.1f ms (bound %d ms)", millis,
          coherence.stalenessBound().toMillis()));
      out.println("4. B: " + b.price().apply("sku-42") + "  (computed again: " + queries.get()
          + " queries)");
      CacheInfo info = b.price().cacheInfo();
      out.println("   B " + info);
      out.println("   B received " + coherence.received() + " invalidation(s), dropped "
          + coherence.entriesDropped() + " L1 entry(ies), flushes " + coherence.flushes());
    }
  }

  private static void awaitDelivering(TierCache cache) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!cache.coherence().delivering() && System.nanoTime() - deadline < 0) {
      Thread.sleep(10);
    }
  }

  /** A's write is not awaited by A's call: wait until it is in Redis before B reads. */
  private static void awaitInL2(CachedFunction1<String, String> f, String sku) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!f.contains(sku) && System.nanoTime() - deadline < 0) {
      Thread.sleep(1);
    }
  }

  /**
   * Runs the example against the Redis at {@code args[0]} (default {@code redis://127.0.0.1:6379}).
   *
   * @param args the Redis URI, optionally
   * @throws InterruptedException if interrupted while waiting for a write to reach Redis
   */
  public static void main(String[] args) throws InterruptedException {
    new RedisExample(System.out, args.length > 0 ? args[0] : "redis://127.0.0.1:6379").run();
  }
}
