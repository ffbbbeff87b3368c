package io.tiercache.testkit;

import io.tiercache.backend.*;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.ManualTimeSource;
import io.tiercache.testkit.BackendConformanceSuite;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Runs the conformance suite against {@link InMemoryBackend} on a manual clock, plus the tests only
 * the in-memory store has: its bounds and exact expiry instant.
 *
 * <p>Deliberately in a package other than the suite's: that is how backend modules use the suite,
 * and it shows its package-private test methods are still discovered and run.
 */
class InMemoryBackendConformanceTest extends BackendConformanceSuite {
  private final ManualTimeSource clock = new ManualTimeSource();

  @Override
  protected Backend createBackend() {
    return InMemoryBackend.builder().timeSource(clock).build();
  }

  @Override
  protected void advanceTime(Duration duration) {
    clock.advance(duration);
  }

  @Test
  void boundedByEntriesKeepsExactlyTheBoundAndOnlyCorrectValues() {
    InMemoryBackend bounded = InMemoryBackend.builder().maxEntries(100).timeSource(clock).build();
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      String key = "bounded:" + i;
      keys.add(key);
      await(bounded.set(key, bytes("value " + i), Backend.NO_EXPIRY));
    }

    Map<String, byte[]> found = await(bounded.getMany(keys));

    // Caffeine runs its maintenance on the writing thread (same-thread executor), evicting one
    // entry whenever a write takes it over the bound, so it ends exactly at the bound. Which keys
    // stay is its admission policy's choice, so only their values are checked.
    assertThat(bounded.estimatedSize()).isEqualTo(100);
    assertThat(found).hasSize(100);
    found.forEach((key, value) ->
        assertThat(value).as(key).isEqualTo(bytes("value " + key.substring("bounded:".length()))));
    assertThat(bounded.describe()).isEqualTo("in-memory(100 entries)");
  }

  @Test
  void boundedByBytesKeepsKeysPlusValuesWithinTheBound() {
    InMemoryBackend bounded = InMemoryBackend.builder().maxBytes(10_000).timeSource(clock).build();
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      String key = String.format("k-%03d", i); // 5 characters
      keys.add(key);
      byte[] value = new byte[1_000];
      Arrays.fill(value, (byte) i);
      await(bounded.set(key, value, Backend.NO_EXPIRY));
    }

    Map<String, byte[]> found = await(bounded.getMany(keys));

    // Each entry weighs 5 + 1,000 bytes: 9 fit in 10,000 bytes, a 10th would not.
    assertThat(found).hasSize(9);
    assertThat(bounded.estimatedSize()).isEqualTo(9);
    long weight = 0;
    for (Map.Entry<String, byte[]> entry : found.entrySet()) {
      byte[] expected = new byte[1_000];
      Arrays.fill(expected, (byte) Integer.parseInt(entry.getKey().substring(2)));
      assertThat(entry.getValue()).as(entry.getKey()).isEqualTo(expected);
      weight += entry.getKey().length() + entry.getValue().length;
    }
    assertThat(weight).isLessThanOrEqualTo(10_000);
    assertThat(bounded.describe()).isEqualTo("in-memory(10000 bytes)");
  }

  @Test
  void entryHeavierThanTheByteBoundIsNotKeptAndEvictsNothingElse() {
    InMemoryBackend bounded = InMemoryBackend.builder().maxBytes(10_000).timeSource(clock).build();
    await(bounded.set("small", new byte[100], Backend.NO_EXPIRY));

    await(bounded.set("huge", new byte[20_000], Backend.NO_EXPIRY));

    assertThat(await(bounded.get("huge"))).isNull();
    assertThat(await(bounded.get("small"))).hasSize(100);
    assertThat(bounded.estimatedSize()).isEqualTo(1);
  }

  @Test
  void entryExpiresExactlyWhenItsTtlHasElapsedOnTheManualClock() {
    set("k", bytes("v"), Duration.ofSeconds(1));

    clock.advance(Duration.ofSeconds(1).minusNanos(1));
    assertThat(get("k")).isEqualTo(bytes("v"));

    clock.advance(Duration.ofNanos(1));
    assertThat(get("k")).isNull();
  }

  @Test
  void readingAnEntryDoesNotExtendItsTtl() {
    set("k", bytes("v"), Duration.ofSeconds(1));

    clock.advance(Duration.ofMillis(900));
    assertThat(get("k")).isEqualTo(bytes("v"));
    clock.advance(Duration.ofMillis(100));

    assertThat(get("k")).isNull();
  }
}
