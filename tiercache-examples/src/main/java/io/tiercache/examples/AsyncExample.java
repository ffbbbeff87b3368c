package io.tiercache.examples;

import io.tiercache.AsyncCachedFunction1;
import io.tiercache.ManualTimeSource;
import io.tiercache.TierCache;
import io.tiercache.backend.InMemoryBackend;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * async-lru's {@code get_pep} example in Java: an asynchronous fetch cached in two layers.
 * Concurrent callers share one fetch, the TTL (with jitter) counts from when the fetch completed
 * and expired entries leave L1 on their own, a failed fetch is not cached, and closing cancels what
 * is in flight. The clock is a {@link ManualTimeSource}, so the output is the same on every run.
 */
public final class AsyncExample {
  private final PrintStream out;
  private final AtomicInteger fetches = new AtomicInteger();
  private final Executor network = CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS);

  AsyncExample(PrintStream out) {
    this.out = out;
  }

  /** Stands in for an HTTP GET of a PEP: completes later, on another thread. */
  CompletableFuture<String> fetchPep(Integer number) {
    fetches.incrementAndGet();
    return CompletableFuture.supplyAsync(() -> {
      if (number == 666) {
        throw new IllegalStateException("HTTP 503 for PEP " + number);
      }
      return number == 9991 ? "Not Found" : "PEP " + number + " text";
    }, network);
  }

  void run() {
    ManualTimeSource clock = new ManualTimeSource();
    TierCache cache = TierCache.builder().namespace("peps").timeSource(clock)
        .backend("default", InMemoryBackend.builder().timeSource(clock).build()).build();
    AsyncCachedFunction1<Integer, String> getPep = cache.function("getPep", String.class)
        .l1MaxSize(32)
        .ttl(Duration.ofMinutes(5))
        .jitter(Duration.ofMinutes(1))
        .ofAsync(this::fetchPep);

    List<CompletableFuture<String>> callers = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      callers.add(getPep.apply(8));
    }
    CompletableFuture.allOf(callers.toArray(new CompletableFuture<?>[0])).join();
    out.println("1. ten concurrent callers of PEP 8: " + fetches.get() + " fetch, the same result for all: "
        + callers.stream().map(CompletableFuture::join).distinct().count());
    out.println("   " + getPep.cacheInfo());

    getPep.cacheClear();
    fetches.set(0);
    for (int n : new int[] {8, 290, 308, 320, 8, 218, 320, 279, 289, 320, 9991}) {
      getPep.apply(n).join();
    }
    out.println("2. async-lru's sequence 8, 290, 308, 320, 8, 218, 320, 279, 289, 320, 9991: "
        + fetches.get() + " fetches");
    out.println("   " + getPep.cacheInfo());

    clock.advance(Duration.ofMinutes(6).plusNanos(1));
    out.println("3. six minutes later (ttl 5 min + up to 1 min of jitter): expired entries left L1 on their own");
    out.println("   " + getPep.cacheInfo());

    for (int attempt = 1; attempt <= 2; attempt++) {
      try {
        getPep.apply(666).join();
      } catch (CompletionException e) {
        out.println("4. attempt " + attempt + " at PEP 666 failed: " + e.getCause().getMessage()
            + " (not cached: contains -> " + getPep.contains(666) + ")");
      }
    }

    CompletableFuture<String> inFlight = getPep.apply(1);
    getPep.close();
    out.println("5. closed while PEP 1 was in flight: its caller sees cancellation -> "
        + inFlight.isCancelled());
    try {
      getPep.apply(1);
    } catch (IllegalStateException e) {
      out.println("   a call after close: " + e.getMessage());
    }
    inFlight.handle((v, e) -> e instanceof CancellationException).join();
  }

  /**
   * Runs the example.
   *
   * @param args not used
   */
  public static void main(String[] args) {
    new AsyncExample(System.out).run();
  }
}
