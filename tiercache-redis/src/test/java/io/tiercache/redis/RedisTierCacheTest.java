package io.tiercache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.CacheInfo;
import io.tiercache.CachedFunction1;
import io.tiercache.CachedFunction2;
import io.tiercache.TierCache;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Cached functions on a real Redis: two {@code TierCache} instances on separate connections share
 * L2, an L2 hit costs exactly one command (two tags included), and nothing found under the cache's
 * keys (garbage, truncated frames, other types, other versions, a Java-serialized object, a Redis
 * list) reaches a caller.
 */
class RedisTierCacheTest {
  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();

  record Quote(String sku, int quantity, long priceCents) {}

  record Book(String title, int pages) {}

  private RedisBackend connectedBackend() {
    RedisBackend backend = redis.closeAfterTest(RedisBackend.connect(redis.uri()));
    assertThat(backend.awaitUp(Duration.ofSeconds(10))).as("backend up").isTrue();
    return backend;
  }

  private static TierCache cacheOn(String namespace, RedisBackend backend) {
    return TierCache.builder().namespace(namespace).backend(TierCache.DEFAULT, backend).build();
  }

  /** Without the invalidation channel, whose heartbeats would add PUBLISH commands to the counts. */
  private static TierCache incoherentCacheOn(String namespace, RedisBackend backend) {
    return TierCache.builder().namespace(namespace).backend(TierCache.DEFAULT, backend)
        .coherence(false).build();
  }

  /** Writes to L2 are not awaited by callers: wait until Redis holds {@code n} keys. */
  private static void awaitKeys(long n) {
    Eventually.waitFor("Redis holds " + n + " keys", Duration.ofSeconds(10),
        () -> redis.raw().sync().dbsize() == n);
  }

  @Test
  void twoTierCachesOnSeparateConnectionsShareL2() {
    AtomicInteger computedA = new AtomicInteger();
    AtomicInteger computedB = new AtomicInteger();
    CachedFunction2<String, Integer, Quote> quoteA = cacheOn("shop", connectedBackend())
        .function("quote", Quote.class)
        .of((String sku, Integer qty) -> {
          computedA.incrementAndGet();
          return new Quote(sku, qty, 1999L * qty);
        });
    CachedFunction2<String, Integer, Quote> quoteB = cacheOn("shop", connectedBackend())
        .function("quote", Quote.class)
        .of((String sku, Integer qty) -> {
          computedB.incrementAndGet();
          return new Quote(sku, qty, 1999L * qty);
        });
    assertThat(clientsNamedTiercache()).as("separate connections").isEqualTo(2);

    assertThat(quoteA.apply("A-42", 3)).isEqualTo(new Quote("A-42", 3, 5997));
    assertThat(quoteA.cacheInfo()).isEqualTo(new CacheInfo(0, 1, 0, 1, 128, 1));
    awaitKeys(1);
    assertThat(redis.raw().sync().keys("shop:quote:*")).hasSize(1);

    assertThat(quoteB.apply("A-42", 3)).isEqualTo(new Quote("A-42", 3, 5997));
    assertThat(quoteB.cacheInfo()).isEqualTo(new CacheInfo(0, 1, 1, 0, 128, 1));
    assertThat(quoteB.apply("A-42", 3)).isEqualTo(new Quote("A-42", 3, 5997));
    assertThat(quoteB.cacheInfo()).isEqualTo(new CacheInfo(1, 1, 1, 0, 128, 1));
    assertThat(computedA).hasValue(1);
    assertThat(computedB).hasValue(0);
    assertThat(quoteA.l2ErrorCount()).isZero();
    assertThat(quoteB.l2ErrorCount()).isZero();
  }

  @Test
  void anL2HitIsExactlyOneGetAndAMissOneGetAndOneSet() {
    CachedFunction1<Long, Long> square = incoherentCacheOn("rt", connectedBackend())
        .function("square", Long.class).l1MaxSize(0).of((Long x) -> x * x);
    redis.raw().resetStats();

    assertThat(square.apply(7L)).isEqualTo(49L);
    awaitKeys(1);
    assertThat(redis.raw().commandCalls()).as("commands Redis received for a miss")
        .isEqualTo(Map.of("get", 1L, "set", 1L));

    redis.raw().resetStats();
    assertThat(square.apply(7L)).isEqualTo(49L);
    assertThat(redis.raw().commandCalls()).as("commands Redis received for an L2 hit")
        .isEqualTo(Map.of("get", 1L));
    assertThat(square.cacheInfo()).isEqualTo(new CacheInfo(0, 2, 1, 1, 0, 0));
  }

  @Test
  void anL2HitWithTwoTagsIsExactlyOneMget() {
    CachedFunction1<Long, Long> tagged = incoherentCacheOn("rt", connectedBackend())
        .function("tagged", Long.class).l1MaxSize(0).tags("catalog", "prices")
        .of((Long x) -> x + 1);
    assertThat(tagged.apply(41L)).isEqualTo(42L);
    awaitKeys(3); // the entry and the two tag versions

    redis.raw().resetStats();
    assertThat(tagged.apply(41L)).isEqualTo(42L);

    assertThat(redis.raw().commandCalls()).as("commands Redis received for an L2 hit with two tags")
        .isEqualTo(Map.of("mget", 1L));
    assertThat(tagged.cacheInfo()).isEqualTo(new CacheInfo(0, 2, 1, 1, 0, 0));
  }

