package io.tiercache;

import static io.tiercache.PausingBackend.containing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.tiercache.PausingBackend.Op;
import io.tiercache.PausingBackend.Pause;
import io.tiercache.PausingBackend.Step;
import io.tiercache.backend.Backend;
import io.tiercache.backend.InMemoryBackend;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 12, one deterministic interleaving per engine case: each drives the steps of a call and an
 * invalidation (or refresh) in a chosen order, with a {@link PausingBackend} and latches, and
 * checks the invariant "after X returns, no call that starts later returns, or finds stored in L1
 * or L2, a value computed before X". The cached function returns {@code "v" + db}, where
 * {@code db} is the version of a stand-in database the test advances before it invalidates
 * ("update the source, then invalidate"); the value is read from {@code db} before the function
 * is held, as a slow query reads its data before it returns.
 */
class InvalidationInterleavingTest implements L1PolicyFixture {
  private final ManualTimeSource time = new ManualTimeSource();
  private final ExecutorService pool = Executors.newCachedThreadPool();
  private final List<PausingBackend> pausing = new ArrayList<>();
  private final List<TierCache> caches = new ArrayList<>();
  /** The stand-in database's version: what a computation started now returns. */
  private final AtomicInteger db = new AtomicInteger(1);
  private final AtomicInteger computations = new AtomicInteger();
  /** If set, the next computation reads {@code db}, then waits until the test releases it. */
  private final AtomicReference<Hold> holdNext = new AtomicReference<>();
  /** The last hold the test set up. */
  private volatile Hold held;
  /** If set, the next async computation's future completes only when this one does. */
  private final AtomicReference<CompletableFuture<Void>> asyncGate = new AtomicReference<>();

  /** A computation held after it read {@code db}: {@code reached} when it waits, {@code release} to go on. */
  private record Hold(CountDownLatch reached, CountDownLatch release) {}

  @AfterEach
  void stop() {
    if (held != null) {
      held.release().countDown();
    }
    try {
      for (PausingBackend backend : pausing) {
        backend.releaseAllAndCheck();
      }
    } finally {
      pool.shutdownNow();
      caches.forEach(TierCache::close);
    }
  }

  // ---- fixtures ----

  private InMemoryBackend store(boolean channel) {
    return InMemoryBackend.builder().timeSource(time).coherence(channel).build();
  }

  private PausingBackend pausing(Backend delegate) {
    PausingBackend backend = new PausingBackend(delegate);
    pausing.add(backend);
    return backend;
  }

  private TierCache process(Backend backend) {
    return process(backend, Duration.ofSeconds(5));
  }

  private TierCache process(Backend backend, Duration l2Timeout) {
    TierCache cache = TierCache.builder().namespace("shop").backend("default", backend).timeSource(time)
        .l2Timeout(l2Timeout).build();
    caches.add(cache);
    return cache;
  }

  /** The function body: {@code "v" + db}, held first if the test asked for it. */
  private String compute() {
    String value = "v" + db.get();
    computations.incrementAndGet();
    Hold hold = holdNext.getAndSet(null);
    if (hold != null) {
      hold.reached().countDown();
      Latches.await(hold.release());
    }
    return value;
  }

  private CompletableFuture<String> computeAsync() {
    String value = "v" + db.get();
    computations.incrementAndGet();
    CompletableFuture<Void> gate = asyncGate.getAndSet(null);
    return gate == null ? CompletableFuture.completedFuture(value) : gate.thenApply(ignored -> value);
  }

  /** The ways to invalidate one entry that case 1 and case 3 go through. */
  enum Kind {
    HANDLE, TAGS, PREFIX, KEY;

    /** The backend command the invalidation sends. */
    Op command() {
      return this == HANDLE || this == KEY ? Op.DELETE : Op.SET;
    }

    /** The L2 key of that command. */
    Predicate<String> commandKey() {
      return switch (this) {
        case HANDLE -> containing("price");
        case TAGS -> containing("cat7");
        case PREFIX -> containing("shelf9");
        case KEY -> containing("item:1");
      };
    }

