package io.tiercache.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.ManualTimeSource;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
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
}
