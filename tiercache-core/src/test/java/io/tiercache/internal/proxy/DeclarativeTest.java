package io.tiercache.internal.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.CacheInfo;
import io.tiercache.CachedFunctionN;
import io.tiercache.ManualTimeSource;
import io.tiercache.TierCache;
import io.tiercache.annotation.CacheDefaults;
import io.tiercache.annotation.Cached;
import io.tiercache.annotation.CallInfo;
import io.tiercache.annotation.TagsFunction;
import io.tiercache.annotation.TtlFunction;
import io.tiercache.backend.InMemoryBackend;
import io.tiercache.KeyParts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** easy_cache's examples, ported: the bookstore, the shop with a per-shop prefix, dynamic timeouts. */
class DeclarativeTest {
  private final ManualTimeSource time = new ManualTimeSource();
  private final InMemoryBackend l2 = InMemoryBackend.builder().timeSource(time).build();
  private final TierCache processA = TierCache.builder().namespace("store").backend("default", l2).timeSource(time).build();
  private final TierCache processB = TierCache.builder().namespace("store").backend("default", l2).timeSource(time).build();

  public record User(int id, String name, String state) {}

  public record Book(int id, String title) {}

  /** Tags every favourite book, so a change to one book drops every list that holds it. */
  public static final class BookTags implements TagsFunction {
    @Override
    public Collection<String> tags(CallInfo call, Object result) {
      List<String> tags = new ArrayList<>();
      for (Object book : (List<?>) result) {
        tags.add("book:" + ((Book) book).id());
      }
      return tags;
    }
  }

  public interface BookStore {
    @Cached(key = "users_by_state:{state}", tags = "users_by_states")
    List<User> usersByState(String state);

    @Cached(key = "user_favorite_books:{user.id}", tags = "favorite_books:{user.id}", tagsFunction = BookTags.class)
    List<Book> favoriteBooks(User user);

    String uncachedGreeting(String name);
  }

  /** The real store: counts its slow queries. */
  public static class SlowBookStore implements BookStore {
    final AtomicInteger queries = new AtomicInteger();
    final Map<Integer, List<Book>> favourites;

    SlowBookStore(Map<Integer, List<Book>> favourites) {
      this.favourites = favourites;
    }

    @Override
    public List<User> usersByState(String state) {
      queries.incrementAndGet();
      return List.of(new User(1, "Ann", state), new User(2, "Bo", state));
    }

    @Override
    public List<Book> favoriteBooks(User user) {
      queries.incrementAndGet();
      return favourites.get(user.id());
    }

    @Override
    public String uncachedGreeting(String name) {
      queries.incrementAndGet();
      return "hello " + name;
    }
  }

  private final Map<Integer, List<Book>> favourites = Map.of(
      1, List.of(new Book(10, "Dune"), new Book(20, "Emma")),
      2, List.of(new Book(20, "Emma")));

  @Test
  void theBookstoreCachesByTemplateAndInvalidatesByTag() {
    SlowBookStore realA = new SlowBookStore(favourites);
    SlowBookStore realB = new SlowBookStore(favourites);
    BookStore storeA = processA.proxy(BookStore.class, realA);
    BookStore storeB = processB.proxy(BookStore.class, realB);

    assertThat(storeA.usersByState("CA")).hasSize(2);
    assertThat(storeA.usersByState("CA")).hasSize(2);
    assertThat(storeB.usersByState("CA")).hasSize(2); // an L2 hit, under the template's key
    assertThat(realA.queries.get() + realB.queries.get()).isEqualTo(1);
    assertThat(l2.get("store:users_by_state:CA").toCompletableFuture().join()).isNotNull();
    assertThat(KeyParts.join("users_by_state", "CA")).isEqualTo("users_by_state:CA");

    assertThat(storeA.uncachedGreeting("x")).isEqualTo("hello x");
    assertThat(storeA.uncachedGreeting("x")).isEqualTo("hello x");
    assertThat(realA.queries).hasValue(3);

    CachedFunctionN<List<User>> handle = processA.method(BookStore.class, "usersByState", String.class);
    assertThat(handle.cacheInfo()).isEqualTo(new CacheInfo(1, 1, 0, 1, 128, 1));
    assertThat(handle.invalidateTags(realA, "CA")).isTrue(); // users_by_states
    storeA.usersByState("CA");
    assertThat(realA.queries).hasValue(4);
    assertThat(processA.invalidateKey("users_by_state:CA")).isTrue();
    assertThat(handle.contains(realA, "CA")).isFalse();
  }

  @Test
  void favouriteBooksAreTaggedPerBookAndPerUser() {
    SlowBookStore real = new SlowBookStore(favourites);
    BookStore store = processA.proxy(BookStore.class, real);
    User ann = new User(1, "Ann", "CA");
    User bo = new User(2, "Bo", "NY");
    store.favoriteBooks(ann);
    store.favoriteBooks(bo);
    store.favoriteBooks(ann);
    assertThat(real.queries).hasValue(2);

    processA.invalidateTags("book:10"); // Dune changed: only Ann's list holds it
    store.favoriteBooks(ann);
    store.favoriteBooks(bo);
    assertThat(real.queries).hasValue(3);

    processA.invalidateTags("favorite_books:2");
    store.favoriteBooks(bo);
    assertThat(real.queries).hasValue(4);
  }

  /** A model with a cached property per receiver, and one shared by all receivers. */
  public static class Profile {
    private final int id;
    final AtomicInteger counts;

    public Profile() {
      this(0, new AtomicInteger());
    }

