package io.tiercache.examples;

import io.tiercache.CachedFunctionN;
import io.tiercache.TierCache;
import io.tiercache.annotation.CallInfo;
import io.tiercache.annotation.Cached;
import io.tiercache.annotation.TagsFunction;
import io.tiercache.backend.InMemoryBackend;
import java.io.PrintStream;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * easy_cache's bookstore, end to end: methods cached by key templates, a tag shared by a family of
 * entries, one tag per book inside a cached list, and invalidation by key, by tag and through a
 * method's handle. Runs with no server:
 * {@code mvn -q -Pdemo -Ddemo.main=io.tiercache.examples.BookstoreExample -pl tiercache-examples -am package}.
 */
public final class BookstoreExample {

  /** A user. */
  public record User(int id, String name, String state) {}

  /** A book. */
  public record Book(int id, String title) {}

  /** Tags a list of books with one tag per book. */
  public static final class PerBookTags implements TagsFunction {
    @Override
    public Collection<String> tags(CallInfo call, Object result) {
      return ((List<?>) result).stream().map(book -> "book:" + ((Book) book).id()).toList();
    }
  }

  /** The bookstore's slow queries, declared cached. */
  public interface BookStore {
    /**
     * Users of a state: cached under {@code users_by_state:<state>}, tagged {@code users_by_states}.
     *
     * @param state the state's code
     * @return the users living there
     */
    @Cached(key = "users_by_state:{state}", tags = "users_by_states", ttl = "10m")
    List<User> usersByState(String state);

    /**
     * A user's favourite books: tagged per user and per book.
     *
     * @param user the user, whose {@code id} is the key
     * @return the user's favourite books
     */
    @Cached(key = "favorite_books:{user.id}", tags = "favorite_books:{user.id}",
        tagsFunction = PerBookTags.class)
    List<Book> favoriteBooks(User user);
  }

  /** The database behind the store. */
  static final class Database implements BookStore {
    final AtomicInteger queries = new AtomicInteger();

    @Override
    public List<User> usersByState(String state) {
      queries.incrementAndGet();
      return List.of(new User(1, "Ann", state), new User(2, "Bo", state));
    }

    @Override
    public List<Book> favoriteBooks(User user) {
      queries.incrementAndGet();
      return Map.of(1, List.of(new Book(10, "Dune"), new Book(20, "Emma")),
          2, List.of(new Book(20, "Emma"))).getOrDefault(user.id(), List.of());
    }
  }

  private final PrintStream out;

  BookstoreExample(PrintStream out) {
    this.out = out;
  }

  void run() {
    TierCache cache = TierCache.builder().namespace("bookstore")
        .backend("default", InMemoryBackend.create()).build();
    Database db = new Database();
    BookStore store = cache.proxy(BookStore.class, db);
    User ann = new User(1, "Ann", "CA");
    User bo = new User(2, "Bo", "CA");

    store.usersByState("CA");
    store.usersByState("CA");
    say("usersByState(CA) twice", db);
    store.favoriteBooks(ann);
    store.favoriteBooks(bo);
    store.favoriteBooks(ann);
    say("favoriteBooks of Ann, Bo, Ann", db);

    cache.invalidateTags("book:10"); // Dune's title changed: only Ann's list holds it
    store.favoriteBooks(ann);
    store.favoriteBooks(bo);
    say("after invalidateTags(book:10), favoriteBooks of Ann and Bo", db);

    cache.invalidateKey("users_by_state:CA");
    store.usersByState("CA");
    say("after invalidateKey(users_by_state:CA), usersByState(CA)", db);

    CachedFunctionN<List<User>> handle = cache.method(BookStore.class, "usersByState", String.class);
    handle.invalidateTags(db, "CA"); // the method's own tags: users_by_states
    store.usersByState("CA");
    say("after the handle's invalidateTags, usersByState(CA)", db);
    out.println("usersByState statistics: " + handle.cacheInfo());
  }

  private void say(String what, Database db) {
    out.println(what + " -> " + db.queries.get() + " queries so far");
  }

  /**
   * Runs the example.
   *
   * @param args not used
   */
  public static void main(String[] args) {
    new BookstoreExample(System.out).run();
  }
}
