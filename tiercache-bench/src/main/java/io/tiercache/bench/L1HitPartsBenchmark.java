package io.tiercache.bench;

import io.tiercache.internal.key.ArgsKey;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
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
 * Diagnosis of what a two-thread L1 hit of the read-buffer store pays, one part at a time (issue
 * 13): a self-contained copy of {@code LruStore.get} + {@code ReadBuffers.record} and its drain
 * (same node fields, same stripes, same 32-record batches, nothing evicted) over 1,000 pre-built
 * keys, with one part changed per {@code variant}:
 *
 * <ul>
 *   <li>{@code full}: as the store: compare-and-set append, a drain per 32 hits that takes its
 *       stamps from the shared clock (one add) and writes each node's {@code stamp}.
 *   <li>{@code counter}: {@code full} plus a {@link LongAdder} increment (the engine's hit count).
 *   <li>{@code noStamp}: the drain writes no node (the rest as {@code full}).
 *   <li>{@code sideStamp}: the drain writes the stamp into a shared {@code long[]} by the node's
 *       slot instead of into the node (the node's lines stay read-only).
 *   <li>{@code noClock}: the drain's stamps come from the stripe's own counter, no shared add.
 *   <li>{@code plainAppend}: an ordered plain write of the tail instead of the compare-and-set (a
 *       stripe with one writer).
 *   <li>{@code noRecord}: the lookup alone (the floor of this copy).
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class L1HitPartsBenchmark {
  static final int KEYS = 1_000;
  static final int SIZE = 32;
  static final int PAD = 16;
  static final int STRIPES = 8;
  static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Object[].class);
  static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
  static final VarHandle TAIL;
  static final VarHandle HEAD;
  static final VarHandle DRAINING;
  static final VarHandle STAMP;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      TAIL = l.findVarHandle(StripeFields.class, "tail", long.class);
      HEAD = l.findVarHandle(StripeFields.class, "head", long.class);
      DRAINING = l.findVarHandle(StripeFields.class, "draining", int.class);
      STAMP = l.findVarHandle(N.class, "stamp", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The fields of {@code LruStore.Node}, plus a slot for {@code sideStamp}. */
  static final class N {
    final Object key;
    final Object value;
    final long l2Hash;
    final boolean marked;
    long stamp;
    long priority;
    int recencyIndex = -1;
    final int slot;

    N(Object key, Object value, int slot) {
      this.key = key;
      this.value = value;
      this.l2Hash = 0;
      this.marked = false;
      this.slot = slot;
    }
  }

  abstract static class StripeHead {
    long p01, p02, p03, p04, p05, p06, p07, p08;
  }

  abstract static class StripeFields extends StripeHead {
    final Object[] slots = new Object[SIZE + 2 * PAD];
    long tail;
    long head;
    int draining;
    long local;
  }

  static final class Stripe extends StripeFields {
    long q01, q02, q03, q04, q05, q06, q07, q08;
  }

  @Param({"full", "counter", "noStamp", "sideStamp", "noClock", "plainAppend", "noRecord"})
  public String variant;

  static final int FULL = 0, COUNTER = 1, NO_STAMP = 2, SIDE_STAMP = 3, NO_CLOCK = 4, PLAIN = 5, NONE = 6;
  int kind;
  ArgsKey[] keys;
  ConcurrentHashMap<ArgsKey, N> map;
  final long[] clock = new long[16];
  final long[] stamps = new long[KEYS];
  final Stripe[] stripes = new Stripe[STRIPES];
  final LongAdder hits = new LongAdder();

  /** Which key a thread calls next; each thread starts elsewhere. */
  @State(Scope.Thread)
  public static class Cursor {
    int key;

    @Setup(Level.Trial)
    public void setUp() {
      key = (int) (Thread.currentThread().getId() * 97 % KEYS);
    }

    int next() {
      int k = key;
      key = k + 1 == KEYS ? 0 : k + 1;
      return k;
    }
  }

  @Setup(Level.Trial)
  public void setUp() {
    kind = java.util.List.of("full", "counter", "noStamp", "sideStamp", "noClock", "plainAppend",
        "noRecord").indexOf(variant);
    if (kind < 0) {
      throw new IllegalArgumentException("unknown variant " + variant);
    }
    long[] ids = UserCallShape.ids(KEYS, 42);
    keys = new ArgsKey[KEYS];
    map = new ConcurrentHashMap<>();
    for (int k = 0; k < KEYS; k++) {
      keys[k] = ArgsKey.of(ids[k], UserCallShape.category(k), false);
      map.put(keys[k], new N(keys[k], "v" + k, k));
    }
    for (int i = 0; i < STRIPES; i++) {
      stripes[i] = new Stripe();
    }
  }

  @Benchmark
  public Object hit(Cursor c) {
    N node = map.get(keys[c.next()]);
    if (kind != NONE) {
      record(node);
      if (kind == COUNTER) {
        hits.increment();
      }
    }
    return node.value;
  }

  @Benchmark
  @Threads(2)
  public Object hit_2threads(Cursor c) {
    return hit(c);
  }

  private void record(N node) {
    Stripe s = stripes[(int) ((Thread.currentThread().getId() * 0x9E3779B97F4A7C15L) >>> 32 >>> 29)];
    if (kind == PLAIN) {
      long tail = s.tail;
      if (tail - (long) HEAD.getAcquire(s) >= SIZE) {
        drain(s);
      }
      SLOTS.setRelease(s.slots, PAD + (int) (tail & (SIZE - 1)), node);
      TAIL.setRelease(s, tail + 1);
      return;
    }
    while (true) {
      long tail = (long) TAIL.getVolatile(s);
      if (tail - (long) HEAD.getAcquire(s) >= SIZE) {
        drain(s);
      } else if (TAIL.compareAndSet(s, tail, tail + 1)) {
        SLOTS.setRelease(s.slots, PAD + (int) (tail & (SIZE - 1)), node);
        return;
      }
    }
  }

  private void drain(Stripe s) {
    long tail = (long) TAIL.getVolatile(s);
    while ((long) HEAD.getAcquire(s) - tail < 0) {
      if (!DRAINING.compareAndSet(s, 0, 1)) {
        Thread.onSpinWait();
        continue;
      }
      try {
        long head = s.head;
        int count = (int) (tail - head);
        if (count > 0) {
          long stamp;
          if (kind == NO_CLOCK) {
            stamp = s.local;
            s.local += count;
          } else {
            stamp = (long) LONGS.getAndAdd(clock, 8, (long) count);
          }
          for (long i = head; i < tail; i++) {
            int slot = PAD + (int) (i & (SIZE - 1));
            N node;
            while ((node = (N) SLOTS.getAcquire(s.slots, slot)) == null) {
              Thread.onSpinWait();
            }
            ++stamp;
            if (kind == SIDE_STAMP) {
              LONGS.setOpaque(stamps, node.slot, stamp);
            } else if (kind != NO_STAMP) {
              STAMP.setOpaque(node, stamp);
            }
            s.slots[slot] = null;
          }
          HEAD.setRelease(s, tail);
        }
      } finally {
        DRAINING.setRelease(s, 0);
      }
    }
  }
}
