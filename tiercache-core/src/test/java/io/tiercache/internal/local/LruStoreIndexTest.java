package io.tiercache.internal.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.ManualTimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The indexes of a store built with one: by L2-key hash, and by tag key for {@link LruStore.Tagged} values. */
class LruStoreIndexTest {
  private final ManualTimeSource time = new ManualTimeSource();

  record TaggedValue(int id, Set<String> tagKeys) implements LruStore.Tagged {}

  private static void put(LruStore<Integer, Object> store, int key, long l2Hash, long deadline, String... tags) {
    store.putIf(key, new TaggedValue(key, Set.of(tags)), deadline, l2Hash, false, () -> true);
  }

  @Test
  void removeTaggedRemovesExactlyTheEntriesCarryingAnyOfTheTags() {
    LruStore<Integer, Object> store = new LruStore<>(LruStore.UNBOUNDED, time, true);
    for (int i = 0; i < 1_000; i++) {
      if (i % 10 == 0) {
        put(store, i, i + 1, LruStore.NEVER, "tens", "n" + i);
      } else if (i % 3 == 0) {
        put(store, i, i + 1, LruStore.NEVER, "threes");
      } else {
        put(store, i, i + 1, LruStore.NEVER, "n" + i);
      }
    }
    store.put(-1, "untagged", LruStore.NEVER);

    assertThat(store.removeTagged(List.of("absent"))).isZero();
    assertThat(store.size()).isEqualTo(1_001);
    // 100 multiples of 10, and 334 - 34 = 300 multiples of 3 that are not
    assertThat(store.removeTagged(List.of("tens", "threes"))).isEqualTo(400);
    assertThat(store.size()).isEqualTo(601);
    for (int i = 0; i < 1_000; i++) {
      assertThat(store.peek(i) != null).as("key %d", i).isEqualTo(i % 10 != 0 && i % 3 != 0);
      // the L2-hash index lost the removed entries too
      assertThat(store.peekByL2Hash(i + 1) != null).as("hash of %d", i + 1).isEqualTo(i % 10 != 0 && i % 3 != 0);
    }
    assertThat(store.peek(-1).value()).isEqualTo("untagged");
    assertThat(store.removeTagged(List.of("n7", "n7"))).isEqualTo(1);
    assertThat(store.removeTagged(List.of("n10"))).isZero(); // went with "tens"
    put(store, 10, 11, LruStore.NEVER, "tens");
    assertThat(store.removeTagged(List.of("tens"))).isEqualTo(1);
    assertThat(store.size()).isEqualTo(600);
  }

  @Test
  void theTagIndexFollowsReplacementEvictionExpiryRemovalAndClear() {
    LruStore<Integer, Object> store = new LruStore<>(3, time, true);
    put(store, 1, 11, LruStore.NEVER, "a");
    put(store, 2, 12, LruStore.NEVER, "a");
    put(store, 3, 13, LruStore.NEVER, "a", "b");
    put(store, 4, 14, LruStore.NEVER, "a"); // evicts 1
    put(store, 2, 12, LruStore.NEVER, "b"); // replaces 2, which no longer carries "a"
    assertThat(store.remove(3)).isTrue();
    put(store, 5, 15, time.nanoTime() + Duration.ofSeconds(1).toNanos(), "a");
    time.advance(Duration.ofSeconds(1)); // 5 expires, still held
    assertThat(store.heldEntries()).isEqualTo(3);

    assertThat(store.removeTagged(List.of("a"))).isEqualTo(1); // 4 live; 5 expired, removed uncounted
    assertThat(store.heldEntries()).isEqualTo(1);
    assertThat(store.peek(2)).isNotNull();
    assertThat(store.removeTagged(List.of("b"))).isEqualTo(1);
    assertThat(store.heldEntries()).isZero();

    put(store, 6, 99, LruStore.NEVER, "c");
    put(store, 7, 99, LruStore.NEVER, "c"); // same L2-key hash: drops 6
    assertThat(store.peek(6)).isNull();
    put(store, 8, 98, LruStore.NEVER, "c");
    assertThat(store.removeByL2Hash(98).value()).isEqualTo(new TaggedValue(8, Set.of("c")));
    assertThat(store.removeTagged(List.of("c"))).isEqualTo(1);
    assertThat(store.heldEntries()).isZero();

    put(store, 9, 97, LruStore.NEVER, "d");
    store.clear();
    put(store, 10, 96, LruStore.NEVER, "e");
    assertThat(store.removeTagged(List.of("d"))).isZero();
    assertThat(store.removeTagged(List.of("e"))).isEqualTo(1);
  }

  @Test
  void aStoreWithoutIndexFindsNothingByTag() {
    LruStore<Integer, Object> store = new LruStore<>(10, time);
    put(store, 1, 11, LruStore.NEVER, "a");
    assertThat(store.removeTagged(List.of("a"))).isZero();
    assertThat(store.peekByL2Hash(11)).isNull();
    assertThat(store.size()).isEqualTo(1);
  }

