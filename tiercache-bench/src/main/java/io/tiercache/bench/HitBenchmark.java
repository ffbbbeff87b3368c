package io.tiercache.bench;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tiercache.CacheInfo;
import io.tiercache.CachedFunction2;
import io.tiercache.TierCache;
import io.tiercache.annotation.Cached;
import io.tiercache.bench.ArgumentPairs.Cursor;
import io.tiercache.bench.ArgumentPairs.RecordKey;
import io.tiercache.bench.peer.JetCachePeer;
import io.tiercache.bench.peer.SpringPeer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The hit path, every peer in one run: a cache hit of a two-argument function, from the floor (a
 * {@link ConcurrentHashMap} keyed by a record) through Caffeine, tiercache (function and
 * {@code @Cached} proxy), Spring's {@code @Cacheable} (ConcurrentMap and Caffeine managers, default
 * and SpEL keys) and JetCache's local caches.
 *
 * <p>{@value #KEYS} argument pairs are cycled through; every store is filled with them before
 * measuring and every call hits ({@link #checkAllHit()} fails the trial if a tiercache call
 * missed). Calls pass other, equal instances than the stores were filled with. Bounded stores hold
 * {@value #MAX_SIZE} entries, so nothing is evicted. {@link ConcurrentHitBenchmark} runs the same
 * on two threads.
 *
 * <pre>
 * java -jar tiercache-bench/target/benchmarks.jar 'HitBenchmark' -f 1 -wi 3 -i 5 -prof gc
 * </pre>
 */
@Scenario("The hit path: a hit of a two-argument function, 256 argument pairs cycled, every peer "
    + "in one run (async-lru's *cache hit*). Floor: `ConcurrentHashMap.get` with a record "
    + "key.")
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HitBenchmark {
  static final int KEYS = 256;
  static final int MAX_SIZE = 1024;

  /** The service, declared for tiercache: default key and a key template. */
  public interface Calculator {
    /** Keyed by its arguments. */
    @Cached(l1MaxSize = MAX_SIZE)
    Long add(Long a, Long b);

    /** Keyed by a template. */
    @Cached(key = "add:{a}:{b}", l1MaxSize = MAX_SIZE)
    Long addTemplated(Long a, Long b);
  }

  /** The tiercache service: the shared work. */
  static final class Calculation implements Calculator {
    @Override
    public Long add(Long a, Long b) {
      return Work.add(a, b);
    }

    @Override
    public Long addTemplated(Long a, Long b) {
      return Work.add(a, b);
    }
  }

  ArgumentPairs pairs;
  Long[] as;
  Long[] bs;
  ConcurrentHashMap<RecordKey, Long> concurrentHashMap;
  Cache<RecordKey, Long> caffeine;
  Function<RecordKey, Long> loader;
  CachedFunction2<Long, Long, Long> tiercache;
  Calculator tiercacheProxy;
  SpringPeer spring;
  SpringPeer.Service springService;
  com.alicp.jetcache.Cache<RecordKey, Long> jetcacheLinkedHashMap;
  com.alicp.jetcache.Cache<RecordKey, Long> jetcacheCaffeine;

  @Setup(Level.Trial)
  public void setUp() {
    pairs = ArgumentPairs.random(KEYS, 42);
    as = pairs.callA();
    bs = pairs.callB();
    concurrentHashMap = new ConcurrentHashMap<>();
    caffeine = Caffeine.newBuilder().maximumSize(MAX_SIZE).build();
    loader = k -> Work.add(k.a(), k.b());
    TierCache cache = TierCache.builder().build();
    tiercache = cache.function("add", Long.class).l1MaxSize(MAX_SIZE).of(Work::add);
    tiercacheProxy = cache.proxy(Calculator.class, new Calculation());
    spring = SpringPeer.start();
    springService = spring.service();
    jetcacheLinkedHashMap = JetCachePeer.linkedHashMap(MAX_SIZE);
    jetcacheCaffeine = JetCachePeer.caffeine(MAX_SIZE);
    for (int i = 0; i < KEYS; i++) {
      Long a = pairs.fillA()[i];
      Long b = pairs.fillB()[i];
      Long sum = Work.add(a, b);
      concurrentHashMap.put(new RecordKey(a, b), sum);
      caffeine.put(new RecordKey(a, b), sum);
      tiercache.apply(a, b);
      tiercacheProxy.add(a, b);
      tiercacheProxy.addTemplated(a, b);
      springService.addMapDefaultKey(a, b);
      springService.addMapSpelKey(a, b);
      springService.addCaffeineDefaultKey(a, b);
      springService.addCaffeineSpelKey(a, b);
      jetcacheLinkedHashMap.put(new RecordKey(a, b), sum);
      jetcacheCaffeine.put(new RecordKey(a, b), sum);
    }
    caffeine.cleanUp();
    CacheInfo info = tiercache.cacheInfo();
    Long jetcacheFilled = jetcacheLinkedHashMap.get(new RecordKey(as[0], bs[0]));
    if (info.l1CurrSize() != KEYS || jetcacheFilled == null) {
      throw new IllegalStateException("fill failed: " + info);
    }
  }

  /** Fails the trial if a measured tiercache call was not an L1 hit; closes Spring. */
  @TearDown(Level.Trial)
  public void checkAllHit() {
    spring.close();
    CacheInfo info = tiercache.cacheInfo();
    if (info.l1Misses() != KEYS) {
      throw new IllegalStateException("tiercache missed while measured: " + info);
    }
  }

  @Benchmark
  @Floor
  public Long floorConcurrentHashMap(Cursor c) {
    int i = c.next(KEYS - 1);
    return concurrentHashMap.get(new RecordKey(as[i], bs[i]));
  }

  @Benchmark
  public Long caffeineGetIfPresent(Cursor c) {
    int i = c.next(KEYS - 1);
    return caffeine.getIfPresent(new RecordKey(as[i], bs[i]));
  }

  @Benchmark
  public Long caffeineGetWithLoader(Cursor c) {
    int i = c.next(KEYS - 1);
    return caffeine.get(new RecordKey(as[i], bs[i]), loader);
  }

  @Benchmark
  public Long tiercache(Cursor c) {
    int i = c.next(KEYS - 1);
    return tiercache.apply(as[i], bs[i]);
  }

  @Benchmark
  public Long tiercacheProxy(Cursor c) {
    int i = c.next(KEYS - 1);
    return tiercacheProxy.add(as[i], bs[i]);
  }

  @Benchmark
  public Long tiercacheProxyKeyTemplate(Cursor c) {
    int i = c.next(KEYS - 1);
    return tiercacheProxy.addTemplated(as[i], bs[i]);
  }

  @Benchmark
  public Long springConcurrentMapDefaultKey(Cursor c) {
    int i = c.next(KEYS - 1);
    return springService.addMapDefaultKey(as[i], bs[i]);
  }

  @Benchmark
  public Long springConcurrentMapSpelKey(Cursor c) {
    int i = c.next(KEYS - 1);
    return springService.addMapSpelKey(as[i], bs[i]);
  }

  @Benchmark
  public Long springCaffeineDefaultKey(Cursor c) {
    int i = c.next(KEYS - 1);
    return springService.addCaffeineDefaultKey(as[i], bs[i]);
  }

  @Benchmark
  public Long springCaffeineSpelKey(Cursor c) {
    int i = c.next(KEYS - 1);
    return springService.addCaffeineSpelKey(as[i], bs[i]);
  }

  @Benchmark
  public Long jetcacheLinkedHashMapGet(Cursor c) {
    int i = c.next(KEYS - 1);
    return jetcacheLinkedHashMap.get(new RecordKey(as[i], bs[i]));
  }

  @Benchmark
  public Long jetcacheLinkedHashMapComputeIfAbsent(Cursor c) {
    int i = c.next(KEYS - 1);
    return jetcacheLinkedHashMap.computeIfAbsent(new RecordKey(as[i], bs[i]), loader);
  }

  @Benchmark
  public Long jetcacheCaffeineGet(Cursor c) {
    int i = c.next(KEYS - 1);
    return jetcacheCaffeine.get(new RecordKey(as[i], bs[i]));
  }
}