    Profile(int id, AtomicInteger counts) {
      this.id = id;
      this.counts = counts;
    }

    public int getId() {
      return id;
    }

    @Cached(key = "{this.id}:friends_count")
    public int friendsCount() {
      counts.incrementAndGet();
      return id * 10;
    }

    @Cached
    public String siteName() {
      counts.incrementAndGet();
      return "books";
    }
  }

  @Test
  void cachedPropertiesArePerReceiverThroughTheirKeyAndSharedWithout() {
    AtomicInteger counts = new AtomicInteger();
    Profile one = processA.proxy(Profile.class, new Profile(1, counts));
    Profile two = processA.proxy(Profile.class, new Profile(2, counts));
    assertThat(one.friendsCount()).isEqualTo(10);
    assertThat(two.friendsCount()).isEqualTo(20);
    assertThat(one.friendsCount()).isEqualTo(10);
    assertThat(one.siteName()).isEqualTo("books");
    assertThat(two.siteName()).isEqualTo("books");
    assertThat(counts).hasValue(3);

    CachedFunctionN<Integer> friends = processA.method(Profile.class, "friendsCount");
    Profile target = new Profile(1, counts);
    assertThat(friends.invalidate(target)).isTrue(); // the receiver as the argument
    assertThat(one.friendsCount()).isEqualTo(10);
    assertThat(counts).hasValue(4);
    assertThat(friends.refresh(target)).isEqualTo(10);
    assertThat(counts).hasValue(5);
  }

  /** easy_cache's shop: every method's entries live under a per-shop prefix. */
  @CacheDefaults(prefix = "shop:{this.id}", ttl = "10m")
  public static class Shop {
    private final int id;
    final AtomicInteger queries = new AtomicInteger();

    public Shop() {
      this(0);
    }

    Shop(int id) {
      this.id = id;
    }

    public int getId() {
      return id;
    }

    @Cached(key = "product:{sku}")
    public String product(String sku) {
      queries.incrementAndGet();
      return id + "/" + sku;
    }

    @Cached
    public int productCount() {
      queries.incrementAndGet();
      return 3;
    }
  }

  @Test
  void aPerShopPrefixInvalidatesEverythingOfOneShop() {
    Shop realOne = new Shop(1);
    Shop realTwo = new Shop(2);
    Shop one = processA.proxy(Shop.class, realOne);
    Shop two = processA.proxy(Shop.class, realTwo);
    one.product("a");
    one.productCount();
    two.product("a");
    assertThat(l2.get("store:shop:1:product:a").toCompletableFuture().join()).isNotNull();
    assertThat(processA.invalidatePrefix("shop:1")).isTrue();
    one.product("a");
    one.productCount();
    two.product("a");
    assertThat(realOne.queries).hasValue(4);
    assertThat(realTwo.queries).hasValue(1);
    time.advance(Duration.ofMinutes(10)); // the class default ttl
    two.product("a");
    assertThat(realTwo.queries).hasValue(2);
  }

  /** Timeouts by group: premium prices live longer. */
  public static final class ByGroup implements TtlFunction {
    @Override
    public Duration ttl(CallInfo call) {
      return "premium".equals(call.arg("group")) ? Duration.ofHours(1) : Duration.ofMinutes(1);
    }
  }

  public interface Prices {
    @Cached(ttlFunction = ByGroup.class)
    long price(String group, String sku);
  }

  @Test
  void dynamicTimeoutsByGroup() {
    AtomicInteger queries = new AtomicInteger();
    Prices prices = processA.proxy(Prices.class, (group, sku) -> queries.incrementAndGet());
    prices.price("premium", "a");
    prices.price("basic", "a");
    time.advance(Duration.ofMinutes(2));
    assertThat(prices.price("premium", "a")).isEqualTo(1);
    assertThat(prices.price("basic", "a")).isEqualTo(3);
    assertThat(queries).hasValue(3);
  }

  public interface Typo {
    @Cached(key = "users_by_state:{stat}")
    List<User> usersByState(String state);
  }

  public interface NoSuchProperty {
    @Cached(key = "{user.identifier}")
    List<Book> favoriteBooks(User user);
  }

  public interface BadTtl {
    @Cached(ttl = "ten minutes")
    String value(String key);
  }

  @Test
  void templatesAndOptionsAreCheckedWhenTheProxyIsMade() {
    assertThatThrownBy(() -> processA.proxy(Typo.class, state -> List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("usersByState").hasMessageContaining("users_by_state:{stat}")
        .hasMessageContaining("stat");
    assertThatThrownBy(() -> processA.proxy(NoSuchProperty.class, user -> List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("favoriteBooks").hasMessageContaining("identifier");
    assertThatThrownBy(() -> processA.proxy(BadTtl.class, key -> key))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("BadTtl.value(String) ttl").hasMessageContaining("'ten minutes'");
  }

  @Test
  void theMethodsOwnExceptionsReachTheCallerAndAreNotCached() {
    AtomicInteger calls = new AtomicInteger();
    BookStore failing = processA.proxy(BookStore.class, new SlowBookStore(favourites) {
      @Override
      public List<User> usersByState(String state) {
        calls.incrementAndGet();
        throw new IllegalStateException("database down");
      }
    });
    assertThatThrownBy(() -> failing.usersByState("CA")).isInstanceOf(IllegalStateException.class)
        .hasMessage("database down");
    assertThatThrownBy(() -> failing.usersByState("CA")).isInstanceOf(IllegalStateException.class);
    assertThat(calls).hasValue(2);
  }
}
