package io.tiercache.internal.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.CacheInfo;
import io.tiercache.CachedFunction1;
import io.tiercache.TierCache;
import io.tiercache.backend.InMemoryBackend;
import io.tiercache.codec.Envelope;
import io.tiercache.codec.TagStamp;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code publishStats}: the report a process writes to L2 (exact counts, the key, the TTL, deleted
 * on close), the report's text form, and {@link Envelope#header}, which {@code tiercache inspect}
 * reads entries with.
 */
class StatsPublisherTest {

  @Test
  void aTierCacheWithPublishStatsWritesItsFunctionsExactCountsAndDeletesThemOnClose() {
    InMemoryBackend backend = InMemoryBackend.create();
    String key = "shop:#s:web-1";
    try (TierCache cache = TierCache.builder().namespace("shop").backend(TierCache.DEFAULT, backend)
        .publishStats(Duration.ofMillis(100), "web-1").build()) {
      CachedFunction1<Integer, String> price = cache.function("price", String.class).l1MaxSize(10)
          .of((Integer sku) -> "p" + sku);
      price.apply(1);
      price.apply(1);
      price.apply(2);
      Map<String, CacheInfo> expected = Map.of("price", new CacheInfo(1, 2, 0, 2, 10, 2));
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      Optional<StatsReport> report = Optional.empty();
      while (report.map(r -> !r.functions().equals(expected)).orElse(true)) {
        assertThat(System.nanoTime() - deadline).as("published within 10 s: %s", report).isNegative();
        Thread.onSpinWait();
        report = StatsReport.decode(backend.get(key).toCompletableFuture().join());
      }
      assertThat(report.get().processId()).isEqualTo("web-1");
      assertThat(report.get().periodMillis()).isEqualTo(100);
    }
    assertThat(backend.get(key).toCompletableFuture().join()).isNull();
  }

  @Test
  void aReportReadsBackExactlyAndAnythingElseIsNotAReport() {
    Map<String, CacheInfo> functions = new LinkedHashMap<>();
    functions.put("price", new CacheInfo(5, 4, 3, 1, CacheInfo.UNBOUNDED, 2));
    functions.put("stock", new CacheInfo(0, 0, 0, 0, 0, 0));
    StatsReport report = new StatsReport("7@host", 1_700_000_000_000L, 5000, functions);
    assertThat(new String(report.encode(), StandardCharsets.US_ASCII)).isEqualTo("tiercache-stats 1\n"
        + "process 7@host\npublished 1700000000000 5000\nfn price 5 4 3 1 -1 2\nfn stock 0 0 0 0 0 0\n");
    assertThat(StatsReport.decode(report.encode())).contains(report);
    assertThat(StatsReport.decode("tiercache-stats 2\nprocess x\npublished 1 1\n".getBytes(StandardCharsets.US_ASCII)))
        .isEmpty();
    assertThat(StatsReport.decode("tiercache-stats 1\nprocess x\npublished 1 1\nfn a 1 2\n"
        .getBytes(StandardCharsets.US_ASCII))).isEmpty();
    assertThat(StatsReport.decode("tiercache-stats 1\nprocess x\npublished one 1\n"
        .getBytes(StandardCharsets.US_ASCII))).isEmpty();
    assertThat(StatsReport.decode(null)).isEmpty();
  }

  @Test
  void publishStatsRefusesAShortPeriodAndAnIdOutsideItsAlphabet() {
    assertThatThrownBy(() -> TierCache.builder().publishStats(Duration.ofMillis(99), "a"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the stats publishing period must be at least 100 ms, got PT0.099S");
    assertThatThrownBy(() -> TierCache.builder().publishStats(Duration.ofSeconds(1), "web 1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a stats process id must be 1-100 letters, digits, '.', '_', '@' or '-', got 'web 1'");
    assertThat(StatsPublisher.defaultProcessId()).matches(ProcessHandle.current().pid() + "@[A-Za-z0-9._-]+");
  }

  @Test
  void envelopeHeaderReadsAFrameOfAnyTypeAndRefusesForeignOrTruncatedBytes() {
    byte[] payload = "\"p1\"".getBytes(StandardCharsets.UTF_8);
    List<TagStamp> stamps = List.of(new TagStamp("shop:#t:sku:1", 42L));
    byte[] frame = Envelope.wrap(payload, 0x1234abcd, 99L, stamps);
    assertThat(Envelope.header(frame)).contains(new Envelope.Header(false, 0x1234abcd, 99L, stamps, 4));
    assertThat(Envelope.header(Envelope.wrap(null, 7, 0))).contains(new Envelope.Header(true, 7, 0, List.of(), 0));
    assertThat(Envelope.header("{\"not\":\"ours\"}".getBytes(StandardCharsets.UTF_8))).isEmpty();
    assertThat(Envelope.header(java.util.Arrays.copyOf(frame, 20))).isEmpty(); // cut inside the tag stamp
    assertThat(Envelope.header(new byte[0])).isEmpty();
  }
}
