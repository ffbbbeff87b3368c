package io.tiercache.bench;

import io.tiercache.internal.key.ArgsKey;
import io.tiercache.internal.local.LruStore;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentHashMap;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Diagnosis of the two-thread L1 hit: the recency bookkeeping of a hit written several ways on
 * the same map, key and node shape as {@code LruStore}, each a self-contained copy of the hit
 * path only (no eviction). Which shared cache line costs what:
 *
 * <ul>
 *   <li>{@code none}: map get and deadline check, no recency (the floor).
 *   <li>{@code current}: the shared clock and the node's stamp (the store before this change).
 *   <li>{@code clockOnly}: only the shared clock and the most recent node beside it (diagnostic).
 *   <li>{@code nodeOnly}: only the node's stamp, from a per-thread counter (diagnostic).
 *   <li>{@code paddedStamp}: the clock, and the stamp in an object of its own padded to 128
 *       bytes, so the node's key, value and deadline stay read-only.
 *   <li>{@code stripedLog}: the clock (and most recent node's slot beside it) plus a record
 *       (slot, stamp) in a buffer picked by thread id; nodes are never written on a hit.
 *   <li>{@code stripedLogRefs}: the same recording a node reference (a G1 write barrier).
 *   <li>{@code store}: the real {@link LruStore#get} (hits recorded in its per-thread read
 *       buffers, issue 13), on a store filled with the same keys: compare with {@code current},
 *       the hit path it replaced, in the same run.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class L1ContentionBenchmark {
  static final int MAX_KEYS = 256;
  static final long NEVER = Long.MAX_VALUE;
  static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
  static final VarHandle OBJS = MethodHandles.arrayElementVarHandle(Object[].class);
  static final VarHandle STAMP;
  static final VarHandle PSTAMP;
  static final VarHandle LAST;
  static final VarHandle CLOCK2;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      STAMP = l.findVarHandle(N.class, "stamp", long.class);
      PSTAMP = l.findVarHandle(PaddedStamp.class, "stamp", long.class);
      LAST = l.findVarHandle(ClockLine.class, "last", int.class);
      CLOCK2 = l.findVarHandle(ClockLine.class, "clock", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The same fields as LruStore.Node, plus the padded stamp of {@code paddedStamp}. */
  static final class N {
    final Object key;
    final Object value;
    final long deadline;
    long stamp;
    long priority;
    int recencyIndex = -1;
    int deadlineIndex = -1;
    final PaddedStamp padded = new PaddedStamp();
    int slot;

    N(Object key, Object value, long deadline) {
      this.key = key;
      this.value = value;
      this.deadline = deadline;
    }
  }

  static class Pad0 { long p01, p02, p03, p04, p05, p06, p07, p08; }
  static class PaddedStamp0 extends Pad0 { long stamp; }
  static final class PaddedStamp extends PaddedStamp0 { long q01, q02, q03, q04, q05, q06, q07, q08; }

  static class ClockPad0 { long p01, p02, p03, p04, p05, p06, p07, p08; }
  static class ClockLine0 extends ClockPad0 { long clock; int last = -1; }
  static final class ClockLine extends ClockLine0 { long q01, q02, q03, q04, q05, q06, q07, q08; }

  /** One buffer of (node, stamp) records; padded so buffers of different threads share no line. */
  static final class Buffer extends ClockPad0 {
    static final int SIZE = 32;
    final long[] records = new long[2 * SIZE];
    final Object[] refs = new Object[SIZE];
    int pos;
    long q01, q02, q03, q04, q05, q06, q07, q08;
  }

  @Param({"256", "1"})
  public int keys;

  Long[] as;
  Long[] bs;
  ConcurrentHashMap<ArgsKey, N> map;
  LruStore<ArgsKey, Object> store;
  final long[] clock = new long[16];
  final ClockLine line = new ClockLine();
  final Buffer[] buffers = new Buffer[16];

  /** The shared cursor, with a per-thread stamp counter. */
  @State(Scope.Thread)
  public static class Cursor extends ArgumentPairs.Cursor {
    long local;
  }

  @Setup(Level.Trial)
  public void setUp() {
    ArgumentPairs pairs = ArgumentPairs.cycled(keys, MAX_KEYS, 42);
    map = new ConcurrentHashMap<>();
    store = new LruStore<>(4 * MAX_KEYS, io.tiercache.TimeSource.system());
    for (int k = 0; k < keys; k++) {
      Long a = pairs.fillA()[k];
      Long b = pairs.fillB()[k];
      N node = new N(null, a + b, NEVER);
      node.slot = k;
      map.put(ArgsKey.of(a, b, false), node);
      store.put(ArgsKey.of(a, b, false), a + b, NEVER);
    }
    as = pairs.callA();
    bs = pairs.callB();
    for (int i = 0; i < buffers.length; i++) {
      buffers[i] = new Buffer();
    }
  }

  private N lookup(Cursor c) {
    int i = c.next(MAX_KEYS - 1);
    N node = map.get(ArgsKey.of(as[i], bs[i], false));
    if (node == null || (node.deadline != NEVER && System.nanoTime() - node.deadline >= 0)) {
      return null;
    }
    return node;
  }

  @Benchmark
  public Object none(Cursor c) {
    return lookup(c).value;
  }

  @Benchmark
  public Object current(Cursor c) {
    N node = lookup(c);
    long now = (long) LONGS.getOpaque(clock, 8);
    if ((long) STAMP.getOpaque(node) != now) {
      LONGS.setOpaque(clock, 8, ++now);
      STAMP.setOpaque(node, now);
    }
    return node.value;
  }

  @Benchmark
  public Object clockOnly(Cursor c) {
    N node = lookup(c);
    if ((int) LAST.getOpaque(line) != node.slot) {
      long now = (long) CLOCK2.getOpaque(line) + 1;
      CLOCK2.setOpaque(line, now);
      LAST.setOpaque(line, node.slot);
    }
    return node.value;
  }

  @Benchmark
  public Object nodeOnly(Cursor c) {
    N node = lookup(c);
    STAMP.setOpaque(node, ++c.local);
    return node.value;
  }

  @Benchmark
  public Object paddedStamp(Cursor c) {
    N node = lookup(c);
    long now = (long) LONGS.getOpaque(clock, 8);
    PaddedStamp s = node.padded;
    if ((long) PSTAMP.getOpaque(s) != now) {
      LONGS.setOpaque(clock, 8, ++now);
      PSTAMP.setOpaque(s, now);
    }
    return node.value;
  }

  @Benchmark
  public Object stripedLog(Cursor c) {
    N node = lookup(c);
    if ((int) LAST.getOpaque(line) != node.slot) {
      long now = (long) CLOCK2.getOpaque(line) + 1;
      CLOCK2.setOpaque(line, now);
      LAST.setOpaque(line, node.slot);
      long id = Thread.currentThread().getId();
      Buffer b = buffers[(int) ((id * 0x9E3779B97F4A7C15L) >>> 60)];
      int p = b.pos;
      LONGS.setOpaque(b.records, 2 * p, (long) node.slot);
      LONGS.setOpaque(b.records, 2 * p + 1, now);
      b.pos = (p + 1) & (Buffer.SIZE - 1);
    }
    return node.value;
  }

  /** {@code stripedLog} storing the node reference in the record: a G1 post-write barrier. */
  @Benchmark
  public Object stripedLogRefs(Cursor c) {
    N node = lookup(c);
    if ((int) LAST.getOpaque(line) != node.slot) {
      long now = (long) CLOCK2.getOpaque(line) + 1;
      CLOCK2.setOpaque(line, now);
      LAST.setOpaque(line, node.slot);
      long id = Thread.currentThread().getId();
      Buffer b = buffers[(int) ((id * 0x9E3779B97F4A7C15L) >>> 60)];
      int p = b.pos;
      OBJS.setOpaque(b.refs, p, node);
      LONGS.setOpaque(b.records, 2 * p + 1, now);
      b.pos = (p + 1) & (Buffer.SIZE - 1);
    }
    return node.value;
  }

  @Benchmark
  public Object store(Cursor c) {
    int i = c.next(MAX_KEYS - 1);
    return store.get(ArgsKey.of(as[i], bs[i], false)).value();
  }

  @Benchmark @Threads(2) public Object store_2threads(Cursor c) { return store(c); }

  @Benchmark @Threads(2) public Object stripedLogRefs_2threads(Cursor c) { return stripedLogRefs(c); }
  @Benchmark @Threads(2) public Object none_2threads(Cursor c) { return none(c); }
  @Benchmark @Threads(2) public Object current_2threads(Cursor c) { return current(c); }
  @Benchmark @Threads(2) public Object clockOnly_2threads(Cursor c) { return clockOnly(c); }
  @Benchmark @Threads(2) public Object nodeOnly_2threads(Cursor c) { return nodeOnly(c); }
  @Benchmark @Threads(2) public Object paddedStamp_2threads(Cursor c) { return paddedStamp(c); }
  @Benchmark @Threads(2) public Object stripedLog_2threads(Cursor c) { return stripedLog(c); }
}
