package io.tiercache.bench;

import com.spotify.folsom.MemcacheClient;
import com.spotify.folsom.MemcacheClientBuilder;
import com.spotify.folsom.reconnect.AbstractReconnectionListener;
import io.tiercache.CacheInfo;
import io.tiercache.CachedFunction1;
import io.tiercache.TierCache;
import io.tiercache.memcached.MemcachedBackend;
import io.tiercache.testkit.MemcachedLauncher;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
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
 * An L2 hit of a cached function on memcached, next to the raw client's get of the same bytes,
 * in the same run. The trial starts its own memcached (the OS package's binary, on a free
 * loopback port) and stops it at the end.
 *
 * <ul>
 *   <li>{@code rawClientGet}: folsom's {@code get} of the stored bytes, configured as
 *       {@link MemcachedBackend} configures it (replies completed on the I/O thread, no retry):
 *       the floor, one loopback round trip.
 *   <li>{@code backendGet}: {@link MemcachedBackend#get} of the same key: the round trip plus the
 *       backend's key check and timeout; {@code backendGetTimedWait} waits for it with a timeout,
 *       as the engine does.
 *   <li>{@code tiercacheL2Hit}: a call of a cached function with L1 off ({@code l1MaxSize(0)}), so
 *       every call is an L2 hit: the round trip, the frame check and decoding the value (a JSON
 *       string of {@code payloadChars} characters).
 * </ul>
 *
 * <p>{@value #KEYS} keys are cycled through. The trial fails if any tiercache call was not an L2
 * hit or met an L2 error, or any raw get missed.
 *
 * <pre>
 * java -jar tiercache-bench/target/benchmarks.jar MemcachedL2HitBenchmark \
 *     -f 1 -wi 3 -w 1s -i 5 -r 1s
 * </pre>
 */
@Scenario("L2 hits on a local memcached (started and stopped by the benchmark): tiercache with L1"
    + " off against folsom's raw `get`. Floor: the raw `get`.")
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MemcachedL2HitBenchmark {
  static final int KEYS = 256;

  /** The length of each cached string. */
  @Param({"100", "10000"})
  public int payloadChars;

  MemcachedLauncher memcached;
  MemcachedBackend backend;
  MemcacheClient<byte[]> raw;
  CachedFunction1<Long, String> l2Only;
  Long[] args;
  String[] keys;
  int next;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    memcached = new MemcachedLauncher().start();
    backend = MemcachedBackend.builder().servers(memcached.address()).build();
    raw = MemcacheClientBuilder.newByteArrayClient()
        .withAddress(memcached.host(), memcached.port())
        .withReplyExecutor(null)
        .withRetry(false)
        .withReconnectionListener(new AbstractReconnectionListener() {}) // no log lines in results
        .connectAscii();
    raw.awaitFullyConnected(10, TimeUnit.SECONDS);

    // Fill L2 through one TierCache, noting the key of each entry...
    KeyRecorder recorder = new KeyRecorder(backend);
    CachedFunction1<Long, String> filler = function(TierCache.builder().namespace("bench")
        .backend("default", recorder).build());
    args = new Long[KEYS];
    keys = new String[KEYS];
    for (int i = 0; i < KEYS; i++) {
      args[i] = (long) i;
      filler.apply(args[i]);
      keys[i] = MemcachedBackend.memcachedKey(recorder.keys.get(i));
    }
    Map<String, byte[]> stored = backend.getMany(List.of(keys)).toCompletableFuture()
        .get(10, TimeUnit.SECONDS); // same connection as the writes: answered after them
    if (stored.size() != KEYS) {
      throw new IllegalStateException("only " + stored.size() + " of " + KEYS + " entries stored");
    }
    // ...and measure another, with an empty L1, so that every call is an L2 hit.
    l2Only = function(TierCache.builder().namespace("bench").backend("default", backend)
        .l2Timeout(Duration.ofSeconds(1)).build());
  }

  private CachedFunction1<Long, String> function(TierCache cache) {
    return cache.function("payload", String.class).l1MaxSize(0)
        .of((Long n) -> n + ":" + "p".repeat(payloadChars));
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    try {
      CacheInfo info = l2Only.cacheInfo();
      if (info.l2Misses() != 0 || info.l1Hits() != 0 || l2Only.l2ErrorCount() != 0) {
        throw new IllegalStateException("not every call was an L2 hit: " + info + ", "
            + l2Only.l2ErrorCount() + " L2 errors");
      }
    } finally {
      raw.shutdown();
      backend.close();
      memcached.close();
    }
  }

  private int nextIndex() {
    int i = next;
    next = (i + 1) & (KEYS - 1);
    return i;
  }

  @Benchmark
  @Floor
  public byte[] rawClientGet() throws ExecutionException, InterruptedException {
    byte[] value = raw.get(keys[nextIndex()]).toCompletableFuture().get();
    if (value == null) {
      throw new IllegalStateException("raw get missed");
    }
    return value;
  }

  @Benchmark
  public byte[] backendGet() throws ExecutionException, InterruptedException {
    byte[] value = backend.get(keys[nextIndex()]).toCompletableFuture().get();
    if (value == null) {
      throw new IllegalStateException("backend get missed");
    }
    return value;
  }

  /** As {@link #backendGet}, waiting with a timeout as the engine does (1 s, never reached). */
  @Benchmark
  public byte[] backendGetTimedWait() throws Exception {
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
}
