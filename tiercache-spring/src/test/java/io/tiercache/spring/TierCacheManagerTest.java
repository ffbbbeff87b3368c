package io.tiercache.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.CacheInfo;
import io.tiercache.KeyValueCache;
import io.tiercache.TierCache;
import io.tiercache.UnencodableArgumentException;
import io.tiercache.backend.Backend;
import io.tiercache.backend.ForwardingBackend;
import io.tiercache.backend.InMemoryBackend;
import io.tiercache.spring.internal.SpringKeys;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.cache.Cache;
import org.springframework.cache.interceptor.SimpleKey;

/**
 * {@link TierCacheManager} and {@link TierCacheCache} on the embedded backend: which caches exist,
 * how options and keys reach tiercache, and Spring's cache contract call by call.
 */
class TierCacheManagerTest {
  private final InMemoryBackend backend = InMemoryBackend.create();
  private final TierCache tierCache = TierCache.builder().namespace("app").backend("default", backend).build();
  private final AtomicInteger loads = new AtomicInteger();

  @AfterEach
  void close() {
    tierCache.close();
  }

  @Test
  void namedCachesAreBuiltAtOnceAndOthersOnDemandUnlessDynamicIsOff() {
    TierCacheManager manager = TierCacheManager.builder(tierCache)
        .defaults(TierCacheOptions.defaults().l1MaxSize(5))
        .cache("books")
        .cache("prices", TierCacheOptions.defaults().l1MaxSize(7).ttl(Duration.ofMinutes(1)))
        .build();
    assertThat(manager.getCacheNames()).containsExactly("books", "prices");
    assertThat(native_(manager.getCache("prices")).cacheInfo()).isEqualTo(new CacheInfo(0, 0, 0, 0, 7, 0));
    assertThat(native_(manager.getCache("books")).cacheInfo().l1MaxSize()).isEqualTo(5);

    Cache late = manager.getCache("late");
    assertThat(manager.getCache("late")).isSameAs(late);
    assertThat(manager.getCacheNames()).containsExactly("books", "late", "prices");

    TierCacheManager fixed = TierCacheManager.builder(
        TierCache.builder().backend("default", backend).build()).cache("only").dynamic(false).build();
    assertThat(fixed.getCache("other")).isNull();
    assertThat(fixed.getCacheNames()).containsExactly("only");
  }

  @Test
  void overridesShapeEveryCacheByNameAndEachNewCacheIsAnnouncedOnce() {
    List<String> created = new java.util.ArrayList<>();
    TierCacheManager manager = TierCacheManager.builder(tierCache)
        .cache("books", TierCacheOptions.defaults().l1MaxSize(5))
        .overrides((name, options) -> name.startsWith("b") ? options.l1MaxSize(3) : options)
        .onCreate(cache -> created.add("first " + cache.getName()))
        .onCreate(cache -> created.add("second " + cache.getName()))
        .build();
    assertThat(created).containsExactly("first books", "second books");
    assertThat(native_(manager.getCache("books")).cacheInfo().l1MaxSize()).isEqualTo(3);
    assertThat(native_(manager.getCache("bins")).cacheInfo().l1MaxSize()).isEqualTo(3);
    assertThat(native_(manager.getCache("prices")).cacheInfo().l1MaxSize()).isEqualTo(128);
    manager.getCache("bins");
    assertThat(created).containsExactly("first books", "second books", "first bins",
        "second bins", "first prices", "second prices");
  }

