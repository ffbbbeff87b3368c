package io.tiercache.async;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.AsyncCachedFunction1;
import io.tiercache.AsyncCachedFunctionN;
import io.tiercache.CacheInfo;
import io.tiercache.ManualTimeSource;
import io.tiercache.TierCache;
import io.tiercache.annotation.Cached;
import io.tiercache.backend.Backend;
import io.tiercache.backend.ForwardingBackend;
import io.tiercache.backend.InMemoryBackend;
import io.tiercache.coherence.InvalidationChannel;
import io.tiercache.internal.engine.AsyncInternals;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Async functions with an L2: two {@link TierCache}s sharing one embedded L2 stand in for two
 * processes. The L2 read is never waited for: a call returns before L2 answers, and what follows
 * runs on the executor.
 */
class AsyncTwoLayerTest {
  private final ManualTimeSource clock = new ManualTimeSource();
  private final InMemoryBackend shared = InMemoryBackend.builder().timeSource(clock).build();
  private final ExecutorService pool = Executors.newFixedThreadPool(4);
  private final AtomicInteger computations = new AtomicInteger();

  @AfterEach
  void stopPool() throws InterruptedException {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  private TierCache process(Backend backend) {
    return TierCache.builder().namespace("shop").backend("default", backend).timeSource(clock)
        .executor(pool).build();
  }

  private AsyncCachedFunction1<String, String> quote(TierCache cache) {
    return cache.function("quote", String.class).ttl(Duration.ofMinutes(10))
        .ofAsync((String sku) -> CompletableFuture.supplyAsync(
            () -> sku + "@v" + computations.incrementAndGet(), pool));
  }

  private static <T> T done(CompletableFuture<T> future) throws Exception {
    return future.get(10, TimeUnit.SECONDS);
  }

  @Test
  void aValueComputedInOneProcessIsAnL2HitInTheOther() throws Exception {
    AsyncCachedFunction1<String, String> a = quote(process(shared));
    AsyncCachedFunction1<String, String> b = quote(process(shared));
    assertThat(done(a.apply("A-1"))).isEqualTo("A-1@v1");
    assertThat(a.cacheInfo()).isEqualTo(new CacheInfo(0, 1, 0, 1, 128, 1));

    CompletableFuture<String> first = b.apply("A-1");
    CompletableFuture<String> joined = b.apply("A-1");
    assertThat(done(first)).isEqualTo("A-1@v1");
    assertThat(done(joined)).isEqualTo("A-1@v1");
    assertThat(b.cacheInfo().l2Hits()).isEqualTo(1);
    assertThat(b.cacheInfo().l1Misses()).isEqualTo(1);
    assertThat(b.cacheInfo().l1Hits()).isEqualTo(1);
    assertThat(done(b.apply("A-1"))).isEqualTo("A-1@v1");
    assertThat(b.cacheInfo()).isEqualTo(new CacheInfo(2, 1, 1, 0, 128, 1));
    assertThat(computations).hasValue(1);
    assertThat(b.contains("A-2")).isFalse();
    assertThat(b.invalidate("A-1")).isTrue();
    assertThat(a.contains("A-1")).isFalse(); // the embedded store is coherent: a's L1 copy went too
    assertThat(shared.estimatedSize()).isZero();
  }

  @Test
  void theL2EntryLivesTheTtlFromCompletion() throws Exception {
    CompletableFuture<String> slow = new CompletableFuture<>();
    AsyncCachedFunction1<String, String> c = process(shared).function("slow", String.class)
        .ttl(Duration.ofMinutes(10)).ofAsync((String k) -> slow);
    CompletableFuture<String> call = c.apply("k");
    clock.advance(Duration.ofMinutes(30));
    slow.complete("late");
    assertThat(done(call)).isEqualTo("late");
    clock.advance(Duration.ofMinutes(10).minusSeconds(1));
    AsyncCachedFunction1<String, String> d = process(shared).function("slow", String.class)
        .ofAsync((String k) -> CompletableFuture.completedFuture("recomputed"));
    assertThat(done(d.apply("k"))).isEqualTo("late"); // still live in L2, 9:59 after completion
    assertThat(d.cacheInfo().l2Hits()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(1));
    assertThat(d.contains("k")).isFalse(); // d's L1 copy expired with the entry's deadline
  }

  /**
   * An L2 whose reads answer only when the test says. It offers no invalidation channel, so the
   * process on it is not coherent with those on the store it wraps.
   */
  private static class HeldReads extends ForwardingBackend {
    final ConcurrentLinkedQueue<Runnable> held = new ConcurrentLinkedQueue<>();

    HeldReads(Backend delegate) {
      super(delegate);
    }

    @Override
    public CompletionStage<byte[]> get(String key) {
      CompletableFuture<byte[]> answer = new CompletableFuture<>();
      held.add(() -> delegate().get(key).whenComplete((v, e) -> answer.complete(v)));
      return answer;
    }

    @Override
    public CompletionStage<Map<String, byte[]>> getMany(Collection<String> keys) {
      CompletableFuture<Map<String, byte[]>> answer = new CompletableFuture<>();
      held.add(() -> delegate().getMany(keys).whenComplete((v, e) -> answer.complete(v)));
      return answer;
    }

    @Override
    public Optional<InvalidationChannel> invalidationChannel(String namespace) {
      return Optional.empty();
    }

    void answerAll() {
      Runnable r;
      while ((r = held.poll()) != null) {
        r.run();
      }
    }
  }

  @Test
  void aCallReturnsBeforeL2AnswersAndContinuesOnTheExecutor() throws Exception {
    HeldReads backend = new HeldReads(shared);
    AtomicInteger handedOver = new AtomicInteger();
    Executor counting = task -> {
      handedOver.incrementAndGet();
      pool.execute(task);
    };
    TierCache cache = TierCache.builder().backend("default", backend).timeSource(clock)
        .executor(counting).build();
    AtomicReference<Thread> computedOn = new AtomicReference<>();
    AsyncCachedFunction1<Integer, Integer> f = cache.function("f", Integer.class)
        .ofAsync((Integer x) -> {
          computedOn.set(Thread.currentThread());
          computations.incrementAndGet();
          return CompletableFuture.completedFuture(x * 2);
        });
    CompletableFuture<Integer> call = f.apply(21); // the L2 read is sent, not awaited
    CompletableFuture<Integer> joined = f.apply(21);
    assertThat(call).isNotDone();
    assertThat(computations).hasValue(0);
    assertThat(backend.held).hasSize(1); // one read for both callers

    Thread answering = Thread.currentThread();
    backend.answerAll(); // L2 misses, on this thread: the rest continues on the executor
    assertThat(done(call)).isEqualTo(42);
    assertThat(done(joined)).isEqualTo(42);
    assertThat(handedOver).hasValue(1);
    assertThat(computedOn.get()).isNotSameAs(answering);
    assertThat(f.cacheInfo()).isEqualTo(new CacheInfo(1, 1, 0, 1, 128, 1));
  }

  @Test
  void anExecutorThatRefusesWorkFailsTheCallInsteadOfLeavingItHanging() throws Exception {
    HeldReads backend = new HeldReads(shared);
    ExecutorService stopped = Executors.newSingleThreadExecutor();
    stopped.shutdown();
    TierCache cache = TierCache.builder().backend("default", backend).timeSource(clock).executor(stopped).build();
    AsyncCachedFunction1<Integer, Integer> f = cache.function("f", Integer.class)
        .ofAsync((Integer x) -> CompletableFuture.completedFuture(x));
    CompletableFuture<Integer> call = f.apply(1);
    backend.answerAll();
    assertThatThrownBy(() -> done(call)).cause()
        .isInstanceOf(java.util.concurrent.RejectedExecutionException.class);
    assertThat(AsyncInternals.inFlight(f)).isZero();
  }

  @Test
  void refreshComputesAnewStoresInBothLayersAndSupersedesWhatIsInFlight() throws Exception {
    List<CompletableFuture<String>> gates = new java.util.concurrent.CopyOnWriteArrayList<>();
    AsyncCachedFunction1<String, String> a = process(shared).function("r", String.class)
        .ofAsync((String k) -> {
          CompletableFuture<String> gate = new CompletableFuture<>();
          gates.add(gate);
          return gate;
        });
    AsyncCachedFunction1<String, String> b = process(shared).function("r", String.class)
        .ofAsync((String k) -> CompletableFuture.completedFuture("b computed"));
    CompletableFuture<String> first = a.apply("k");
    gates.get(0).complete("v1");
    assertThat(done(first)).isEqualTo("v1");

    CompletableFuture<String> inFlight = a.invalidate("k") ? a.apply("k") : null; // a new computation
    CompletableFuture<String> refreshed = a.refresh("k"); // supersedes it
    CompletableFuture<String> joiner = a.apply("k"); // joins the refresh
    assertThat(gates).hasSize(3);
    gates.get(2).complete("v2");
    gates.get(1).complete("superseded");
    assertThat(done(inFlight)).isEqualTo("superseded"); // its caller still gets it
    assertThat(done(refreshed)).isEqualTo("v2");
    assertThat(done(joiner)).isEqualTo("v2");
    assertThat(done(a.apply("k"))).isEqualTo("v2"); // stored, the superseded value was not
    assertThat(done(b.apply("k"))).isEqualTo("v2"); // and in L2
    assertThat(b.cacheInfo()).isEqualTo(new CacheInfo(0, 1, 1, 0, 128, 1));

    CompletableFuture<String> toNull = a.refresh("k");
    gates.get(3).complete(null); // null is not cached: the refresh drops the entry
    assertThat(done(toNull)).isNull();
    assertThat(a.contains("k")).isFalse();
    assertThat(AsyncInternals.inFlight(a)).isZero();
  }

  @Test
  void l2TroubleNeverReachesTheCaller() throws Exception {
    Backend failing = new HeldReads(shared) {
      @Override
      public CompletionStage<byte[]> get(String key) {
        return CompletableFuture.failedFuture(new IllegalStateException("L2 down"));
      }

      @Override
      public CompletionStage<Void> set(String key, byte[] value, Duration ttl) {
        throw new IllegalStateException("thrown, not even a stage");
      }
    };
    Backend silent = new HeldReads(shared); // never answers: the read times out
    AsyncCachedFunction1<String, String> a = quote(process(failing));
    TierCache slowCache = TierCache.builder().namespace("shop").backend("default", silent).timeSource(clock)
        .executor(pool).l2Timeout(Duration.ofMillis(20)).build();
    AsyncCachedFunction1<String, String> b = quote(slowCache);

    assertThat(done(a.apply("A-1"))).isEqualTo("A-1@v1");
    assertThat(a.l2ErrorCount()).isEqualTo(2); // the read and the write
    assertThat(done(b.apply("A-2"))).isEqualTo("A-2@v2");
    assertThat(b.l2ErrorCount()).isEqualTo(1); // the read timed out
    assertThat(b.cacheInfo()).isEqualTo(new CacheInfo(0, 1, 0, 1, 128, 1));
  }

  @Test
  void tagsInvalidateAsyncEntriesInL1AndL2() throws Exception {
    TierCache processA = process(shared);
    TierCache processB = process(shared);
    AsyncCachedFunction1<Integer, String> a = processA.function("price", String.class).tags("prices")
        .ofAsync((Integer x) -> CompletableFuture.completedFuture("p" + x + "@v" + computations.incrementAndGet()));
    AsyncCachedFunction1<Integer, String> b = processB.function("price", String.class).tags("prices")
        .ofAsync((Integer x) -> CompletableFuture.completedFuture("p" + x + "@v" + computations.incrementAndGet()));
    assertThat(done(a.apply(1))).isEqualTo("p1@v1");
    assertThat(done(b.apply(1))).isEqualTo("p1@v1"); // L2 hit
    assertThat(processA.invalidateTags("prices")).isTrue();
    assertThat(a.contains(1)).isFalse(); // this process's L1 dropped at once
    assertThat(done(a.apply(1))).isEqualTo("p1@v2");
    assertThat(a.cacheInfo()).isEqualTo(new CacheInfo(0, 2, 0, 2, 128, 1));
  }

  @Test
  void aHandleInvalidatesTheTagsAndPrefixItGivesACall() throws Exception {
    TierCache processA = process(shared);
    AsyncCachedFunction1<Integer, String> f = processA.function("stock", String.class)
        .prefix(args -> "shop" + args[0]).tags(args -> List.of("sku" + args[0]))
        .ofAsync((Integer x) -> CompletableFuture.completedFuture("s" + x + "@v" + computations.incrementAndGet()));
    AsyncCachedFunction1<Integer, String> plain = processA.function("plain", String.class)
        .ofAsync((Integer x) -> CompletableFuture.completedFuture("p" + x));
    assertThat(done(f.apply(1))).isEqualTo("s1@v1");
    assertThat(done(f.apply(2))).isEqualTo("s2@v2");
    assertThat(f.invalidateTags(1)).isTrue(); // tag sku1: only the entry for 1
    assertThat(f.contains(1)).isFalse();
    assertThat(f.contains(2)).isTrue();
    assertThat(f.invalidatePrefix(2)).isTrue(); // prefix shop2
    assertThat(f.contains(2)).isFalse();
    assertThat(done(f.apply(1))).isEqualTo("s1@v3");
    assertThat(plain.invalidateTags(1)).isFalse(); // no tags declared
    assertThat(plain.invalidatePrefix(1)).isFalse();
  }

  @Test
  void anInvalidationWhileComputingKeepsTheResultOutOfBothLayers() throws Exception {
    CompletableFuture<String> gate = new CompletableFuture<>();
    AsyncCachedFunction1<String, String> a = process(shared).function("slow", String.class)
        .ofAsync((String k) -> gate);
    CompletableFuture<String> call = a.apply("k");
    assertThat(a.invalidate("k")).isTrue();
    gate.complete("stale");
    assertThat(done(call)).isEqualTo("stale");
    assertThat(a.contains("k")).isFalse();
    assertThat(shared.estimatedSize()).isZero();
  }

  /** A service whose lookups return futures. */
  public interface BookService {
    @Cached(ttl = "10m")
    CompletableFuture<String> title(int id);

    @Cached(name = "pages", l1Only = true)
    CompletionStage<Integer> pages(int id);

    String plain(int id);
  }

  /** A service declaring a future without its value type. */
  public interface RawService {
    @Cached
    @SuppressWarnings("rawtypes")
    CompletableFuture raw(int id);
  }

  @Test
  void cachedMethodsReturningFuturesAreCachedAsynchronously() throws Exception {
    TierCache processA = process(shared);
    TierCache processB = process(shared);
    AtomicInteger calls = new AtomicInteger();
    BookService target = new BookService() {
      @Override
      public CompletableFuture<String> title(int id) {
        calls.incrementAndGet();
        return CompletableFuture.supplyAsync(() -> "title " + id, pool);
      }

      @Override
      public CompletionStage<Integer> pages(int id) {
        calls.incrementAndGet();
        return CompletableFuture.completedFuture(id * 100).minimalCompletionStage();
      }

      @Override
      public String plain(int id) {
        return "plain " + id;
      }
    };
    BookService a = processA.proxy(BookService.class, target);
    BookService b = processB.proxy(BookService.class, target);
    CompletableFuture<String> t1 = a.title(1);
    CompletableFuture<String> t2 = a.title(1);
    assertThat(done(t1)).isEqualTo("title 1");
    assertThat(done(t2)).isEqualTo("title 1");
    assertThat(done(b.title(1))).isEqualTo("title 1"); // an L2 hit in the other process
    assertThat(a.pages(3).toCompletableFuture().get(10, TimeUnit.SECONDS)).isEqualTo(300);
    assertThat(a.pages(3).toCompletableFuture().get(10, TimeUnit.SECONDS)).isEqualTo(300);
    assertThat(a.plain(2)).isEqualTo("plain 2");
    assertThat(calls).hasValue(2);

    AsyncCachedFunctionN<String> title = processA.asyncMethod(BookService.class, "title", int.class);
    assertThat(title.cacheInfo()).isEqualTo(new CacheInfo(1, 1, 0, 1, 128, 1));
    assertThat(processB.asyncMethod(BookService.class, "title", int.class).cacheInfo())
        .isEqualTo(new CacheInfo(0, 1, 1, 0, 128, 1));
    assertThat(title.invalidate(target, 1)).isTrue();
    assertThat(title.contains(target, 1)).isFalse();

    assertThatThrownBy(() -> processA.method(BookService.class, "title", int.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("BookService.title(int) returns a future: its cached function is async");
    assertThatThrownBy(() -> processA.proxy(RawService.class, id -> null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("RawService.raw(int) returns java.util.concurrent.CompletableFuture: declare the value type");
    assertThat(AsyncInternals.inFlight(title)).isZero();
    assertThat(List.of(t1, t2)).allMatch(CompletableFuture::isDone);
  }
}