  /** Counts its deserializations: reading cache data must never make one. */
  static final class Gadget implements Serializable {
    private static final long serialVersionUID = 1L;
    static final AtomicInteger DESERIALIZED = new AtomicInteger();
    String command = "touch /tmp/pwned";

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
      DESERIALIZED.incrementAndGet();
      in.defaultReadObject();
    }
  }

  @Test
  void nothingUnderTheCachesKeysReachesACaller() throws Exception {
    RedisBackend backend = connectedBackend();
    AtomicInteger computed = new AtomicInteger();
    CachedFunction1<Integer, Book> writer = books(cacheOn("bd", backend), computed);
    int n = 7;
    Map<Integer, String> keyOf = new LinkedHashMap<>();
    for (int id = 1; id <= n; id++) {
      int call = id;
      keyOf.put(id, newKeyAfter(() -> writer.apply(call)));
    }
    byte[] good = redis.raw().sync().get(keyOf.get(2));
    assertThat(good).hasSizeGreaterThan(20);

    // 1 garbage, 2 a truncated frame, 3 a value of another declared type, 4 another format version,
    // 5 a Java-serialized object, 6 not a string at all (a Redis list), 7 empty
    redis.raw().sync().set(keyOf.get(1), "garbage".getBytes(StandardCharsets.UTF_8));
    redis.raw().sync().set(keyOf.get(2), Arrays.copyOf(good, good.length / 2));
    redis.raw().sync().del(keyOf.get(3));
    cacheOn("bd", backend).function("book", String.class).l1MaxSize(0)
        .of((Integer id) -> "a title, not a book").apply(3);
    Eventually.waitFor("the String entry was written", Duration.ofSeconds(10),
        () -> redis.raw().sync().exists(keyOf.get(3)) == 1);
    byte[] otherVersion = redis.raw().sync().get(keyOf.get(4)).clone();
    otherVersion[1] = (byte) (otherVersion[1] + 1);
    redis.raw().sync().set(keyOf.get(4), otherVersion);
    ByteArrayOutputStream serialized = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(serialized)) {
      out.writeObject(new Gadget());
    }
    redis.raw().sync().set(keyOf.get(5), serialized.toByteArray());
    redis.raw().sync().del(keyOf.get(6));
    redis.raw().sync().rpush(keyOf.get(6), "not".getBytes(StandardCharsets.UTF_8),
        "a string".getBytes(StandardCharsets.UTF_8));
    redis.raw().sync().set(keyOf.get(7), new byte[0]);
    Map<Integer, byte[]> bad = new LinkedHashMap<>();
    for (int id = 1; id <= n; id++) {
      if (id != 6) {
        bad.put(id, redis.raw().sync().get(keyOf.get(id)));
      }
    }

    computed.set(0);
    CachedFunction1<Integer, Book> reader = books(cacheOn("bd", backend), computed);
    for (int id = 1; id <= n; id++) {
      assertThat(reader.apply(id)).as("call %d", id).isEqualTo(book(id));
    }

    assertThat(computed).hasValue(n);
    assertThat(reader.l2ErrorCount()).isEqualTo(n);
    assertThat(reader.cacheInfo()).isEqualTo(new CacheInfo(0, n, 0, n, 128, n));
    assertThat(Gadget.DESERIALIZED).hasValue(0);

    // the computed values replaced the bad ones: a third process gets L2 hits
    for (int id = 1; id <= n; id++) {
      int k = id;
      Eventually.waitFor("entry " + id + " rewritten", Duration.ofSeconds(10), () -> {
        if (!"string".equals(redis.raw().sync().type(keyOf.get(k)))) {
          return false;
        }
        byte[] now = redis.raw().sync().get(keyOf.get(k));
        return now != null && (bad.get(k) == null || !Arrays.equals(now, bad.get(k)));
      });
    }
    computed.set(0);
    CachedFunction1<Integer, Book> third = books(cacheOn("bd", backend), computed);
    for (int id = 1; id <= n; id++) {
      assertThat(third.apply(id)).isEqualTo(book(id));
    }
    assertThat(third.cacheInfo()).isEqualTo(new CacheInfo(0, n, n, 0, 128, n));
    assertThat(computed).hasValue(0);
    assertThat(third.l2ErrorCount()).isZero();
  }

  private static CachedFunction1<Integer, Book> books(TierCache cache, AtomicInteger computed) {
    return cache.function("book", Book.class).of((Integer id) -> {
      computed.incrementAndGet();
      return book(id);
    });
  }

  private static Book book(int id) {
    return new Book("Book " + id, 100 + id);
  }

  /** The key that appears in Redis after {@code call}. */
  private static String newKeyAfter(Runnable call) {
    Set<String> before = new HashSet<>(redis.raw().sync().keys("*"));
    call.run();
    Eventually.waitFor("a new key", Duration.ofSeconds(10),
        () -> redis.raw().sync().dbsize() == before.size() + 1);
    Set<String> after = new HashSet<>(redis.raw().sync().keys("*"));
    after.removeAll(before);
    assertThat(after).hasSize(1);
    return after.iterator().next();
  }

  private static long clientsNamedTiercache() {
    return redis.raw().sync().clientList().lines()
        .filter(line -> line.contains(" name=tiercache ")).count();
  }
}
