package io.tiercache;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.backend.InMemoryBackend;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Tags, prefixes and explicit keys: O(1) invalidation by version stamps, never stale. */
class TagsTest implements L1PolicyFixture {
  private final ManualTimeSource time = new ManualTimeSource();
  private final InMemoryBackend store = InMemoryBackend.builder().maxEntries(100_000).timeSource(time).build();
  private final CountingBackend backend = new CountingBackend(store);
  private final TierCache processA = process();
  private final TierCache processB = process();
  private final AtomicInteger computations = new AtomicInteger();
  private final ExecutorService pool = Executors.newSingleThreadExecutor();

  private TierCache process() {
    return TierCache.builder().namespace("books").backend("default", backend).timeSource(time).build();
  }

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  record User(int id, String state) {}

  record Book(int id, String title) {}

  private CachedFunction1<String, List<User>> usersByState(TierCache in) {
    return function(in, "usersByState", new ValueType<List<User>>() {})
        .key(args -> "users_by_state:" + args[0])
        .tags("users_by_states")
        .of((String state) -> {
          computations.incrementAndGet();
          return List.of(new User(1, state), new User(2, state));
        });
  }

  @Test
  void invalidatingATagOverTenThousandEntriesIsOneBackendCommand() {
    CachedFunction1<Integer, String> a = function(processA, "item", String.class).l1MaxSize(20_000)
        .tags("catalog").of((Integer i) -> "item " + i + " v" + computations.incrementAndGet());
    for (int i = 0; i < 10_000; i++) {
      a.apply(i);
    }
    assertThat(computations).hasValue(10_000);
    backend.reset();

    assertThat(processA.invalidateTags("catalog")).isTrue();
    assertThat(backend.commands()).isEqualTo(1);
    assertThat(backend.sets).hasValue(1);
    assertThat(a.cacheInfo().l1CurrSize()).isZero(); // this process's L1 dropped them at once

    CachedFunction1<Integer, String> b = function(processB, "item", String.class).l1MaxSize(20_000)
        .tags("catalog").of((Integer i) -> "item " + i + " v" + computations.incrementAndGet());
    for (int i = 0; i < 10_000; i++) {
      assertThat(b.apply(i)).isEqualTo("item " + i + " v" + (10_000 + i + 1));
    }
    assertThat(b.cacheInfo()).isEqualTo(new CacheInfo(0, 10_000, 0, 10_000, 20_000, 10_000));
  }

  @Test
  void anL2HitWithTagsKnownFromTheArgumentsIsOneRoundTrip() {
    CachedFunction2<String, Integer, String> a = function(processA, "page", String.class)
        .tags(args -> List.of("shelf:" + args[0], "page:" + args[1]))
        .of((String shelf, Integer page) -> shelf + "/" + page);
    CachedFunction2<String, Integer, String> b = function(processB, "page", String.class)
        .tags(args -> List.of("shelf:" + args[0], "page:" + args[1]))
        .of((String shelf, Integer page) -> "recomputed");
    a.apply("fiction", 3);
    backend.reset();
    assertThat(b.apply("fiction", 3)).isEqualTo("fiction/3");
    assertThat(b.cacheInfo().l2Hits()).isEqualTo(1);
    assertThat(backend.commands()).isEqualTo(1);
    assertThat(backend.getManys).hasValue(1);
  }

  @Test
  void tagsTemplatedFromArgumentsAndExplicitKeys() {
    CachedFunction1<String, List<User>> a = usersByState(processA);
    CachedFunction1<String, List<User>> b = usersByState(processB);
    a.apply("CA");
    a.apply("NY");
    assertThat(b.apply("CA")).containsExactly(new User(1, "CA"), new User(2, "CA"));
    assertThat(computations).hasValue(2);
    assertThat(store.get("books:users_by_state:CA").toCompletableFuture().join()).isNotNull();

    assertThat(processB.invalidateKey("users_by_state:CA")).isTrue();
    assertThat(processB.invalidateKey("users_by_state:CA")).isFalse();
    b.apply("CA");
    assertThat(computations).hasValue(3);

    assertThat(a.invalidateTags("any")).isTrue(); // the function's tags: users_by_states
    a.apply("NY");
    assertThat(computations).hasValue(4);
    b.apply("CA"); // B's L1 copy: reaching other processes' L1s is the Redis backend's pub/sub
    assertThat(computations).hasValue(4);
    b.cacheClear();
    b.apply("CA"); // the L2 entry carries the old tag version
    assertThat(computations).hasValue(5);
  }

  @Test
  void anEntryComputedBeforeATagInvalidationIsNeverServedAfterIt() throws Exception {
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CachedFunction1<Integer, String> a = function(processA, "price", String.class).tags("prices")
        .of((Integer sku) -> {
          int n = computations.incrementAndGet();
          if (n == 1) {
            inside.countDown();
            Latches.await(release); // read the old price, then stall
          }
          return "price v" + n;
        });
    Future<String> inFlight = pool.submit(() -> a.apply(1));
    assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(processA.invalidateTags("prices")).isTrue();
    release.countDown();
    assertThat(inFlight.get(10, TimeUnit.SECONDS)).isEqualTo("price v1"); // its own caller gets it

    CachedFunction1<Integer, String> b = function(processB, "price", String.class).tags("prices")
        .of((Integer sku) -> "price v" + computations.incrementAndGet());
    assertThat(b.apply(1)).isEqualTo("price v2"); // the L2 entry was stamped with the old version
    assertThat(a.apply(1)).isEqualTo("price v2"); // nothing stale in A's L1 either
    assertThat(a.cacheInfo().l2Hits()).isEqualTo(1);
  }

