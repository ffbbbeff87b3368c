package io.tiercache.bench;

import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.tiercache.CacheInfo;
import io.tiercache.CachedFunction1;
import io.tiercache.TierCache;
import io.tiercache.bench.peer.JetCachePeer;
import io.tiercache.redis.RedisBackend;
import io.tiercache.testkit.RedisServerLauncher;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * An L2 hit of a cached function on Redis, next to a raw Lettuce read of the same bytes, in the
 * same run. The trial starts its own redis-server (the OS package's binary, on a free loopback
 * port) and stops it at the end.
 *
 * <ul>
 *   <li>{@code rawLettuceGet}: Lettuce's synchronous {@code GET} of the stored bytes on a plain
 *       connection: the floor, one loopback round trip.
 *   <li>{@code rawLettuceAsyncGetTimed}: the same {@code GET} through Lettuce's asynchronous API,
 *       waited for as the engine waits for L2 ({@code CompletableFuture.get} with a timeout).
 *   <li>{@code backendGet}: {@link RedisBackend#get} of the same key, waited for the same way: the
 *       round trip plus the backend's breaker check and outcome callback and Lettuce's command
 *       timeout.
 *   <li>{@code tiercacheL2Hit}: a call of a cached function with L1 off ({@code l1MaxSize(0)}), so
 *       every call is an L2 hit: one {@code GET}, the frame check and decoding the value (a JSON
 *       string of {@code payloadChars} characters).
 *   <li>{@code rawLettuceMget3} and {@code tiercacheL2HitTwoTags}: the same with two tags, which
 *       tiercache reads with the entry in one {@code MGET} of three keys; the floor is the raw
 *       {@code MGET} of the same three keys.
 *   <li>{@code jetcacheRemoteGet}: JetCache's remote Lettuce cache ({@link JetCachePeer#redis}),
 *       {@code get} of an entry of the same string: its peer is {@code tiercacheL2Hit}.
 *   <li>{@code tiercacheL2HitFillingL1} and {@code jetcacheBothRemoteHit}: a two-layer read that
 *       misses a one-entry local layer (the keys cycle), hits Redis and fills the local layer:
 *       tiercache with {@code l1MaxSize(1)}, JetCache in BOTH mode with a one-entry
 *       {@code linkedhashmap} in front of the same remote cache.
 * </ul>
 *
 * <p>{@value #KEYS} keys are cycled through. The trial fails if any tiercache call was not an L2
 * hit or met an L2 error, or any raw read missed.
 *
 * <pre>
 * java -jar tiercache-bench/target/benchmarks.jar RedisL2HitBenchmark -f 1 -wi 3 -w 1s -i 5 -r 1s
 * </pre>
 */
@Scenario("L2 hits on a local redis-server (started and stopped by the benchmark): tiercache with"
    + " L1 off (0 and 2 tags) against raw Lettuce `GET` / `MGET` of the same bytes, and "
    + "JetCache's remote and BOTH-mode reads. Floor: raw `GET` (`MGET` of 3 keys for the "
    + "2-tag read).")
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RedisL2HitBenchmark {
  static final int KEYS = 256;

  /** The length of each cached string. */
  @Param({"100", "10000"})
  public int payloadChars;

  RedisServerLauncher redis;
  RedisBackend backend;
  RedisClient rawClient;
  StatefulRedisConnection<String, byte[]> rawConnection;
  RedisCommands<String, byte[]> raw;
  RedisAsyncCommands<String, byte[]> rawAsync;
  CachedFunction1<Long, String> l2Only;
  CachedFunction1<Long, String> l2OnlyTagged;
  CachedFunction1<Long, String> l2FillingL1;
  RedisClient jetcacheClient;
  com.alicp.jetcache.Cache<Long, String> jetcacheRemote;
  com.alicp.jetcache.Cache<Long, String> jetcacheBoth;
  Long[] args;
  String[] keys;
  String[][] taggedKeys;
  int next;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    redis = new RedisServerLauncher().start();
    backend = RedisBackend.connect(redis.uri());
    if (!backend.awaitUp(Duration.ofSeconds(10))) {
      throw new IllegalStateException("backend not up: " + backend.health());
    }
    rawClient = RedisClient.create(RedisURI.create(redis.uri()));
    rawConnection = rawClient.connect(RedisBackend.CODEC);
    raw = rawConnection.sync();
    rawAsync = rawConnection.async();

    // Fill L2 through one TierCache, noting the keys it writes...
    KeyRecorder recorder = new KeyRecorder(backend);
    TierCache filling = TierCache.builder().namespace("bench").backend("default", recorder).build();
    CachedFunction1<Long, String> plain = function(filling);
    CachedFunction1<Long, String> tagged = taggedFunction(filling);
    args = new Long[KEYS];
    keys = new String[KEYS];
    taggedKeys = new String[KEYS][];
    List<String> tagKeys = null;
    for (int i = 0; i < KEYS; i++) {
      args[i] = (long) i;
      plain.apply(args[i]);
      keys[i] = recorder.last();
      int before = recorder.keys.size();
      tagged.apply(args[i]);
      if (tagKeys == null) { // the first tagged call creates the two tag versions, then the entry
        tagKeys = List.copyOf(recorder.keys.subList(before, recorder.keys.size() - 1));
        if (tagKeys.size() != 2) {
          throw new IllegalStateException("expected two tag version keys, got " + tagKeys);
        }
      }
      taggedKeys[i] = new String[] {recorder.last(), tagKeys.get(0), tagKeys.get(1)};
    }
    // the writes are pipelined on the backend's connection: this read is answered after them
    Map<String, byte[]> stored = backend.getMany(List.of(keys)).toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    if (stored.size() != KEYS || raw.dbsize() != 2 * KEYS + 2) {
      throw new IllegalStateException("only " + stored.size() + " of " + KEYS + " entries stored");
    }
    // ...and measure others, with an empty L1, so that every call is an L2 hit.
    TierCache measured = TierCache.builder().namespace("bench").backend("default", backend)
        .l2Timeout(Duration.ofSeconds(1)).build();
    l2Only = function(measured);
    l2OnlyTagged = taggedFunction(measured);
    l2FillingL1 = TierCache.builder().namespace("bench").backend("default", backend)
        .l2Timeout(Duration.ofSeconds(1)).build()
        .function("payload", String.class).l1MaxSize(1)
        .of((Long n) -> n + ":" + "p".repeat(payloadChars));

    jetcacheClient = RedisClient.create(RedisURI.create(redis.uri()));
    jetcacheRemote = JetCachePeer.redis(jetcacheClient, "jetcache:");
    for (Long arg : args) {
      if (!jetcacheRemote.PUT(arg, arg + ":" + "p".repeat(payloadChars)).isSuccess()) {
        throw new IllegalStateException("JetCache put failed");
      }
    }
    jetcacheBoth = JetCachePeer.both(JetCachePeer.linkedHashMap(1),
        JetCachePeer.redis(jetcacheClient, "jetcache:"));
  }

  private CachedFunction1<Long, String> function(TierCache cache) {
    return cache.function("payload", String.class).l1MaxSize(0)
        .of((Long n) -> n + ":" + "p".repeat(payloadChars));
  }

  private CachedFunction1<Long, String> taggedFunction(TierCache cache) {
    return cache.function("tagged", String.class).l1MaxSize(0).tags("catalog", "prices")
        .of((Long n) -> n + ":" + "t".repeat(payloadChars));
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    try {
      for (CachedFunction1<Long, String> f : List.of(l2Only, l2OnlyTagged, l2FillingL1)) {
        CacheInfo info = f.cacheInfo();
        if (info.l2Misses() != 0 || info.l1Hits() != 0 || f.l2ErrorCount() != 0) {
          throw new IllegalStateException(f.name() + ": not every call was an L2 hit: " + info
              + ", " + f.l2ErrorCount() + " L2 errors");
        }
      }
    } finally {
      jetcacheClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      rawConnection.close();
      rawClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      backend.close();
      redis.close();
    }
  }

  private int nextIndex() {
    int i = next;
    next = (i + 1) & (KEYS - 1);
    return i;
  }

  @Benchmark
  @Floor
  public byte[] rawLettuceGet() {
    byte[] value = raw.get(keys[nextIndex()]);
    if (value == null) {
      throw new IllegalStateException("raw get missed");
    }
    return value;
  }

  @Benchmark
  public byte[] rawLettuceAsyncGetTimed() throws Exception {
    byte[] value = rawAsync.get(keys[nextIndex()]).toCompletableFuture().get(1, TimeUnit.SECONDS);
    if (value == null) {
      throw new IllegalStateException("raw get missed");
    }
    return value;
  }

  @Benchmark
  public byte[] backendGet() throws Exception {
    byte[] value = backend.get(keys[nextIndex()]).toCompletableFuture().get(1, TimeUnit.SECONDS);
    if (value == null) {
      throw new IllegalStateException("backend get missed");
    }
    return value;
  }

  @Benchmark
  public String tiercacheL2Hit() {
    return l2Only.apply(args[nextIndex()]);
  }

  @Benchmark
  public List<KeyValue<String, byte[]>> rawLettuceMget3() {
    List<KeyValue<String, byte[]>> values = raw.mget(taggedKeys[nextIndex()]);
    if (!values.get(0).hasValue()) {
      throw new IllegalStateException("raw mget missed");
    }
    return values;
  }

  @Benchmark
  @Floor("rawLettuceMget3")
  public String tiercacheL2HitTwoTags() {
    return l2OnlyTagged.apply(args[nextIndex()]);
  }

  @Benchmark
  public String tiercacheL2HitFillingL1() {
    return l2FillingL1.apply(args[nextIndex()]);
  }

  @Benchmark
  public String jetcacheRemoteGet() {
    String value = jetcacheRemote.get(args[nextIndex()]);
    if (value == null) {
      throw new IllegalStateException("JetCache remote get missed");
    }
    return value;
  }

  @Benchmark
  public String jetcacheBothRemoteHit() {
    String value = jetcacheBoth.get(args[nextIndex()]);
    if (value == null) {
      throw new IllegalStateException("JetCache BOTH get missed");
    }
    return value;
  }
}
