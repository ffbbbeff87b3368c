package io.tiercache.examples.boot;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.stereotype.Service;

/** A service as it is written for any Spring cache: the slow lookup runs only on a miss. */
@Service
public class Catalog {
  private final AtomicInteger lookups = new AtomicInteger();
  private final Map<String, String> editions = new ConcurrentHashMap<>();

  /** Spring creates it. */
  public Catalog() {}

  /**
   * The title of a book: a lookup on a miss, else the cached title.
   *
   * @param isbn the book
   * @return its title, with the edition the lookup found
   */
  @Cacheable("titles")
  public String title(String isbn) {
    lookups.incrementAndGet();
    return "Dune (" + editions.getOrDefault(isbn, "1st") + " edition)";
  }

  /**
   * A new edition: the cached title is dropped (in every instance that shares the L2).
   *
   * @param isbn the book
   */
  @CacheEvict("titles")
  public void retitle(String isbn) {
    editions.put(isbn, "2nd");
  }

  /**
   * How many lookups ran.
   *
   * @return the count
   */
  public int lookups() {
    return lookups.get();
  }
}