  @Test
  void resultTagsInvalidateEveryListThatHoldsABook() {
    Map<Integer, List<Book>> favourites = Map.of(
        1, List.of(new Book(10, "Dune"), new Book(20, "Emma")),
        2, List.of(new Book(20, "Emma")),
        3, List.of(new Book(30, "Ulysses")));
    CachedFunction1<Integer, List<Book>> a = function(processA, "favourites", new ValueType<List<Book>>() {})
        .resultTags((args, books) -> books.stream().map(book -> "book:" + book.id()).toList())
        .of((Integer user) -> {
          computations.incrementAndGet();
          return favourites.get(user);
        });
    CachedFunction1<Integer, List<Book>> b = function(processB, "favourites", new ValueType<List<Book>>() {})
        .resultTags((args, books) -> books.stream().map(book -> "book:" + book.id()).toList())
        .of((Integer user) -> {
          computations.incrementAndGet();
          return favourites.get(user);
        });
    for (int user = 1; user <= 3; user++) {
      a.apply(user);
    }
    backend.reset();
    assertThat(b.apply(1)).hasSize(2);
    assertThat(backend.commands()).isEqualTo(2); // the entry, then the tags it names
    assertThat(processA.invalidateTags("book:20")).isTrue(); // Emma's title changed
    assertThat(a.cacheInfo().l1CurrSize()).isEqualTo(1); // users 1 and 2 dropped from A's L1
    b.cacheClear();
    for (int user = 1; user <= 3; user++) {
      b.apply(user);
    }
    assertThat(computations).hasValue(3 + 2);
    assertThat(b.cacheInfo()).isEqualTo(new CacheInfo(0, 3, 1, 2, 128, 3));
  }

  @Test
  void aPrefixIsAKeyPrefixAndATag() {
    CachedFunction2<Integer, String, String> a = function(processA, "product", String.class)
        .prefix(args -> "shop:" + args[0])
        .of((Integer shop, String sku) -> "shop " + shop + " " + sku + " v" + computations.incrementAndGet());
    a.apply(1, "A");
    a.apply(1, "B");
    a.apply(2, "A");
    assertThat(store.get("books:shop:1:product:n1,sA").toCompletableFuture().join()).isNotNull();
    assertThat(processA.invalidatePrefix("shop:1")).isTrue();
    assertThat(a.apply(1, "A")).endsWith("v4");
    assertThat(a.apply(1, "B")).endsWith("v5");
    assertThat(a.apply(2, "A")).endsWith("v3");
    assertThat(a.invalidatePrefix(2, "anything")).isTrue();
    assertThat(a.apply(2, "A")).endsWith("v6");
  }

  @Test
  void unicodePrefixesAndKeys() {
    CachedFunction1<String, String> a = function(processA, "greeting", String.class)
        .prefix(args -> "магазин:" + args[0]).key(args -> "привет:" + args[0])
        .of((String name) -> "привет, " + name + " " + computations.incrementAndGet());
    assertThat(a.apply("мир")).isEqualTo("привет, мир 1");
    assertThat(a.apply("мир")).isEqualTo("привет, мир 1");
    assertThat(processA.invalidatePrefix("магазин:мир")).isTrue();
    assertThat(a.apply("мир")).isEqualTo("привет, мир 2");
    assertThat(processA.invalidateKey("магазин:мир:привет:мир")).isTrue();
    assertThat(a.apply("мир")).isEqualTo("привет, мир 3");
  }

  @Test
  void ttlComputedFromTheArguments() {
    CachedFunction1<String, String> a = function(processA, "group", String.class)
        .ttl(args -> "vip".equals(args[0]) ? Duration.ofMinutes(10) : Duration.ofMinutes(1))
        .of((String group) -> group + computations.incrementAndGet());
    a.apply("vip");
    a.apply("guest");
    time.advance(Duration.ofMinutes(2));
    assertThat(a.apply("vip")).isEqualTo("vip1");
    assertThat(a.apply("guest")).isEqualTo("guest3");
  }

  @Test
  void aLostTagVersionMakesItsEntriesMisses() {
    CachedFunction1<Integer, String> a = function(processA, "fragile", String.class).tags("t")
        .of((Integer i) -> "v" + computations.incrementAndGet());
    CachedFunction1<Integer, String> b = function(processB, "fragile", String.class).tags("t")
        .of((Integer i) -> "v" + computations.incrementAndGet());
    a.apply(1);
    store.delete("books:#t:t"); // evicted by the server
    assertThat(b.apply(1)).isEqualTo("v2");
  }
}
