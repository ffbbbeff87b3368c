package io.tiercache.bench;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tiercache.CachedFunction1;
import io.tiercache.TierCache;
import io.tiercache.TimeSource;
import io.tiercache.bench.peer.JetCachePeer;
import io.tiercache.bench.peer.SpringPeer;

/**
 * The caches the scenario benchmarks (miss, eviction, clear, invalidation, cacheInfo) compare, all
 * of {@link Work#compute} and all bounded to {@value #MAX_SIZE} entries: a tiercache function
 * (L1 only), a Caffeine cache, a JetCache {@code linkedhashmap} cache, and Spring's
 * {@code @Cacheable} on its Caffeine manager. Close it to close Spring.
 *
 * @param tiercache the tiercache function
 * @param caffeine the Caffeine cache, read with {@code get(key, Work::compute)}
 * @param jetcache the JetCache local cache, read with {@code computeIfAbsent}
 * @param spring Spring's context and proxied service
 */
public record ScenarioCaches(
    CachedFunction1<Long, Long> tiercache,
    Cache<Long, Long> caffeine,
    com.alicp.jetcache.Cache<Long, Long> jetcache,
    SpringPeer spring) implements AutoCloseable {

  /** The bound of every cache. */
  public static final int MAX_SIZE = 1024;

  /** New, empty caches on the system clock. */
  public static ScenarioCaches create() {
    return create(TimeSource.system(), Caffeine.newBuilder());
  }

  /** New, empty caches; tiercache reads {@code time}, Caffeine is built from {@code caffeine}. */
  public static ScenarioCaches create(TimeSource time, Caffeine<Object, Object> caffeine) {
    CachedFunction1<Long, Long> tiercache = TierCache.builder().timeSource(time).build()
        .function("compute", Long.class).l1MaxSize(MAX_SIZE).of(Work::compute);
    return new ScenarioCaches(tiercache, caffeine.maximumSize(MAX_SIZE).recordStats().build(),
        JetCachePeer.linkedHashMap(MAX_SIZE), SpringPeer.start());
  }

  /** Boxed keys {@code from, from + 1, ...}, made once so that boxing is not measured. */
  public static Long[] keys(long from, int count) {
    Long[] keys = new Long[count];
    for (int i = 0; i < count; i++) {
      keys[i] = Long.valueOf(from + i);
    }
    return keys;
  }

  @Override
  public void close() {
    spring.close();
  }
}
