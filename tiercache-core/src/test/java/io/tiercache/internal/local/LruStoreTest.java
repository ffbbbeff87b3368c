package io.tiercache.internal.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.ManualTimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class LruStoreTest {
  private final ManualTimeSource time = new ManualTimeSource();

  @Test
  void sequentialUseEvictsExactlyTheLeastRecentlyUsedEntry() {
    int max = 50;
    LruStore<Integer, Integer> store = new LruStore<>(max, time);
    Map<Integer, Integer> reference = new LinkedHashMap<>(16, 0.75f, true);
    Random random = new Random(7);
    for (int i = 0; i < 100_000; i++) {
      int key = (int) Math.abs(random.nextGaussian() * 60);
      boolean storeHit = store.get(key) != null;
      boolean referenceHit = reference.get(key) != null;
      assertThat(storeHit).as("call %d, key %d", i, key).isEqualTo(referenceHit);
      if (!storeHit) {
        store.put(key, key, LruStore.NEVER);
        reference.put(key, key);
        if (reference.size() > max) {
          reference.remove(reference.keySet().iterator().next());
        }
      }
    }
    assertThat(store.size()).isEqualTo(max);
  }

  /**
   * Entries that leave by removal, replacement, expiry and clear give their stamp slot to later
   * entries without disturbing the order: the store stays a reference LRU through 100,000 mixed
   * calls, and never creates more than one slot above its bound.
   */
  @Test
  void entriesThatLeaveGiveTheirStampSlotsToNewOnesWithoutChangingTheOrder() {
    int max = 40;
    LruStore<Integer, Integer> store = new LruStore<>(max, time);
    Map<Integer, Integer> reference = new LinkedHashMap<>(16, 0.75f, true);
    Random random = new Random(11);
    int removed = 0;
    int expired = 0;
    for (int i = 0; i < 100_000; i++) {
      int key = (int) Math.abs(random.nextGaussian() * 50);
      int action = random.nextInt(100);
      if (action < 8) {
        assertThat(store.remove(key)).as("call %d, remove %d", i, key).isEqualTo(reference.remove(key) != null);
        removed++;
        continue;
      }
      if (action == 8 && i % 50 == 0) {
        store.clear();
        reference.clear();
        continue;
      }
      boolean storeHit = store.get(key) != null;
      boolean referenceHit = reference.get(key) != null;
      assertThat(storeHit).as("call %d, key %d", i, key).isEqualTo(referenceHit);
      if (!storeHit || action < 14) {
        // a replacement keeps the key's place as most recently used, as the reference's put does
        boolean shortLived = action == 9;
        store.put(key, key, shortLived ? time.nanoTime() + 1 : LruStore.NEVER);
        reference.put(key, key);
        if (reference.size() > max) {
          reference.remove(reference.keySet().iterator().next());
        }
        if (shortLived) {
          time.advance(Duration.ofNanos(1));
          store.size(); // drops it
          reference.remove(key);
          expired++;
        }
      }
    }
    assertThat(store.size()).isEqualTo(reference.size());
    assertThat(store.stampSlotsCreated()).isLessThanOrEqualTo(max + 1);
    assertThat(removed).isGreaterThan(100);
    assertThat(expired).isGreaterThan(100);
  }

  /**
   * Hits on another thread while a put holds the store's lock neither wait for it nor are lost:
   * many of them (more than any buffer of accesses a store could keep), ordered before the put by a
   * join, and the put then evicts exactly the least recently used entry.
   */
  @Test
  void hitsWhileTheLockIsTakenAreNotLost() throws Exception {
    int max = 8;
    LruStore<Integer, Integer> store = new LruStore<>(max, time);
    Map<Integer, Integer> reference = filled(store, max);
    Random random = new Random(3);
    for (int round = 0; round < 20; round++) {
      int[] hits = new int[150 + random.nextInt(100)]; // more than a buffer holds
      for (int i = 0; i < hits.length; i++) {
        hits[i] = random.nextInt(max);
      }
      int newKey = max + round;
      AtomicReference<Throwable> failure = new AtomicReference<>();
      // the hits run on another thread while this one holds the lock (inside putIf's check), and
      // are ordered before the put by the join
      store.putIf(newKey, newKey, LruStore.NEVER, () -> {
        Thread hitter = new Thread(() -> {
          try {
            for (int key : hits) {
              assertThat(store.get(key)).isNotNull();
            }
          } catch (Throwable t) {
            failure.set(t);
          }
        });
        hitter.start();
        try {
          hitter.join();
        } catch (InterruptedException e) {
          throw new AssertionError(e);
        }
        return true;
      });
      assertThat(failure.get()).isNull();
      // the reference: the same hits, then the put; keys are renamed so the store keeps 0..max-1
      for (int key : hits) {
        reference.get(key);
      }
      int evicted = reference.keySet().iterator().next();
      reference.remove(evicted);
      assertThat(store.peek(evicted)).as("round %d evicts %d", round, evicted).isNull();
      assertThat(store.size()).isEqualTo(max);
      // put the evicted key back in place of the new one, as the most recent entry
      store.remove(newKey);
      store.put(evicted, evicted, LruStore.NEVER);
      reference.put(evicted, evicted);
    }
  }

  /**
   * One thread's hits, many more between two stores than a read buffer holds: a full buffer is
   * applied, not dropped, so every store evicts exactly the least recently used entry, and the
   * store holds exactly the reference's keys after every round.
   */
  @Test
  void sequentialHitsBeyondABufferAreAllAppliedBeforeTheNextEviction() {
    int max = 16;
    LruStore<Integer, Integer> store = new LruStore<>(max, time);
    Map<Integer, Integer> reference = filled(store, max);
    Random random = new Random(5);
    for (int round = 0; round < 200; round++) {
      List<Integer> held = new ArrayList<>(reference.keySet());
      int hits = 3 * ReadBuffers.SIZE + random.nextInt(ReadBuffers.SIZE);
      for (int i = 0; i < hits; i++) {
        // mostly a few keys, so that the least recent one is a real choice
        int key = held.get(random.nextInt(random.nextBoolean() ? 4 : max));
        assertThat(store.get(key)).as("round %d, hit %d", round, i).isNotNull();
        reference.get(key);
      }
      int evicted = reference.keySet().iterator().next();
      int newKey = max + round;
      store.put(newKey, newKey, LruStore.NEVER);
      reference.remove(evicted);
      reference.put(newKey, newKey);
      assertThat(store.peek(evicted)).as("round %d evicts %d", round, evicted).isNull();
      for (int key : reference.keySet()) {
        assertThat(store.peek(key)).as("round %d keeps %d", round, key).isNotNull();
      }
      assertThat(store.size()).isEqualTo(max);
    }
  }

  @Test
  void peekDoesNotChangeTheOrderAndRemoveSaysWhetherALiveEntryWasThere() {
    LruStore<String, String> store = new LruStore<>(2, time);
    store.put("a", "A", LruStore.NEVER);
    store.put("b", "B", LruStore.NEVER);
    assertThat(store.peek("a").value()).isEqualTo("A");
    store.put("c", "C", LruStore.NEVER);
    assertThat(store.peek("a")).isNull();
    assertThat(store.remove("b")).isTrue();
    assertThat(store.remove("b")).isFalse();
    assertThat(store.size()).isEqualTo(1);
  }

  @Test
  void expiredEntriesAreInvisibleUncountedAndGoBeforeLiveOnes() {
    LruStore<String, String> store = new LruStore<>(2, time);
    store.put("short", "S", time.nanoTime() + Duration.ofSeconds(1).toNanos());
    store.put("long", "L", time.nanoTime() + Duration.ofSeconds(10).toNanos());
    assertThat(store.size()).isEqualTo(2);
    time.advance(Duration.ofSeconds(1));
    assertThat(store.get("short")).isNull();
    assertThat(store.size()).isEqualTo(1);
    store.get("long");
    store.put("other", "O", LruStore.NEVER);
    store.put("another", "A", LruStore.NEVER); // evicts "long", the least recent live entry
    assertThat(store.peek("long")).isNull();
    assertThat(store.peek("other")).isNotNull();
    assertThat(store.remove("short")).isFalse();
  }

  /** An entry without a deadline is the lean node (no deadline, no place in the expiry heap). */
  @Test
  void onlyEntriesWithADeadlineCarryOne() {
    LruStore<String, String> store = new LruStore<>(4, time);
    long deadline = time.nanoTime() + Duration.ofSeconds(5).toNanos();
    store.put("lean", "L", LruStore.NEVER);
    store.put("timed", "T", deadline);
    assertThat(store.peek("lean").getClass()).isEqualTo(LruStore.Node.class);
    assertThat(store.peek("lean").deadline()).isEqualTo(LruStore.NEVER);
    assertThat(store.peek("timed").getClass()).isEqualTo(LruStore.TimedNode.class);
    assertThat(store.peek("timed").deadline()).isEqualTo(deadline);
    assertThat(store.purgeExpired()).isEqualTo(deadline);
    time.advance(Duration.ofSeconds(5));
    assertThat(store.get("timed")).isNull();
    assertThat(store.purgeExpired()).isEqualTo(LruStore.NEVER);
    assertThat(store.get("lean").value()).isEqualTo("L");
    assertThat(store.heldEntries()).isEqualTo(1);
  }

  @Test
  void replacingAnEntryKeepsOneNodeAndUnboundedStoresNeverEvict() {
    LruStore<String, Integer> store = new LruStore<>(LruStore.UNBOUNDED, time);
    for (int i = 0; i < 10_000; i++) {
      store.put("k" + i, i, LruStore.NEVER);
    }
    store.put("k1", -1, LruStore.NEVER);
    assertThat(store.size()).isEqualTo(10_000);
    assertThat(store.get("k1").value()).isEqualTo(-1);
    store.clear();
    assertThat(store.size()).isZero();
  }

  @Test
  void aBoundOfZeroOrBelowUnboundedIsRefused() {
    assertThatThrownBy(() -> new LruStore<>(0, time)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new LruStore<>(-2, time)).isInstanceOf(IllegalArgumentException.class);
  }

  /** Stores keys 0 to {@code count - 1} in order, and returns a reference LRU holding the same. */
  private static Map<Integer, Integer> filled(LruStore<Integer, Integer> store, int count) {
    Map<Integer, Integer> reference = new LinkedHashMap<>(16, 0.75f, true);
    for (int k = 0; k < count; k++) {
      store.put(k, k, LruStore.NEVER);
      reference.put(k, k);
    }
    return reference;
  }
}
