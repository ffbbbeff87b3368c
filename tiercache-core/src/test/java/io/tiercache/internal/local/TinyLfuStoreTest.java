package io.tiercache.internal.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.Latches;
import io.tiercache.ManualTimeSource;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;

/**
 * The W-TinyLFU store: Caffeine decides what to evict, and the indexes by L2-key hash, by tag and
 * by deadline follow its evictions exactly; stores and removals are ordered by one lock.
 */
class TinyLfuStoreTest {
  private final ManualTimeSource time = new ManualTimeSource();

  record TaggedValue(int id, Set<String> tagKeys) implements LruStore.Tagged {}

  private static void put(TinyLfuStore<Integer, Object> store, int key, long l2Hash, long deadline, String... tags) {
    assertThat(store.putIf(key, new TaggedValue(key, Set.of(tags)), deadline, l2Hash, false, () -> true)).isTrue();
  }

  @Test
  void evictionsLeaveNothingBehindInAnyIndex() {
    TinyLfuStore<Integer, Object> store = new TinyLfuStore<>(10, time);
    long start = time.nanoTime();
    for (int i = 0; i < 1_000; i++) {
      put(store, i, i + 1, start + Duration.ofSeconds(1_000 - i).toNanos(), "all", "n" + i);
    }
    assertThat(store.size()).isEqualTo(10);
    assertThat(store.heldEntries()).isEqualTo(10);
    TreeSet<Integer> held = new TreeSet<>();
    for (int i = 0; i < 1_000; i++) {
      if (store.peek(i) != null) {
        held.add(i);
      }
      // an evicted entry's index entry went with it
      assertThat(store.peekByL2Hash(i + 1) != null).as("hash of %d", i).isEqualTo(store.peek(i) != null);
    }
    assertThat(held).hasSize(10);
    // the deadline order holds only what is held: the soonest deadline is the largest key's
    assertThat(store.purgeExpired()).isEqualTo(start + Duration.ofSeconds(1_000 - held.last()).toNanos());
    int evicted = held.first() == 0 ? 1 : 0;
    assertThat(store.removeTagged(List.of("n" + evicted))).isZero();
    assertThat(store.removeByL2Hash(evicted + 1)).isNull();

    assertThat(store.removeTagged(List.of("all"))).isEqualTo(10);
    assertThat(store.size()).isZero();
    assertThat(store.heldEntries()).isZero();
    assertThat(store.purgeExpired()).isEqualTo(LruStore.NEVER);
    for (int i : held) {
      assertThat(store.peekByL2Hash(i + 1)).isNull();
      assertThat(store.removeTagged(List.of("n" + i))).isZero();
    }
  }

  @Test
  void replacingAKeyOrTakingItsHashDropsTheOldEntryFromEveryIndex() {
    TinyLfuStore<Integer, Object> store = new TinyLfuStore<>(100, time);
    long later = time.nanoTime() + Duration.ofSeconds(5).toNanos();
    put(store, 1, 100, later, "a");
    put(store, 1, 101, LruStore.NEVER, "b");
    assertThat(store.peekByL2Hash(100)).isNull();
    assertThat(store.removeTagged(List.of("a"))).isZero();
    assertThat(store.purgeExpired()).isEqualTo(LruStore.NEVER);
    assertThat(((TaggedValue) store.peekByL2Hash(101).value()).id()).isEqualTo(1);

    put(store, 2, 101, LruStore.NEVER, "c"); // the same L2 key under another argument list
    assertThat(store.peek(1)).isNull();
    assertThat(store.removeTagged(List.of("b"))).isZero();
    assertThat(store.size()).isEqualTo(1);
    assertThat(store.removeByL2Hash(101).value()).isEqualTo(new TaggedValue(2, Set.of("c")));
    assertThat(store.size()).isZero();
  }