    /** The L2 key of the entry (which a read of the entry includes). */
    Predicate<String> entryKey() {
      return this == KEY ? containing("item:1") : containing("price");
    }
  }

  private CachedFunction1<Integer, String> price(TierCache in, Kind kind) {
    CachedFunctionBuilder<String> builder = function(in, "price", String.class);
    switch (kind) {
      case TAGS -> builder.tags("cat7");
      case PREFIX -> builder.prefix("shelf9");
      case KEY -> builder.key(args -> "item:" + args[0]);
      default -> { }
    }
    return builder.of((Integer sku) -> compute());
  }

  private AsyncCachedFunction1<Integer, String> asyncPrice(TierCache in, Kind kind) {
    CachedFunctionBuilder<String> builder = function(in, "price", String.class);
    switch (kind) {
      case TAGS -> builder.tags("cat7");
      case PREFIX -> builder.prefix("shelf9");
      case KEY -> builder.key(args -> "item:" + args[0]);
      default -> { }
    }
    return builder.ofAsync((Integer sku) -> computeAsync());
  }

  private static void invalidate(Kind kind, TierCache in, AsyncCachedFunction1<Integer, String> f) {
    switch (kind) {
      case HANDLE -> f.invalidate(1);
      case TAGS -> in.invalidateTags("cat7");
      case PREFIX -> in.invalidatePrefix("shelf9");
      case KEY -> in.invalidateKey("item:1");
    }
  }

  private static void invalidate(Kind kind, TierCache in, CachedFunction1<Integer, String> f) {
    switch (kind) {
      case HANDLE -> f.invalidate(1);
      case TAGS -> in.invalidateTags("cat7");
      case PREFIX -> in.invalidatePrefix("shelf9");
      case KEY -> in.invalidateKey("item:1");
    }
  }

  private <T> Future<T> inThread(Callable<T> call) {
    return pool.submit(call);
  }

