package io.tiercache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.annotation.Cached;
import io.tiercache.backend.Backend;
import io.tiercache.backend.InMemoryBackend;
import io.tiercache.fixtures.FailingBackend;
import io.tiercache.lease.LeaseStats;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link CacheHandle#stats()}: exact cumulative counts after known sequences of calls, for every
 * kind of function, that {@code cacheClear()} never resets; and {@link TierCache#functions()}.
 */
class CacheStatsTest {
  private final ManualTimeSource time = new ManualTimeSource();
  private final InMemoryBackend shared = InMemoryBackend.builder().timeSource(time).build();
  private final AtomicInteger computations = new AtomicInteger();

  private TierCache process(Backend backend) {
    return TierCache.builder().namespace("stats").backend("default", backend).timeSource(time).build();
  }

  private CachedFunction1<Integer, String> square(TierCache cache) {
    return cache.function("square", String.class).of((Integer x) -> {
      computations.incrementAndGet();
      return "" + x * x;
    });
  }

  @Test
  void syncCallsCountEveryLayerInBothProcesses() {
    CachedFunction1<Integer, String> a = square(process(shared));
    CachedFunction1<Integer, String> b = square(process(shared));
    a.apply(2); // L1 miss, L2 miss: computed, stored in both layers
    a.apply(2); // L1 hit
    a.apply(3); // computed
    b.apply(2); // L1 miss, L2 hit: stored in b's L1 only
    b.apply(2); // L1 hit

    assertThat(a.stats()).isEqualTo(new CacheStats(1, 2, 0, 2, 2, 0, 2, 0));
    assertThat(b.stats()).isEqualTo(new CacheStats(1, 1, 1, 0, 1, 0, 0, 0));
    assertThat(a.stats().calls()).isEqualTo(3);
    assertThat(computations).hasValue(2);
  }

  @Test
  void cacheClearResetsCacheInfoAndLeaseStatsButNotTheCumulativeCounts() {
    TierCache cache = process(shared);
    CachedFunction1<Integer, String> f = cache.function("leased", String.class).lease(Duration.ofSeconds(1))
        .of((Integer x) -> "v" + x);
    f.apply(1);
    f.apply(1);
    assertThat(f.leaseStats()).isEqualTo(new LeaseStats(1, 0, 0, 0, 0, 0));

    f.cacheClear();
    assertThat(f.cacheInfo()).isEqualTo(new CacheInfo(0, 0, 0, 0, 128, 0));
    assertThat(f.leaseStats()).isEqualTo(LeaseStats.NONE);
    assertThat(f.stats()).isEqualTo(new CacheStats(1, 1, 0, 1, 1, 0, 1, 0));
    assertThat(f.leaseTotals()).isEqualTo(new LeaseStats(1, 0, 0, 0, 0, 0));

    f.apply(1); // an L2 hit now: L1 was emptied, L2 was not
    f.apply(2); // computed under a new lease
    assertThat(f.cacheInfo()).isEqualTo(new CacheInfo(0, 2, 1, 1, 128, 2));
    assertThat(f.leaseStats()).isEqualTo(new LeaseStats(1, 0, 0, 0, 0, 0));
    assertThat(f.stats()).isEqualTo(new CacheStats(1, 3, 1, 2, 3, 0, 2, 0));
    assertThat(f.leaseTotals()).isEqualTo(new LeaseStats(2, 0, 0, 0, 0, 0));
  }

  @ParameterizedTest
  @EnumSource(L1Policy.class)
  void sizeEvictionsAndExpiryAreEvictionsButInvalidationsAreNot(L1Policy policy) {
    TierCache cache = process(shared);
    CachedFunction1<Integer, String> f = cache.function("bounded", String.class).l1Only().l1MaxSize(2)
        .l1Policy(policy).ttl(Duration.ofSeconds(10)).of((Integer x) -> "v" + x);
    f.apply(1);
    f.apply(2);
    f.apply(3); // over the bound: one entry goes (which one is the policy's)
    assertThat(f.stats().l1Evictions()).isEqualTo(1);
    assertThat(f.cacheInfo().l1CurrSize()).isEqualTo(2);

    time.advance(Duration.ofSeconds(11)); // both entries left expire
    f.apply(4); // the store drops the expired entries first
    assertThat(f.stats()).isEqualTo(new CacheStats(0, 4, 0, 4, 4, 3, 0, 0));

    f.invalidate(4); // an invalidation, not an eviction
    f.apply(5);
    f.cacheClear(); // neither is a clear
    assertThat(f.stats()).isEqualTo(new CacheStats(0, 5, 0, 5, 5, 3, 0, 0));
  }

  @Test
  void l2FailuresAreL2ErrorsAndTheComputedValueStillEntersL1() {
    Backend failing = new FailingBackend(shared, true);
    CachedFunction1<Integer, String> f = square(process(failing));
    f.apply(2); // the read fails (1 error), computes, the write is started and fails (2 errors)
    f.apply(2); // L1 hit
    assertThat(f.stats()).isEqualTo(new CacheStats(1, 1, 0, 1, 1, 0, 1, 2));
    assertThat(f.l2ErrorCount()).isEqualTo(2);
  }

  @Test
  void asyncCallsCountAsSyncOnesDo() {
    AsyncCachedFunction1<Integer, String> a = process(shared).function("async", String.class)
        .ofAsync((Integer x) -> CompletableFuture.completedFuture("a" + x));
    AsyncCachedFunction1<Integer, String> b = process(shared).function("async", String.class)
        .ofAsync((Integer x) -> CompletableFuture.completedFuture("b" + x));
    assertThat(a.apply(1).join()).isEqualTo("a1");
    assertThat(a.apply(1).join()).isEqualTo("a1");
    assertThat(b.apply(1).join()).isEqualTo("a1");
    a.cacheClear();

    assertThat(a.stats()).isEqualTo(new CacheStats(1, 1, 0, 1, 1, 0, 1, 0));
    assertThat(b.stats()).isEqualTo(new CacheStats(0, 1, 1, 0, 1, 0, 0, 0));
    a.close();
  }

  /** A service whose one method is cached. */
  public interface Catalog {
    /**
     * The title of a book.
     *
     * @param id the book
     * @return its title
     */
    @Cached(name = "title")
    String title(int id);
  }

  @Test
  void aProxiedMethodCountsOnItsFunction() {
    TierCache cache = process(shared);
    Catalog catalog = cache.proxy(Catalog.class, id -> "book " + id);
    catalog.title(1);
    catalog.title(1);
    catalog.title(2);

    CachedFunctionN<String> title = cache.method(Catalog.class, "title", int.class);
    assertThat(title.stats()).isEqualTo(new CacheStats(1, 2, 0, 2, 2, 0, 2, 0));
  }

  /** A service with a cached method that returns a future. */
  public interface Prices {
    /**
     * The price of a product.
     *
     * @param sku the product
     * @return its price
     */
    @Cached(name = "price")
    CompletableFuture<Integer> price(String sku);
  }

  @Test
  void functionsListsTheLiveFunctionsInBuildOrderProxiedOnesIncluded() {
    TierCache cache = process(shared);
    CachedFunction1<Integer, String> first = square(cache);
    cache.proxy(Prices.class, sku -> CompletableFuture.completedFuture(sku.length()));
    AsyncCachedFunction1<Integer, String> async = cache.function("async", String.class)
        .ofAsync((Integer x) -> CompletableFuture.completedFuture("a" + x));
    cache.proxy(Catalog.class, id -> "book " + id);

    List<CacheHandle> before = cache.functions();
    assertThat(before).extracting(CacheHandle::name).containsExactly("square", "price", "async", "title");
    assertThat(before.get(0)).isSameAs(first);
    assertThat(before.get(1)).isSameAs(cache.asyncMethod(Prices.class, "price", String.class));
    assertThat(before.get(3)).isSameAs(cache.method(Catalog.class, "title", int.class));
    assertThatThrownBy(() -> before.add(first)).isInstanceOf(UnsupportedOperationException.class);

    async.close();
    assertThat(cache.functions()).extracting(CacheHandle::name).containsExactly("square", "price", "title");
    assertThat(before).hasSize(4); // a snapshot
    AsyncCachedFunction1<Integer, String> again = cache.function("async", String.class)
        .ofAsync((Integer x) -> CompletableFuture.completedFuture("b" + x));
    assertThat(cache.functions()).extracting(CacheHandle::name)
        .containsExactly("square", "price", "title", "async");
    assertThat(cache.functions().get(3)).isSameAs(again);
    again.close();
  }
}