  @Test
  void expiredEntriesAreInvisibleAndDroppedBeforeAnythingIsCounted() {
    TinyLfuStore<Integer, Object> store = new TinyLfuStore<>(100, time);
    long inTen = time.nanoTime() + Duration.ofSeconds(10).toNanos();
    put(store, 1, 11, inTen, "t");
    put(store, 2, 12, inTen + 1, "t");
    store.putIf(3, "plain", LruStore.NEVER, LruStore.NO_HASH, true, () -> true);
    assertThat(store.get(3).marked()).isTrue();
    time.advance(Duration.ofSeconds(10));
    assertThat(store.get(1)).isNull();
    assertThat(store.peek(1)).isNull();
    assertThat(store.get(2).deadline()).isEqualTo(inTen + 1);
    assertThat(store.heldEntries()).isEqualTo(3);
    assertThat(store.purgeExpired()).isEqualTo(inTen + 1);
    assertThat(store.heldEntries()).isEqualTo(2);
    assertThat(store.remove(2)).isTrue();
    assertThat(store.removeTagged(List.of("t"))).isZero();
    assertThat(store.size()).isEqualTo(1);
    assertThat(store.removeIf(value -> value.equals("plain"))).isEqualTo(1);
    assertThat(store.size()).isZero();
  }

  @Test
  void aStoreWhoseCheckFailsStoresNothing() {
    TinyLfuStore<Integer, Object> store = new TinyLfuStore<>(100, time);
    assertThat(store.putIf(1, "v", LruStore.NEVER, 5, false, () -> false)).isFalse();
    assertThat(store.heldEntries()).isZero();
    assertThat(store.peekByL2Hash(5)).isNull();
  }

  /**
   * A removal that starts while a store is checking its condition waits for the store, then
   * removes what it stored: it cannot slip between the check and the write.
   */
  @Test
  void aRemovalWaitsForAStoreThatIsCheckingItsCondition() throws Exception {
    TinyLfuStore<Integer, Object> store = new TinyLfuStore<>(100, time);
    CountDownLatch checking = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Boolean> stored = CompletableFuture.supplyAsync(() -> store.putIf(1, "v", LruStore.NEVER, 7,
        false, () -> {
          checking.countDown();
          Latches.await(release);
          return true;
        }));
    Latches.await(checking);
    Thread[] remover = new Thread[1];
    CompletableFuture<Boolean> removed = new CompletableFuture<>();
    remover[0] = new Thread(() -> removed.complete(store.removeByL2Hash(7) != null));
    remover[0].start();
    Latches.until(() -> remover[0].getState() == Thread.State.WAITING, "the removal to wait for the store's lock");
    assertThat(removed).as("the removal ran while the store was checking").isNotDone();
    release.countDown();
    assertThat(stored.get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(removed.get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(store.size()).isZero();
  }

  /** Reads count for the policy, peeks do not: a key read ten times survives a scan, one peeked does not. */
  @Test
  void getRecordsAnAccessAndPeekDoesNot() {
    assertThat(survivesScan((store) -> store.get(0))).isTrue();
    assertThat(survivesScan((store) -> store.peek(0))).isFalse();
  }

  private boolean survivesScan(java.util.function.Consumer<TinyLfuStore<Integer, Object>> touch) {
    TinyLfuStore<Integer, Object> store = new TinyLfuStore<>(100, time);
    IntConsumer add = i -> store.putIf(i, "v" + i, LruStore.NEVER, i + 1, false, () -> true);
    for (int i = 1; i <= 60; i++) {
      add.accept(i);
    }
    add.accept(0);
    for (int i = 0; i < 10; i++) {
      touch.accept(store);
    }
    for (int i = 61; i <= 1_060; i++) {
      add.accept(i);
    }
    assertThat(store.size()).isEqualTo(100);
    return store.peek(0) != null;
  }

  @Test
  void aStoreWithoutABoundIsRefused() {
    assertThatThrownBy(() -> new TinyLfuStore<>(LruStore.UNBOUNDED, time))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a W-TinyLFU store needs a bound of at least 1, got -1");
    assertThatThrownBy(() -> new TinyLfuStore<>(0, time))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a W-TinyLFU store needs a bound of at least 1, got 0");
  }
}