  @Test
  void aLeaseTtlNeedsALeaseWaitAndReachesTheLease() {
    assertThatThrownBy(() -> new TierCacheOptions(io.tiercache.ValueType.of(Object.class), true,
        null, null, null, null, null, null, Duration.ofSeconds(4)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("leaseTtl needs leaseWait (a lease's wait)");
    TierCacheOptions leased = TierCacheOptions.defaults().lease(Duration.ofMillis(250), Duration.ofSeconds(4));
    assertThat(leased.leaseWait()).isEqualTo(Duration.ofMillis(250));
    assertThat(leased.leaseTtl()).isEqualTo(Duration.ofSeconds(4));
    assertThat(leased.lease(Duration.ofMillis(100)).leaseTtl()).isNull();
    assertThat(leased.ttl(Duration.ofMinutes(1)).leaseTtl()).isEqualTo(Duration.ofSeconds(4));
    assertThatThrownBy(() -> TierCacheManager.builder(tierCache)
        .cache("short", TierCacheOptions.defaults().lease(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lease ttl (PT1S) must not be shorter than the lease");
  }

  @Test
  void aBadOptionFailsWhenTheManagerIsBuiltNamingTheCache() {
    assertThatThrownBy(() -> TierCacheManager.builder(tierCache)
        .cache("books", TierCacheOptions.defaults().jitter(Duration.ofSeconds(1))).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cached function 'books': jitter PT1S needs a ttl: set ttl(...) as well");
    assertThatThrownBy(() -> TierCacheManager.builder(tierCache).cache("bad name").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("function name 'bad name' must be non-empty and use only letters, digits, '.', '_' and '-'");
    assertThatThrownBy(() -> TierCacheManager.builder(tierCache)
        .cache("leased", TierCacheOptions.defaults().backend("nowhere")).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no backend named 'nowhere'; configured: [default]");
  }

  @Test
  void simpleKeysBecomeTheListOfTheirParameters() {
    assertThat(SpringKeys.of(new SimpleKey("a", 2, null))).isEqualTo(Arrays.asList("a", 2, null));
    assertThat(SpringKeys.of(SimpleKey.EMPTY)).isEqualTo(List.of());
    assertThat(SpringKeys.of("plain")).isEqualTo("plain");
    // a list in every respect: equality both ways, List's hash, its text, unmodifiable
    Object params = SpringKeys.of(new SimpleKey("a", 2, null));
    assertThat(Arrays.asList("a", 2, null)).isEqualTo(params);
    assertThat(params).isEqualTo(SpringKeys.of(new SimpleKey("a", 2, null)))
        .isNotEqualTo(SpringKeys.of(new SimpleKey("a", 2L, null)))
        .isNotEqualTo(SpringKeys.of(new SimpleKey("a", 2)))
        .hasToString("[a, 2, null]");
    assertThat(params.hashCode()).isEqualTo(Arrays.asList("a", 2, null).hashCode());
    @SuppressWarnings("unchecked")
    List<Object> asList = (List<Object>) params;
    assertThatThrownBy(() -> asList.set(0, "b")).isInstanceOf(UnsupportedOperationException.class);
    assertThat(asList).containsExactly("a", 2, null);

    Cache cache = new TierCacheManager(tierCache).getCache("prices");
    cache.put(new SimpleKey("a,b"), 1);
    cache.put(new SimpleKey("a", "b"), 2);
    assertThat(cache.get(new SimpleKey("a,b")).get()).isEqualTo(1);
    assertThat(cache.get(new SimpleKey("a", "b")).get()).isEqualTo(2);
    // another process finds both: the L2 key is the stable encoding of the list of parameters
    try (TierCache other = TierCache.builder().namespace("app").backend("default", backend).build()) {
      Cache there = new TierCacheManager(other).getCache("prices");
      assertThat(there.get(new SimpleKey("a", "b")).get()).isEqualTo(2);
      assertThat(there.get(new SimpleKey("a,b")).get()).isEqualTo(1);
      assertThat(((KeyValueCache<?, ?>) there.getNativeCache()).cacheInfo()).isEqualTo(new CacheInfo(0, 2, 2, 0, 128, 2));
    }
  }

  /**
   * The L2 key of a {@code SimpleKey} is the one every process of every version writes: pinned
   * text, so that a change of how Spring keys are held in this process cannot move entries.
   */
  @Test
  void aSimpleKeysL2KeyIsTheStableEncodingOfItsParameters() {
    List<String> written = new java.util.ArrayList<>();
    Backend recording = new ForwardingBackend(backend) {
      @Override
      public CompletionStage<Void> set(String key, byte[] value, Duration ttl) {
        written.add(key);
        return super.set(key, value, ttl);
      }
    };
    try (TierCache recorded = TierCache.builder().namespace("app").backend("default", recording).build()) {
      Cache cache = new TierCacheManager(recorded).getCache("finds");
      cache.put(new SimpleKey(42L, "books"), "v1");
      cache.put(new SimpleKey(3, null), "v2");
      cache.put(new SimpleKey("a,b"), "v3");
      cache.put(SimpleKey.EMPTY, "v4");
      cache.put(List.of(42L, "books"), "v5"); // a key expression's list: the same entry
      assertThat(written).containsExactly(
          "app:#p:finds", // the version of the cache's prefix, at its first write
          "app:finds:finds:[n42,sbooks]",
          "app:finds:finds:[n3,~]",
          "app:finds:finds:[sa%2Cb]",
          "app:finds:finds:[]",
          "app:finds:finds:[n42,sbooks]");
      assertThat(cache.get(new SimpleKey(42L, "books")).get()).isEqualTo("v5");
      assertThat(cache.get(new SimpleKey(3L, null)).get()).isEqualTo("v2");
      assertThat(native_(cache).cacheInfo()).isEqualTo(new CacheInfo(2, 0, 0, 0, 128, 4));
    }
  }

  @Test
  void aKeyWithNoStableEncodingFailsNamingItsType() {
    Cache cache = new TierCacheManager(tierCache).getCache("books");
    assertThatThrownBy(() -> cache.get(new Object()))
        .isInstanceOf(UnencodableArgumentException.class)
        .hasMessageContaining("type java.lang.Object has no stable encoding");
  }

  @Test
  void theSpringContractCallByCall() throws Exception {
    Cache cache = new TierCacheManager(tierCache).getCache("books");
    assertThat(cache.get("k")).isNull();
    assertThat(cache.putIfAbsent("k", "v1")).isNull();
    assertThat(cache.putIfAbsent("k", "v2").get()).isEqualTo("v1");
    assertThat(cache.get("k", String.class)).isEqualTo("v1");
    assertThat(cache.get("k", () -> "never")).isEqualTo("v1");
    cache.put("k", "v3");
    assertThat(cache.get("k").get()).isEqualTo("v3");
    assertThat(cache.evictIfPresent("k")).isTrue();
    assertThat(cache.evictIfPresent("k")).isFalse();

    Object loaded = cache.get("n", () -> {
      loads.incrementAndGet();
      return null;
    });
    assertThat(loaded).isNull();
    Cache.ValueWrapper cachedNull = cache.get("n");
    assertThat(cachedNull).isNotNull();
    assertThat(cachedNull.get()).isNull();
    assertThat(cache.retrieve("n").get()).isInstanceOf(Cache.ValueWrapper.class);
    assertThat(cache.retrieve("absent").get()).isNull();
    assertThat(cache.retrieve("r", () -> java.util.concurrent.CompletableFuture.completedFuture("async")).get())
        .isEqualTo("async");
    assertThat(cache.retrieve("r").get()).isEqualTo(new org.springframework.cache.support.SimpleValueWrapper("async"));

    IllegalStateException boom = new IllegalStateException("boom");
    assertThatThrownBy(() -> cache.get("e", () -> {
      throw boom;
    })).isInstanceOf(Cache.ValueRetrievalException.class).hasCause(boom);

    cache.clear();
    assertThat(cache.get("r")).isNull();
    assertThat(cache.get("n")).isNull();
    assertThat(loads).hasValue(1);
  }

  @Test
  void withoutNullValuesANullIsRefusedWithSpringsMessage() {
    Cache cache = TierCacheManager.builder(tierCache)
        .defaults(TierCacheOptions.defaults().allowNullValues(false)).build().getCache("strict");
    String message = "Cache 'strict' is configured to not allow null values but null was provided";
    assertThatThrownBy(() -> cache.put("k", null)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    assertThatThrownBy(() -> cache.get("k", () -> null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
    assertThatThrownBy(() -> cache.retrieve("k", () -> java.util.concurrent.CompletableFuture.completedFuture(null)).join())
        .hasCauseInstanceOf(IllegalArgumentException.class).cause().hasMessage(message);
    assertThat(cache.get("k")).isNull();
  }

  @SuppressWarnings("unchecked")
  private static KeyValueCache<Object, Object> native_(Cache cache) {
    return (KeyValueCache<Object, Object>) cache.getNativeCache();
  }
}
