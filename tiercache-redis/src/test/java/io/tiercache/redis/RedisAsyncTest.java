package io.tiercache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.AsyncCachedFunction2;
import io.tiercache.CacheInfo;
import io.tiercache.TierCache;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Async cached functions on a real Redis: a value computed through one {@code TierCache} is an L2
 * hit in another on its own connection, read through the async path (nothing waits for Redis), and
 * concurrent callers of one key share one GET.
 */
class RedisAsyncTest {
  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();
  private final ExecutorService pool = Executors.newFixedThreadPool(4);

  record Quote(String sku, int quantity, long priceCents) {}

  @AfterEach
  void stopPool() throws InterruptedException {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  private TierCache process() {
    RedisBackend backend = redis.closeAfterTest(RedisBackend.connect(redis.uri()));
    assertThat(backend.awaitUp(Duration.ofSeconds(10))).as("backend up").isTrue();
    // without coherence: its subscription and heartbeats would show in the command counts
    return TierCache.builder().namespace("shop").backend(TierCache.DEFAULT, backend).executor(pool)
        .coherence(false).build();
  }

  private AsyncCachedFunction2<String, Integer, Quote> quote(TierCache cache, AtomicInteger computed) {
    return cache.function("quote", Quote.class).ttl(Duration.ofMinutes(10))
        .ofAsync((String sku, Integer qty) -> CompletableFuture.supplyAsync(() -> {
          computed.incrementAndGet();
          return new Quote(sku, qty, 1999L * qty);
        }, pool));
  }

  private static <T> T done(CompletableFuture<T> future) throws Exception {
    return future.get(10, TimeUnit.SECONDS);
  }

  @Test
  void aValueComputedInOneTierCacheIsAnAsyncL2HitInAnother() throws Exception {
    AtomicInteger computedA = new AtomicInteger();
    AtomicInteger computedB = new AtomicInteger();
    AsyncCachedFunction2<String, Integer, Quote> a = quote(process(), computedA);
    AsyncCachedFunction2<String, Integer, Quote> b = quote(process(), computedB);

    assertThat(done(a.apply("A-42", 3))).isEqualTo(new Quote("A-42", 3, 5997));
    assertThat(a.cacheInfo()).isEqualTo(new CacheInfo(0, 1, 0, 1, 128, 1));
    Eventually.waitFor("the entry in Redis", Duration.ofSeconds(10),
        () -> redis.raw().sync().dbsize() == 1);
    assertThat(redis.raw().sync().ttl(redis.raw().sync().keys("shop:quote:*").get(0)))
        .isBetween(590L, 600L);

    redis.raw().resetStats();
    List<CompletableFuture<Quote>> calls = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      calls.add(b.apply("A-42", 3));
    }
    for (CompletableFuture<Quote> call : calls) {
      assertThat(done(call)).isEqualTo(new Quote("A-42", 3, 5997));
    }
    assertThat(redis.raw().commandCalls()).as("commands Redis received for ten concurrent calls")
        .isEqualTo(Map.of("get", 1L));
    assertThat(b.cacheInfo()).isEqualTo(new CacheInfo(9, 1, 1, 0, 128, 1));
    assertThat(done(b.apply("A-42", 3))).isSameAs(done(calls.get(0))); // now an L1 hit
    assertThat(b.cacheInfo()).isEqualTo(new CacheInfo(10, 1, 1, 0, 128, 1));
    assertThat(computedA).hasValue(1);
    assertThat(computedB).hasValue(0);
    assertThat(a.l2ErrorCount()).isZero();
    assertThat(b.l2ErrorCount()).isZero();

    assertThat(b.invalidate("A-42", 3)).isTrue();
    assertThat(redis.raw().sync().dbsize()).isZero();
    b.close();
    a.close();
  }

  @Test
  void callsReturnAtOnceWhileRedisHoldsTheirReads() throws Exception {
    RedisBackend backend = redis.closeAfterTest(RedisBackend.builder().uri(redis.uri())
        .commandTimeout(Duration.ofSeconds(30)).build()); // so the paused reads are answered, not timed out
    assertThat(backend.awaitUp(Duration.ofSeconds(10))).as("backend up").isTrue();
    AtomicInteger handedOver = new AtomicInteger();
    TierCache cache = TierCache.builder().namespace("paused").backend(TierCache.DEFAULT, backend)
        .l2Timeout(Duration.ofSeconds(30))
        // without coherence: a Redis paused for a second is, rightly, a lost invalidation channel,
        // which would flush L1 (RedisCoherenceTest covers that); here only the waiting matters
        .coherence(false)
        .executor(task -> {
          handedOver.incrementAndGet();
          pool.execute(task);
        }).build();
    AtomicInteger computed = new AtomicInteger();
    AsyncCachedFunction2<String, Integer, Quote> quote = quote(cache, computed);

    redis.raw().sync().clientPause(1_000); // Redis holds every client's commands for a second
    List<CompletableFuture<Quote>> calls = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      calls.add(quote.apply("sku-" + i, 1));
    }
    // the calling thread sent 50 reads and went on: none of them is answered yet
    assertThat(calls).noneMatch(CompletableFuture::isDone);
    assertThat(computed).hasValue(0);
    for (int i = 0; i < 50; i++) {
      assertThat(done(calls.get(i))).isEqualTo(new Quote("sku-" + i, 1, 1999L));
    }
    assertThat(handedOver).hasValue(50); // every answer continued on the executor
    assertThat(computed).hasValue(50);
    assertThat(quote.cacheInfo()).isEqualTo(new CacheInfo(0, 50, 0, 50, 128, 50));
    assertThat(quote.l2ErrorCount()).isZero();
  }
}