  /** The call's result, waiting at most 10 s; its own exception is rethrown as is. */
  private static <T> T done(Future<T> call) {
    try {
      return call.get(10, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("a call did not return within 10 s", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new AssertionError(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static Throwable failureOf(Future<?> call) {
    try {
      call.get(10, TimeUnit.SECONDS);
      throw new AssertionError("the call returned instead of failing");
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (TimeoutException e) {
      throw new AssertionError("a call did not return within 10 s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Starts {@code call} in a thread; returns once its computation read {@code db} and is held. */
  private <T> Future<T> heldLeader(Callable<T> call) {
    Hold hold = new Hold(new CountDownLatch(1), new CountDownLatch(1));
    held = hold;
    holdNext.set(hold);
    Future<T> leader = inThread(call);
    Latches.await(hold.reached());
    return leader;
  }

  /** Lets the held computation return. */
  private void releaseComputation() {
    held.release().countDown();
  }

  // ---- case 1 ----

  /**
   * Case 1: a miss that reads the old L2 value while the invalidation's backend command has not
   * landed, and stores it in L1 after the invalidation returned. Without a channel.
   */
  @Nested
  class Case1LocalInvalidationOrder {
    @ParameterizedTest
    @EnumSource(Kind.class)
    void aMissThatReadL2BeforeTheDeleteLandedLeavesNothingInL1(Kind kind) {
      InMemoryBackend shared = store(false);
      TierCache seed = process(shared);
      assertThat(price(seed, kind).apply(1)).isEqualTo("v1"); // in L2; the process under test has an empty L1
      PausingBackend l2 = pausing(shared);
      TierCache cache = process(l2);
      CachedFunction1<Integer, String> f = price(cache, kind);

      db.set(2); // the source changed; now invalidate
      Pause command = l2.arm(kind.command(), Step.BEFORE, kind.commandKey());
      Future<Boolean> invalidation = inThread(() -> {
        invalidate(kind, cache, f);
        return true;
      });
      command.awaitReached(); // the invalidation began; its backend command has not reached L2
      Pause read = l2.arm(Op.READ, Step.AFTER, kind.entryKey());
      Future<String> reader = inThread(() -> f.apply(1));
      read.awaitReached(); // the reader missed L1 and read the old value from L2
      command.release();
      done(invalidation); // the invalidation returned
      read.release();
      done(reader); // began before the invalidation returned: either value is allowed

      assertThat(f.apply(1)).as("a call that starts after the invalidation returned").isEqualTo("v2");
      assertThat(computations).hasValue(2);
      assertThat(f.cacheInfo()).isEqualTo(new CacheInfo(0, 2, 1, 1, 128, 1));
    }
  }

  /** Case 1 for async functions: the same interleaving, the reader being an async call. */
  @Nested
  class Case1AsyncLocalInvalidationOrder {
    @ParameterizedTest
    @EnumSource(Kind.class)
    void aMissThatReadL2BeforeTheDeleteLandedLeavesNothingInL1(Kind kind) {
      InMemoryBackend shared = store(false);
      TierCache seed = process(shared);
      assertThat(asyncPrice(seed, kind).apply(1).join()).isEqualTo("v1");
      PausingBackend l2 = pausing(shared);
      TierCache cache = process(l2);
      AsyncCachedFunction1<Integer, String> f = asyncPrice(cache, kind);

      db.set(2);
      Pause command = l2.arm(kind.command(), Step.BEFORE, kind.commandKey());
      Future<Boolean> invalidation = inThread(() -> {
        invalidate(kind, cache, f);
        return true;
      });
      command.awaitReached();
      Pause read = l2.arm(Op.READ, Step.AFTER, kind.entryKey());
      Future<String> reader = inThread(() -> f.apply(1).join()); // the in-memory read answers in the caller
      read.awaitReached();
      command.release();
      done(invalidation);
      read.release();
      done(reader);

      assertThat(f.apply(1).join()).as("a call that starts after the invalidation returned").isEqualTo("v2");
      assertThat(computations).hasValue(2);
      assertThat(f.cacheInfo()).isEqualTo(new CacheInfo(0, 2, 1, 1, 128, 1));
    }
  }

  // ---- case 2 ----

  /** Case 2: a synchronous refresh races an invalidation, or a load. */
  @Nested
  class Case2SyncRefresh {
    @ParameterizedTest(name = "channel={0}")
    @ValueSource(booleans = {false, true})
    void anInvalidationWhileARefreshComputesKeepsTheRefreshedValueOutOfBothLayers(boolean channel) {
      InMemoryBackend shared = store(channel);
      TierCache cache = process(shared);
      CachedFunction1<Integer, String> f = price(cache, Kind.HANDLE);
      assertThat(f.apply(1)).isEqualTo("v1");

      db.set(2);
      Future<String> refresh = heldLeader(() -> f.refresh(1)); // read v2, held
      db.set(3);
      f.invalidate(1);
      releaseComputation();
      assertThat(done(refresh)).isEqualTo("v2"); // its caller gets what it computed

      TierCache other = process(shared); // an empty L1: what L2 holds
      assertThat(price(other, Kind.HANDLE).apply(1)).as("L2 after the invalidation returned").isEqualTo("v3");
      assertThat(f.apply(1)).as("this process after the invalidation returned").isEqualTo("v3");
      assertThat(computations).hasValue(3);
      assertThat(f.cacheInfo()).isEqualTo(new CacheInfo(0, 2, 1, 1, 128, 1));
    }

    @ParameterizedTest(name = "channel={0}")
    @ValueSource(booleans = {false, true})
    void aLoadThatReadL2BeforeTheRefreshWroteDoesNotOverwriteTheRefreshedValue(boolean channel) {
      InMemoryBackend shared = store(channel);
      assertThat(price(process(shared), Kind.HANDLE).apply(1)).isEqualTo("v1"); // in L2 only
      PausingBackend l2 = pausing(shared);
      TierCache cache = process(l2);
      CachedFunction1<Integer, String> f = price(cache, Kind.HANDLE);

      db.set(2);
      Future<String> refresh = heldLeader(() -> f.refresh(1)); // read v2, held
      Pause read = l2.arm(Op.READ, Step.AFTER, containing("price"));
      Future<String> load = inThread(() -> f.apply(1));
      Latches.until(() -> read.reached() || load.isDone() || f.cacheInfo().l1Hits() > 0,
          "the load read L2, returned, or joined the refresh");
      releaseComputation();
      assertThat(done(refresh)).isEqualTo("v2");
      read.release();
      done(load); // began before the refresh returned: either value is allowed

      assertThat(f.apply(1)).as("a call that starts after the refresh returned").isEqualTo("v2");
      assertThat(price(process(shared), Kind.HANDLE).apply(1)).as("L2").isEqualTo("v2");
      assertThat(computations).hasValue(2);
    }
  }

  // ---- case 3 ----

  /** Case 3: a call that starts after an invalidation returned must not join the flight it superseded. */
  @Nested
  class Case3FlightsAfterInvalidation {
    @ParameterizedTest
    @EnumSource(Kind.class)
    void syncACallAfterTheInvalidationDoesNotJoinTheOldFlight(Kind kind) {
      TierCache cache = process(store(false));
      CachedFunction1<Integer, String> f = price(cache, kind);
      Future<String> leader = heldLeader(() -> f.apply(1)); // read v1, held

      db.set(2);
      invalidate(kind, cache, f);
      Future<String> later = inThread(() -> f.apply(1));
      Latches.until(() -> later.isDone() || f.cacheInfo().l1Hits() > 0, "the later call returned or joined");
      releaseComputation();

      assertThat(done(leader)).isEqualTo("v1"); // began before the invalidation
      assertThat(done(later)).as("a call that starts after the invalidation returned").isEqualTo("v2");
      assertThat(f.apply(1)).isEqualTo("v2");
      assertThat(computations).hasValue(2);
      assertThat(f.cacheInfo()).isEqualTo(new CacheInfo(1, 2, 0, 2, 128, 1));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void asyncACallAfterTheInvalidationDoesNotJoinTheOldFlight(Kind kind) {
      TierCache cache = process(store(false));
      AsyncCachedFunction1<Integer, String> f = asyncPrice(cache, kind);
      CompletableFuture<Void> gate = new CompletableFuture<>();
      asyncGate.set(gate);
      CompletableFuture<String> leader = f.apply(1); // read v1, pending

      db.set(2);
      invalidate(kind, cache, f);
      CompletableFuture<String> later = f.apply(1);
      gate.complete(null);

      assertThat(leader.join()).isEqualTo("v1");
      assertThat(later.join()).as("a call that starts after the invalidation returned").isEqualTo("v2");
      assertThat(f.apply(1).join()).isEqualTo("v2");
      assertThat(computations).hasValue(2);
      assertThat(f.cacheInfo()).isEqualTo(new CacheInfo(1, 2, 0, 2, 128, 1));
    }

    @Test
    void syncACallAfterARemoteInvalidationWasAppliedDoesNotJoinTheOldFlight() {
      InMemoryBackend shared = store(true);
      TierCache processA = process(shared);
      TierCache processB = process(shared);
      CachedFunction1<Integer, String> a = price(processA, Kind.HANDLE);
      CachedFunction1<Integer, String> b = price(processB, Kind.HANDLE);
      Future<String> leader = heldLeader(() -> b.apply(1)); // in B: read v1, held

      db.set(2);
      a.invalidate(1); // the embedded channel applies it in B before this returns
      assertThat(processB.coherence().received()).isEqualTo(1);
      Future<String> later = inThread(() -> b.apply(1));
      Latches.until(() -> later.isDone() || b.cacheInfo().l1Hits() > 0, "the later call returned or joined");
      releaseComputation();

      assertThat(done(leader)).isEqualTo("v1");
      assertThat(done(later)).as("a call in B that starts after A's invalidation was applied").isEqualTo("v2");
      assertThat(b.apply(1)).isEqualTo("v2");
      assertThat(computations).hasValue(2);
    }

    @Test
    void asyncACallAfterARemoteInvalidationWasAppliedDoesNotJoinTheOldFlight() {
      InMemoryBackend shared = store(true);
      TierCache processA = process(shared);
      TierCache processB = process(shared);
      AsyncCachedFunction1<Integer, String> a = function(processA, "price", String.class)
          .ofAsync((Integer sku) -> computeAsync());
      AsyncCachedFunction1<Integer, String> b = function(processB, "price", String.class)
          .ofAsync((Integer sku) -> computeAsync());
      CompletableFuture<Void> gate = new CompletableFuture<>();
      asyncGate.set(gate);
      CompletableFuture<String> leader = b.apply(1); // in B: read v1, pending

      db.set(2);
      a.invalidate(1);
      assertThat(processB.coherence().received()).isEqualTo(1);
      CompletableFuture<String> later = b.apply(1);
      gate.complete(null);

      assertThat(leader.join()).isEqualTo("v1");
      assertThat(later.join()).as("a call in B that starts after A's invalidation was applied").isEqualTo("v2");
      assertThat(b.apply(1).join()).isEqualTo("v2");
      assertThat(computations).hasValue(2);
    }
  }

  // ---- case 5 ----

  static Stream<RuntimeException> leaderFailures() {
    return Stream.of(new IllegalStateException("boom"),
        new CompletionException(new IOException("the source is down")),
        new CompletionException("no cause", null));
  }

  /** Case 5 (sync): a caller that joined a failing computation gets the leader's throwable itself. */
  @Nested
  class Case5JoinersGetTheLeadersThrowable {
    @ParameterizedTest
    @MethodSource("io.tiercache.InvalidationInterleavingTest#leaderFailures")
    void theJoinerGetsTheSameInstanceAsTheLeader(RuntimeException failure) {
      TierCache cache = process(store(false));
      CachedFunction1<Integer, String> f = function(cache, "price", String.class).of((Integer sku) -> {
        compute();
        throw failure;
      });
      Future<String> leader = heldLeader(() -> f.apply(1));
      Future<String> joiner = inThread(() -> f.apply(1));
      Latches.until(() -> f.cacheInfo().l1Hits() == 1, "the second call joined the computation");
      releaseComputation();

      assertThat(failureOf(leader)).isSameAs(failure);
      assertThat(failureOf(joiner)).isSameAs(failure);
      assertThat(computations).hasValue(1);
      assertThat(f.cacheInfo()).isEqualTo(new CacheInfo(1, 1, 0, 1, 128, 0));
    }
  }

  // ---- case 6 ----

  /** Case 6: an L2 delete that timed out is published only once it landed. */
  @Nested
  class Case6TimedOutDelete {
    @Test
    void theOtherProcessDoesNotKeepTheOldValueItReReadBeforeTheDeleteLanded() {
      InMemoryBackend shared = store(true);
      PausingBackend slow = pausing(shared);
      TierCache processA = process(slow, Duration.ofMillis(50));
      TierCache processB = process(shared);
      CachedFunction1<Integer, String> a = price(processA, Kind.HANDLE);
      CachedFunction1<Integer, String> b = price(processB, Kind.HANDLE);
      assertThat(a.apply(1)).isEqualTo("v1");
      assertThat(b.apply(1)).isEqualTo("v1"); // from L2, now in B's L1

      db.set(2);
      Pause delete = slow.arm(Op.DELETE, Step.DEFERRED, containing("price"));
      a.invalidate(1); // its wait for the delete times out after 50 ms
      assertThat(delete.reached()).isTrue();
      long received = processB.coherence().received();
      b.apply(1); // the delete has not landed: B may still serve its copy, or re-read it
      delete.release();
      delete.awaitDone();
      Latches.until(() -> processB.coherence().received() >= 1, "B received A's invalidation");

      assertThat(b.apply(1)).as("B after the delete landed and was published").isEqualTo("v2");
      assertThat(a.apply(1)).isEqualTo("v2");
      assertThat(computations).hasValue(2);
      assertThat(received).as("messages B received before the delete landed").isZero();
    }
  }

  // ---- case 7 ----

  /** Case 7: a refresh in B is not an invalidation of what B just wrote, even where A wrote the entry. */
  @Nested
  class Case7RemoteRefresh {
    @Test
    void afterBsRefreshAReadsBsValueFromL2WithoutComputing() {
      InMemoryBackend shared = store(true);
      TierCache processA = process(shared);
      TierCache processB = process(shared);
      CachedFunction1<Integer, String> a = price(processA, Kind.HANDLE);
      CachedFunction1<Integer, String> b = price(processB, Kind.HANDLE);
      assertThat(a.apply(1)).isEqualTo("v1"); // A computed and wrote the entry

      db.set(2);
      assertThat(b.refresh(1)).isEqualTo("v2");

      assertThat(a.apply(1)).isEqualTo("v2");
      assertThat(computations).as("A read B's value from L2").hasValue(2);
      assertThat(a.cacheInfo()).isEqualTo(new CacheInfo(0, 2, 1, 1, 128, 1));
      assertThat(price(process(shared), Kind.HANDLE).apply(1)).as("L2").isEqualTo("v2");
      assertThat(b.apply(1)).isEqualTo("v2");
      assertThat(computations).hasValue(2);
    }
  }

  // ---- case 8 ----

  /** Case 8: argument lists that share one L2 key (the key ignores an argument) share invalidations. */
  @Nested
  class Case8SharedL2Key {
    private CachedFunction2<Integer, String, String> localized(TierCache in) {
      return function(in, "localized", String.class).key(args -> "item:" + args[0])
          .of((Integer id, String lang) -> compute());
    }

    @ParameterizedTest(name = "channel={0}")
    @ValueSource(booleans = {false, true})
    void invalidatingOneArgumentListStopsTheOtherServingTheOldValue(boolean channel) {
      CachedFunction2<Integer, String, String> f = localized(process(store(channel)));
      assertThat(f.apply(1, "a")).isEqualTo("v1");
      assertThat(f.apply(1, "b")).isEqualTo("v1"); // the same L2 key: an L2 hit

      db.set(2);
      assertThat(f.invalidate(1, "a")).isTrue();

      assertThat(f.apply(1, "b")).isEqualTo("v2");
      assertThat(computations).hasValue(2);
      assertThat(f.cacheInfo()).isEqualTo(new CacheInfo(0, 3, 1, 2, 128, 1));
    }

    @ParameterizedTest(name = "channel={0}")
    @ValueSource(booleans = {false, true})
    void aKeyTemplateThatIgnoresAnArgumentSharesTheInvalidation(boolean channel) {
      TierCache cache = process(store(channel));
      Catalog real = (id, lang) -> compute();
      Catalog catalog = cache.proxy(Catalog.class, real);
      CachedFunctionN<String> handle = cache.method(Catalog.class, "describe", int.class, String.class);
      assertThat(catalog.describe(1, "a")).isEqualTo("v1");
      assertThat(catalog.describe(1, "b")).isEqualTo("v1"); // the same L2 key: an L2 hit

      db.set(2);
      assertThat(handle.invalidate(real, 1, "a")).isTrue();

      assertThat(catalog.describe(1, "b")).isEqualTo("v2");
      assertThat(computations).hasValue(2);
      assertThat(handle.cacheInfo()).isEqualTo(new CacheInfo(0, 3, 1, 2, 128, 1));
    }

    @ParameterizedTest(name = "channel={0}")
    @ValueSource(booleans = {false, true})
    void refreshingOneArgumentListStopsTheOtherServingTheOldValue(boolean channel) {
      CachedFunction2<Integer, String, String> f = localized(process(store(channel)));
      assertThat(f.apply(1, "a")).isEqualTo("v1");
      assertThat(f.apply(1, "b")).isEqualTo("v1");

      db.set(2);
      assertThat(f.refresh(1, "a")).isEqualTo("v2");

      assertThat(f.apply(1, "b")).isEqualTo("v2"); // read from L2, where the refresh wrote it
      assertThat(computations).hasValue(2);
      // a function with an explicit key keeps one L1 entry per L2 key (its L1 is indexed by L2 key)
      assertThat(f.cacheInfo()).isEqualTo(new CacheInfo(0, 3, 2, 1, 128, 1));
    }
  }

  /** A cached method whose key template ignores {@code lang} (case 8). */
  public interface Catalog {
    @io.tiercache.annotation.Cached(key = "item:{id}")
    String describe(int id, String lang);
  }

  // ---- case 11 ----

  /** Case 11: a call refused before anything runs leaves the statistics exactly as they were. */
  @Nested
  class Case11RefusedCalls {
    @Test
    void syncARefusedCallCountsNothing() {
      CachedFunction1<Object, String> f = function(process(store(false)), "price", String.class)
          .of((Object sku) -> compute());
      assertThat(f.apply(1)).isEqualTo("v1");
      assertThat(f.apply(1)).isEqualTo("v1");
      CacheInfo before = f.cacheInfo();
      assertThat(before).isEqualTo(new CacheInfo(1, 1, 0, 1, 128, 1));

      assertThat(catchThrowable(() -> f.apply(new Object()))).isInstanceOf(UnencodableArgumentException.class);

      assertThat(f.cacheInfo()).isEqualTo(before);
      assertThat(computations).hasValue(1);
    }

    @Test
    void asyncARefusedCallCountsNothing() {
      AsyncCachedFunction1<Object, String> f = function(process(store(false)), "price", String.class)
          .ofAsync((Object sku) -> computeAsync());
      assertThat(f.apply(1).join()).isEqualTo("v1");
      assertThat(f.apply(1).join()).isEqualTo("v1");
      CacheInfo before = f.cacheInfo();
      assertThat(before).isEqualTo(new CacheInfo(1, 1, 0, 1, 128, 1));

      Throwable refused = catchThrowable(() -> f.apply(new Object()).join());
      assertThat(refused instanceof CompletionException ? refused.getCause() : refused)
          .isInstanceOf(UnencodableArgumentException.class);

      assertThat(f.cacheInfo()).isEqualTo(before);
      assertThat(computations).hasValue(1);
    }
  }

  // ---- case 13 ----

  /**
   * Case 13: sync and async {@code contains} agree. The rule: a computation in flight is not
   * contained; only a finished value in L1 or L2 is.
   */
  @Nested
  class Case13ContainsInFlight {
    @Test
    void syncAComputationInFlightIsNotContained() {
      CachedFunction1<Integer, String> f = price(process(store(false)), Kind.HANDLE);
      Future<String> leader = heldLeader(() -> f.apply(1));

      assertThat(f.contains(1)).isFalse();
      releaseComputation();
      assertThat(done(leader)).isEqualTo("v1");
      assertThat(f.contains(1)).isTrue();
      assertThat(f.cacheInfo()).isEqualTo(new CacheInfo(0, 1, 0, 1, 128, 1));
    }

    @Test
    void asyncAComputationInFlightIsNotContained() {
      AsyncCachedFunction1<Integer, String> f = function(process(store(false)), "price", String.class)
          .ofAsync((Integer sku) -> computeAsync());
      CompletableFuture<Void> gate = new CompletableFuture<>();
      asyncGate.set(gate);
      CompletableFuture<String> leader = f.apply(1);

      assertThat(f.contains(1)).isFalse();
      gate.complete(null);
      assertThat(leader.join()).isEqualTo("v1");
      assertThat(f.contains(1)).isTrue();
      assertThat(f.cacheInfo()).isEqualTo(new CacheInfo(0, 1, 0, 1, 128, 1));
    }
  }
}
