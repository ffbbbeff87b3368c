package io.tiercache;

import static io.tiercache.PausingBackend.containing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.PausingBackend.Op;
import io.tiercache.PausingBackend.Pause;
import io.tiercache.PausingBackend.Step;
import io.tiercache.backend.InMemoryBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link KeyValueCache}: the key-value operations a cache abstraction needs, on the engine of
 * cached functions. Two {@code TierCache}s on one {@link InMemoryBackend} (whose channel delivers
 * before an invalidation returns) stand in for two processes; a {@link PausingBackend} and latches
 * drive the put-versus-load interleavings step by step.
 */
class KeyValueCacheTest {
  private final ManualTimeSource time = new ManualTimeSource();
  private final InMemoryBackend shared = InMemoryBackend.builder().timeSource(time).build();
  private final PausingBackend pausing = new PausingBackend(shared);
  private final List<TierCache> caches = new ArrayList<>();
  private final TierCache processA = process();
  private final TierCache processB = process();
  private final ExecutorService pool = Executors.newCachedThreadPool();
  private final AtomicInteger loads = new AtomicInteger();

  private TierCache process() {
    TierCache cache = TierCache.builder().namespace("shop").backend("default", pausing).timeSource(time).build();
    caches.add(cache);
    return cache;
  }

  @AfterEach
  void stop() {
    try {
      pausing.releaseAllAndCheck();
    } finally {
      pool.shutdownNow();
      caches.forEach(TierCache::close);
    }
  }

  private KeyValueCache<String, String> books(TierCache in) {
    return in.function("books", String.class).keyValue();
  }

  /**
   * A {@code get} of {@code key} whose loader has read the source ({@link #load}) and waits for
   * {@code release}; returns once the loader is waiting.
   */
  private Future<String> heldLoad(KeyValueCache<String, String> cache, String key, CountDownLatch release) {
    CountDownLatch loaded = new CountDownLatch(1);
    Future<String> loading = pool.submit(() -> cache.get(key, k -> {
      String value = load(k); // read the source before anything the test does next
      loaded.countDown();
      Latches.await(release);
      return value;
    }));
    Latches.await(loaded);
    return loading;
  }

  private String load(String key) {
    return key + "-v" + loads.incrementAndGet();
  }

  @Test
  void lookupNeverLoadsAndGetLoadsOnceThenHitsL1() {
    KeyValueCache<String, String> books = books(processA);

    assertThat(books.lookup("a")).isNull();
    assertThat(books.getIfPresent("a")).isNull();
    assertThat(books.get("a", this::load)).isEqualTo("a-v1");
    assertThat(books.get("a", this::load)).isEqualTo("a-v1");
    assertThat(books.lookup("a")).isEqualTo(new KeyValueCache.Found<>("a-v1"));
    assertThat(books.contains("a")).isTrue();

    assertThat(loads).hasValue(1);
    // two look-ups missed both layers, the get missed both and loaded, then two L1 hits
    assertThat(books.cacheInfo()).isEqualTo(new CacheInfo(2, 3, 0, 3, 128, 1));
  }

  @Test
  void aValueLoadedInOneProcessIsAnL2HitInTheOther() {
    KeyValueCache<String, String> a = books(processA);
    KeyValueCache<String, String> b = books(processB);
    assertThat(a.get("a", this::load)).isEqualTo("a-v1");

    assertThat(b.lookup("a")).isEqualTo(new KeyValueCache.Found<>("a-v1"));
    assertThat(b.get("a", this::load)).isEqualTo("a-v1");

    assertThat(loads).hasValue(1);
    assertThat(b.cacheInfo()).isEqualTo(new CacheInfo(1, 1, 1, 0, 128, 1));
  }

  @Test
  void concurrentGetsOfOneKeyShareOneLoad() throws Exception {
    KeyValueCache<String, String> books = books(processA);
    CountDownLatch release = new CountDownLatch(1);
    Future<String> leader = heldLoad(books, "a", release);
    List<Future<String>> followers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      followers.add(pool.submit(() -> books.get("a", this::load)));
    }
    Latches.until(() -> books.cacheInfo().l1Hits() == 4, "four callers joined the load in flight");
    release.countDown();

