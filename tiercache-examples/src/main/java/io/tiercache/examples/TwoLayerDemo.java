package io.tiercache.examples;

import io.tiercache.CachedFunction2;
import io.tiercache.TierCache;
import io.tiercache.backend.InMemoryBackend;
import java.io.PrintStream;
import java.time.Duration;

/**
 * The README demo: a slow function cached in two layers, two {@link TierCache} instances sharing
 * one embedded L2 standing in for two processes, and invalidation, with the statistics after each
 * step. Runs with no server.
 */
public final class TwoLayerDemo {

  /** A shipping quote: what the slow function returns. */
  public record Quote(String sku, int quantity, long priceCents) {}

  private final PrintStream out;
  private int slowCalls;

  TwoLayerDemo(PrintStream out) {
    this.out = out;
  }

  /** Stands in for a slow query or remote call. */
  Quote slowQuote(String sku, Integer quantity) {
    slowCalls++;
    try {
      Thread.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return new Quote(sku, quantity, 1_999L * quantity);
  }

  private CachedFunction2<String, Integer, Quote> quoteIn(TierCache process) {
    return process.function("quote", Quote.class)
        .l1MaxSize(1_000)
        .ttl(Duration.ofMinutes(10))
        .of(this::slowQuote);
  }

  void run() {
    // One embedded L2 shared by two TierCache instances: two "processes" of one application.
    InMemoryBackend sharedL2 = InMemoryBackend.create();
    TierCache processA = TierCache.builder().namespace("shop").backend("default", sharedL2).build();
    TierCache processB = TierCache.builder().namespace("shop").backend("default", sharedL2).build();
    CachedFunction2<String, Integer, Quote> quoteA = quoteIn(processA);
    CachedFunction2<String, Integer, Quote> quoteB = quoteIn(processB);

    step("1. process A, first call: computed (L1 miss, L2 miss), stored in both layers",
        () -> quoteA.apply("A-42", 3), quoteA);
    step("2. process A, same call: L1 hit", () -> quoteA.apply("A-42", 3), quoteA);
    step("3. process B, same call: L1 miss, L2 hit (computed by A)", () -> quoteB.apply("A-42", 3), quoteB);
    step("4. process B again: L1 hit", () -> quoteB.apply("A-42", 3), quoteB);

    out.println("5. process A invalidates (\"A-42\", 3): removed from A's L1, from L2, and from B's L1"
        + " before it returns (coherent L1s) -> " + quoteA.invalidate("A-42", 3));
    out.printf("   process B: %s%n", quoteB.cacheInfo());
    step("6. process B, same call: computed again (L1 miss, L2 miss)", () -> quoteB.apply("A-42", 3), quoteB);
    step("7. process A, same call: L2 hit (computed by B)", () -> quoteA.apply("A-42", 3), quoteA);
    out.println();
    out.println("The slow function ran " + slowCalls + " times for 7 calls.");
  }

  private void step(String title, java.util.function.Supplier<Quote> call, CachedFunction2<?, ?, ?> fn) {
    long start = System.nanoTime();
    Quote quote = call.get();
    long micros = (System.nanoTime() - start) / 1_000;
    out.println(title);
    out.printf("   -> %s in %,d us%n   %s%n", quote, micros, fn.cacheInfo());
  }

  /**
   * Runs the demo.
   *
   * @param args not used
   */
  public static void main(String[] args) {
    new TwoLayerDemo(System.out).run();
  }
}