  /** The L2-hash index against a map model: every answer equal, at every step, with colliding hashes. */
  @Test
  void theL2HashIndexAnswersAsAMapWithAtMostOneEntryPerHash() {
    LruStore<Integer, Object> store = new LruStore<>(LruStore.UNBOUNDED, time, true);
    Map<Integer, Long> hashOfKey = new HashMap<>();
    Map<Long, Integer> keyOfHash = new HashMap<>();
    Random random = new Random(13);
    long[] hashes = new long[400];
    for (int i = 0; i < hashes.length; i++) {
      // half small consecutive numbers, half multiples of a large power of two (clustered slots)
      hashes[i] = i % 2 == 0 ? i + 1 : (long) (i + 1) << 40;
    }
    for (int step = 0; step < 200_000; step++) {
      int key = random.nextInt(600);
      long hash = hashes[random.nextInt(hashes.length)];
      switch (random.nextInt(4)) {
        case 0, 1 -> {
          store.putIf(key, key, LruStore.NEVER, hash, false, () -> true);
          Long oldHash = hashOfKey.put(key, hash);
          if (oldHash != null) {
            keyOfHash.remove(oldHash, key);
          }
          Integer sameHash = keyOfHash.put(hash, key);
          if (sameHash != null && !sameHash.equals(key)) {
            hashOfKey.remove(sameHash);
          }
        }
        case 2 -> {
          LruStore.Node<Integer, Object> removed = store.removeByL2Hash(hash);
          Integer expected = keyOfHash.remove(hash);
          assertThat(removed == null ? null : removed.key).as("step %d", step).isEqualTo(expected);
          if (expected != null) {
            hashOfKey.remove(expected);
          }
        }
        default -> {
          boolean removed = store.remove(key);
          Long expected = hashOfKey.remove(key);
          assertThat(removed).as("step %d", step).isEqualTo(expected != null);
          if (expected != null) {
            keyOfHash.remove(expected);
          }
        }
      }
      LruStore.Node<Integer, Object> found = store.peekByL2Hash(hash);
      assertThat(found == null ? null : found.key).as("step %d", step).isEqualTo(keyOfHash.get(hash));
    }
    assertThat(store.size()).isEqualTo(hashOfKey.size());
    for (long hash : hashes) {
      LruStore.Node<Integer, Object> found = store.peekByL2Hash(hash);
      assertThat(found == null ? null : found.key).isEqualTo(keyOfHash.get(hash));
    }
  }

  /** A set of nodes by identity, against an identity set, through growth and backward-shift removal. */
  @Test
  void aNodeSetHoldsExactlyTheNodesAddedAndNotRemoved() {
    NodeTable<Integer, Object> set = NodeTable.byIdentity();
    Set<LruStore.Node<Integer, Object>> model = Collections.newSetFromMap(new IdentityHashMap<>());
    List<LruStore.Node<Integer, Object>> nodes = new ArrayList<>();
    for (int i = 0; i < 3_000; i++) {
      nodes.add(LruStore.Node.of(i, (Object) i, LruStore.NEVER, LruStore.NO_HASH, false));
    }
    Random random = new Random(17);
    for (int step = 0; step < 100_000; step++) {
      LruStore.Node<Integer, Object> node = nodes.get(random.nextInt(nodes.size()));
      if (random.nextInt(3) == 0) {
        assertThat(set.remove(node)).as("step %d", step).isEqualTo(model.remove(node));
      } else {
        assertThat(set.put(node)).as("step %d", step).isEqualTo(model.add(node) ? null : node);
      }
      assertThat(set.size()).isEqualTo(model.size());
    }
    Set<LruStore.Node<Integer, Object>> held = Collections.newSetFromMap(new IdentityHashMap<>());
    set.forEach(held::add);
    assertThat(held).isEqualTo(model);
  }

  @Test
  void theOwnersMarkAndTheStampSlotShareAFieldWithoutDisturbingEachOther() {
    LruStore<Integer, Object> store = new LruStore<>(4, time, true);
    for (int i = 0; i < 6; i++) {
      store.putIf(i, "v" + i, LruStore.NEVER, i + 1, i % 2 == 0, () -> true);
      assertThat(store.get(i).marked()).as("entry %d", i).isEqualTo(i % 2 == 0);
    }
    // 0 and 1 were evicted, their slots went to 4 and 5; the marks stayed with their entries
    assertThat(store.peek(0)).isNull();
    assertThat(store.stampSlotsCreated()).isEqualTo(5);
    for (int i = 2; i < 6; i++) {
      assertThat(store.peek(i).marked()).as("entry %d", i).isEqualTo(i % 2 == 0);
    }
    // recency still works through the shared field: 2 is used, so 3 is the next to go
    store.get(2);
    store.putIf(6, "v6", LruStore.NEVER, 7, true, () -> true);
    assertThat(store.peek(3)).isNull();
    assertThat(store.peek(2).marked()).isTrue();
    assertThat(store.peek(6).marked()).isTrue();
  }
}