    assertThat(leader.get(10, TimeUnit.SECONDS)).isEqualTo("a-v1");
    for (Future<String> follower : followers) {
      assertThat(follower.get(10, TimeUnit.SECONDS)).isEqualTo("a-v1");
    }
    assertThat(loads).hasValue(1);
    assertThat(books.cacheInfo()).isEqualTo(new CacheInfo(4, 1, 0, 1, 128, 1));
  }

  @Test
  void aPutWhileALoadIsInFlightIsNotOverwrittenByIt() throws Exception {
    KeyValueCache<String, String> a = books(processA);
    KeyValueCache<String, String> b = books(processB);
    CountDownLatch release = new CountDownLatch(1);
    Future<String> loading = heldLoad(a, "a", release);

    a.put("a", "a-put");
    release.countDown();

    assertThat(loading.get(10, TimeUnit.SECONDS)).isEqualTo("a-v1"); // its own caller began before the put
    assertThat(a.getIfPresent("a")).isEqualTo("a-put");
    assertThat(b.getIfPresent("a")).isEqualTo("a-put"); // L2 holds the put, not the late load
    assertThat(a.get("a", this::load)).isEqualTo("a-put");
    assertThat(loads).hasValue(1);
  }

  @Test
  void aCallAfterAPutNeverJoinsALoadThatBeganBeforeIt() throws Exception {
    KeyValueCache<String, String> a = processA.function("books", String.class).l1MaxSize(0).keyValue();
    CountDownLatch release = new CountDownLatch(1);
    Future<String> loading = heldLoad(a, "a", release);
    a.put("a", "a-put");

    // no L1: the call goes to the miss path, where the load in flight is no longer joinable
    Future<String> after = pool.submit(() -> a.get("a", this::load));
    assertThat(after.get(10, TimeUnit.SECONDS)).isEqualTo("a-put"); // read from L2, the load still held
    release.countDown();
    assertThat(loading.get(10, TimeUnit.SECONDS)).isEqualTo("a-v1");
    assertThat(a.get("a", this::load)).isEqualTo("a-put");
    assertThat(loads).hasValue(1);
    assertThat(a.cacheInfo()).isEqualTo(new CacheInfo(0, 3, 2, 1, 0, 0));
  }

  @Test
  void aLookupThatReadTheOldValueBeforeAPutElsewhereDoesNotKeepIt() throws Exception {
    KeyValueCache<String, String> a = books(processA);
    KeyValueCache<String, String> b = books(processB);
    b.put("a", "old");
    Pause read = pausing.arm(Op.READ, Step.AFTER, containing("books"));
    Future<KeyValueCache.Found<String>> lookup = pool.submit(() -> a.lookup("a"));
    read.awaitReached(); // A's look-up has read "old" from L2 and not yet seen it

    b.put("a", "new"); // its message reaches A before put returns
    read.release();

    assertThat(lookup.get(10, TimeUnit.SECONDS)).isEqualTo(new KeyValueCache.Found<>("old"));
    assertThat(a.cacheInfo().l1CurrSize()).isZero(); // the old value did not enter A's L1
    assertThat(a.getIfPresent("a")).isEqualTo("new");
    assertThat(processA.coherence().received()).isEqualTo(2);
  }

  @Test
  void aPutReachesTheOtherProcessL1() {
    KeyValueCache<String, String> a = books(processA);
    KeyValueCache<String, String> b = books(processB);
    assertThat(b.get("a", this::load)).isEqualTo("a-v1");
    assertThat(b.cacheInfo().l1CurrSize()).isEqualTo(1);

    a.put("a", "a-put");

    assertThat(b.cacheInfo().l1CurrSize()).isZero(); // dropped through the channel
    assertThat(b.getIfPresent("a")).isEqualTo("a-put"); // read again from L2
    assertThat(b.cacheInfo()).isEqualTo(new CacheInfo(0, 2, 1, 1, 128, 1));
    assertThat(a.cacheInfo()).isEqualTo(new CacheInfo(0, 0, 0, 0, 128, 1)); // a put counts no call
  }

  @Test
  void invalidateAndInvalidateAllReachBothLayersOfBothProcesses() {
    KeyValueCache<String, String> a = books(processA);
    KeyValueCache<String, String> b = books(processB);
    for (String key : List.of("a", "b", "c")) {
      b.get(key, this::load);
    }
    KeyValueCache<String, String> other = processA.function("other", String.class).keyValue();
    other.put("a", "kept");

    assertThat(a.invalidate("a")).isTrue();
    assertThat(a.invalidate("a")).isFalse();
    assertThat(b.cacheInfo().l1CurrSize()).isEqualTo(2);
    assertThat(a.invalidateAll()).isTrue();

    assertThat(b.cacheInfo().l1CurrSize()).isZero();
    assertThat(b.lookup("b")).isNull(); // a miss in L2 too
    assertThat(a.lookup("c")).isNull();
    assertThat(other.getIfPresent("a")).isEqualTo("kept"); // another cache's entries stay
    assertThat(b.get("b", this::load)).isEqualTo("b-v4");
    assertThat(loads).hasValue(4);
  }

  @Test
  void nullsAreStoredOnlyByACacheThatStoresThem() {
    KeyValueCache<String, String> plain = books(processA);
    assertThatThrownBy(() -> plain.put("a", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cache 'books' does not store nulls (built without cacheNulls(true)): put a value, "
            + "or invalidate(key)");
    assertThat(plain.get("a", key -> null)).isNull();
    assertThat(plain.lookup("a")).isNull();

    KeyValueCache<String, String> a = processA.function("maybe", String.class).cacheNulls(true).keyValue();
    KeyValueCache<String, String> b = processB.function("maybe", String.class).cacheNulls(true).keyValue();
    a.put("x", null);
    assertThat(a.get("y", key -> null)).isNull();

    assertThat(b.lookup("x")).isEqualTo(new KeyValueCache.Found<String>(null)); // through L2
    assertThat(b.lookup("y")).isEqualTo(new KeyValueCache.Found<String>(null));
    assertThat(b.lookup("z")).isNull();
    assertThat(b.get("x", this::load)).isNull();
    assertThat(loads).hasValue(0);
    assertThat(b.cacheInfo()).isEqualTo(new CacheInfo(1, 3, 2, 1, 128, 2));
  }

  @Test
  void getOrDefaultTellsACachedNullFromAnAbsentKeyInBothLayers() {
    KeyValueCache<String, String> a = processA.function("maybe", String.class).cacheNulls(true).keyValue();
    KeyValueCache<String, String> b = processB.function("maybe", String.class).cacheNulls(true).keyValue();
    a.put("x", null);
    a.put("v", "value");

    assertThat(b.getOrDefault("x", "absent")).isNull(); // L2 hit of a cached null, into L1
    assertThat(b.getOrDefault("v", "absent")).isEqualTo("value"); // L2 hit, into L1
    assertThat(b.getOrDefault("z", "absent")).isEqualTo("absent"); // both layers miss
    assertThat(b.getOrDefault("x", "absent")).isNull(); // L1 hit of the null
    assertThat(b.getOrDefault("v", "absent")).isEqualTo("value"); // L1 hit
    assertThat(b.getIfPresent("z")).isNull();
    assertThatThrownBy(() -> b.getOrDefault(null, "absent"))
        .isInstanceOf(NullPointerException.class).hasMessage("key of cache 'maybe'");

    assertThat(loads).hasValue(0);
    assertThat(b.cacheInfo()).isEqualTo(new CacheInfo(2, 4, 2, 2, 128, 2));
  }

  @Test
  void aKeyWithNoStableEncodingIsRefusedNamingItsType() {
    KeyValueCache<Object, String> books = processA.function("books", String.class).keyValue();
    Object key = new Object();

    assertThatThrownBy(() -> books.get(key, k -> "never"))
        .isInstanceOf(UnencodableArgumentException.class)
        .hasMessageContaining("cached function 'books'")
        .hasMessageContaining("type java.lang.Object has no stable encoding");
    assertThatThrownBy(() -> books.put(key, "v")).isInstanceOf(UnencodableArgumentException.class);
    assertThatThrownBy(() -> books.lookup(key)).isInstanceOf(UnencodableArgumentException.class);
    assertThatThrownBy(() -> books.get(null, k -> "never"))
        .isInstanceOf(NullPointerException.class).hasMessage("key of cache 'books'");
    assertThat(books.cacheInfo()).isEqualTo(new CacheInfo(0, 0, 0, 0, 128, 0));
  }

  @Test
  void aKeyValueCacheTakesNoKeyPrefixOrInstanceKey() {
    assertThatThrownBy(() -> processA.function("books", String.class).prefix("p").keyValue())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("key-value cache 'books' takes no prefix(...): its key is the one each call gives, "
            + "and its prefix is its name");
    assertThatThrownBy(() -> processA.function("books", String.class).key(args -> "k").keyValue())
        .hasMessageContaining("takes no key(...)");
  }

  @Test
  void getAsyncSharesOneLoadAndDoesNotCacheAFailure() throws Exception {
    KeyValueCache<String, String> books = books(processA);
    CompletableFuture<String> source = new CompletableFuture<>();
    CompletableFuture<String> first = books.getAsync("a", key -> {
      loads.incrementAndGet();
      return source;
    });
    Latches.until(() -> loads.get() == 1, "the loader was called");
    CompletableFuture<String> second = books.getAsync("a", key -> CompletableFuture.completedFuture(load(key)));
    Latches.until(() -> books.cacheInfo().l1Hits() == 1, "the second caller joined the load");
    source.complete("a-async");

    assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("a-async");
    assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo("a-async");
    assertThat(books.getAsync("a", key -> CompletableFuture.failedFuture(new AssertionError())))
        .isCompletedWithValue("a-async"); // an L1 hit completes at once
    assertThat(books.lookupAsync("a").get(10, TimeUnit.SECONDS)).isEqualTo(new KeyValueCache.Found<>("a-async"));

    IllegalStateException boom = new IllegalStateException("boom");
    CompletableFuture<String> failed = books.getAsync("b", key -> CompletableFuture.failedFuture(boom));
    assertThatThrownBy(failed::join).isInstanceOf(CompletionException.class).hasCause(boom);
    assertThat(books.lookupAsync("b").get(10, TimeUnit.SECONDS)).isNull();
    assertThat(loads).hasValue(1);
  }
}
