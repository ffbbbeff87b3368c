package io.tiercache.internal.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.ManualTimeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Hits recorded in read buffers by threads racing puts and removals: what must hold once the
 * threads have stopped, whatever order the buffers were applied in.
 */
class LruStoreConcurrencyTest {
  private static final int THREADS = 4;
  private static final int MAX = 64;

  private final ManualTimeSource time = new ManualTimeSource();

  /**
   * Counts, over rounds of racing calls, every violation of: the bound holds after quiescence; every
   * held entry is in the eviction order (none is lost to it, so none could outlive the bound); a
   * removal wins over the hits still buffered for the removed entry (it stays removed, and its late
   * records disturb no later eviction); afterwards plain stores evict in exact order again.
   */
  @Test
  void racingHitsPutsAndRemovalsKeepTheBoundTheEvictionOrderAndTheRemovals() throws Exception {
    LruStore<Integer, Integer> store = new LruStore<>(MAX, time);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    int violations = 0;
    int removedChecked = 0;
    try {
      for (int round = 0; round < 20; round++) {
        int seed = round;
        // 1. gets (a miss stores), stores and removals over 4 x MAX keys, on every thread at once
        runOnAll(pool, t -> {
          Random random = new Random(seed * 31L + t);
          for (int i = 0; i < 5_000; i++) {
            int key = random.nextInt(4 * MAX);
            int op = random.nextInt(10);
            if (op < 7) {
              if (store.get(key) == null) {
                store.put(key, key, LruStore.NEVER);
              }
            } else if (op < 9) {
              store.put(key, key, LruStore.NEVER);
            } else {
              store.remove(key);
            }
          }
        });
        if (store.size() > MAX) {
          violations++;
        }
        if (store.recencyEntries() != store.heldEntries()) {
          violations++;
        }
        // 2. every thread hits the held keys while this one removes them all
        List<Integer> held = new ArrayList<>();
        for (int key = 0; key < 4 * MAX; key++) {
          if (store.peek(key) != null) {
            held.add(key);
          }
        }
        Future<?>[] hitters = new Future<?>[THREADS];
        CyclicBarrier start = new CyclicBarrier(THREADS + 1);
        for (int t = 0; t < THREADS; t++) {
          hitters[t] = pool.submit((Callable<Void>) () -> {
            start.await(10, TimeUnit.SECONDS);
            for (int pass = 0; pass < 20; pass++) {
              for (int key : held) {
                store.get(key);
              }
            }
            return null;
          });
        }
        start.await(10, TimeUnit.SECONDS);
        for (int key : held) {
          store.remove(key);
        }
        for (Future<?> hitter : hitters) {
          hitter.get(10, TimeUnit.SECONDS);
        }
        for (int key : held) {
          removedChecked++;
          if (store.peek(key) != null) {
            violations++;
          }
        }
        if (store.size() != 0 || store.recencyEntries() != 0) {
          violations++;
        }
        // 3. stores alone, on this thread: exact order, whatever the buffers still held
        int base = 1_000_000 + round * 10 * MAX;
        for (int i = 0; i < 2 * MAX; i++) {
          store.put(base + i, i, LruStore.NEVER);
        }
        for (int i = 0; i < 2 * MAX; i++) {
          if ((store.peek(base + i) != null) != (i >= MAX)) {
            violations++;
          }
        }
        if (store.size() != MAX || store.recencyEntries() != MAX) {
          violations++;
        }
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(removedChecked).isGreaterThan(20 * MAX / 2);
    assertThat(violations).isZero();
  }

  /**
   * The order contract across threads: each thread's hits keep their order however other threads
   * hit at the same time, in a store whose threads record in stripes of their own and in one whose
   * threads all share one stripe (so every append races). Every thread hits only its own keys,
   * more often than a buffer holds; once they stop, stores of new keys evict the old ones one by
   * one, and each eviction must take the least recently used of its thread's keys (a reference LRU
   * per thread). Any record lost, or applied out of its thread's order, is a counted violation.
   */
  @Test
  void eachThreadsHitsKeepTheirOrderWhileOtherThreadsHitAtOnce() throws Exception {
    int perThread = MAX / THREADS;
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    int violations = 0;
    int evictions = 0;
    try {
      for (int stripes : new int[] {1, 64}) {
        for (int round = 0; round < 20; round++) {
          LruStore<Integer, Integer> store = new LruStore<>(MAX, time, stripes);
          List<Integer> keys = new ArrayList<>();
          for (int key = 0; key < MAX; key++) {
            keys.add(key);
          }
          Collections.shuffle(keys, new Random(round));
          List<Map<Integer, Integer>> orders = new ArrayList<>();
          for (int t = 0; t < THREADS; t++) {
            orders.add(new LinkedHashMap<>(16, 0.75f, true));
          }
          for (int key : keys) { // thread t owns keys t, t + THREADS, ...
            store.put(key, key, LruStore.NEVER);
            orders.get(key % THREADS).put(key, key);
          }
          int seed = round;
          AtomicLong hitsMade = new AtomicLong();
          runOnAll(pool, t -> {
            Random mine = new Random(seed * 31L + t);
            Map<Integer, Integer> order = orders.get(t);
            int hits = 2_000 + mine.nextInt(ReadBuffers.SIZE);
            for (int i = 0; i < hits; i++) {
              int key = t + THREADS * mine.nextInt(mine.nextBoolean() ? 3 : perThread);
              if (store.get(key) == null) {
                throw new AssertionError("key " + key + " lost while only hits ran");
              }
              order.get(key);
            }
            hitsMade.addAndGet(hits);
          });
          for (int i = 0; i < MAX; i++) {
            store.put(MAX + i, i, LruStore.NEVER);
            if (i == 0 && store.stampsGiven() != MAX + hitsMade.get() + 1) {
              violations++; // a hit's record was lost: every store and every hit takes one stamp
            }
            List<Integer> gone = new ArrayList<>();
            for (Map<Integer, Integer> order : orders) {
              for (int key : order.keySet()) {
                if (store.peek(key) == null) {
                  gone.add(key);
                }
              }
            }
            evictions++;
            if (gone.size() != 1) {
              violations++;
              continue;
            }
            Map<Integer, Integer> order = orders.get(gone.get(0) % THREADS);
            if (!order.keySet().iterator().next().equals(gone.get(0))) {
              violations++;
            }
            order.remove(gone.get(0));
          }
          if (store.size() != MAX || store.recencyEntries() != MAX) {
            violations++;
          }
        }
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(evictions).isEqualTo(2 * 20 * MAX);
    assertThat(violations).isZero();
  }

  /** Runs {@code body(thread number)} on every pool thread at once; waits at most 10 s. */
  private static void runOnAll(ExecutorService pool, ThreadBody body) throws Exception {
    CyclicBarrier start = new CyclicBarrier(THREADS);
    List<Future<?>> running = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      running.add(pool.submit((Callable<Void>) () -> {
        start.await(10, TimeUnit.SECONDS);
        body.run(thread);
        return null;
      }));
    }
    for (Future<?> future : running) {
      future.get(10, TimeUnit.SECONDS);
    }
  }

  private interface ThreadBody {
    void run(int thread) throws Exception;
  }
}
