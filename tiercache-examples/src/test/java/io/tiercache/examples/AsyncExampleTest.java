package io.tiercache.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The async example prints what docs/async.md says it prints. */
class AsyncExampleTest {

  @Test
  void theExampleShowsSharingExpiryFailuresAndClose() {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    new AsyncExample(new PrintStream(buffer, true, StandardCharsets.UTF_8)).run();
    String out = buffer.toString(StandardCharsets.UTF_8);
    assertThat(out).isEqualTo(String.join(System.lineSeparator(),
        "1. ten concurrent callers of PEP 8: 1 fetch, the same result for all: 1",
        "   CacheInfo[l1Hits=9, l1Misses=1, l2Hits=0, l2Misses=1, l1MaxSize=32, l1CurrSize=1]",
        "2. async-lru's sequence 8, 290, 308, 320, 8, 218, 320, 279, 289, 320, 9991: 7 fetches",
        "   CacheInfo[l1Hits=3, l1Misses=8, l2Hits=1, l2Misses=7, l1MaxSize=32, l1CurrSize=8]",
        "3. six minutes later (ttl 5 min + up to 1 min of jitter): expired entries left L1 on their own",
        "   CacheInfo[l1Hits=3, l1Misses=8, l2Hits=1, l2Misses=7, l1MaxSize=32, l1CurrSize=0]",
        "4. attempt 1 at PEP 666 failed: HTTP 503 for PEP 666 (not cached: contains -> false)",
        "4. attempt 2 at PEP 666 failed: HTTP 503 for PEP 666 (not cached: contains -> false)",
        "5. closed while PEP 1 was in flight: its caller sees cancellation -> true",
        "   a call after close: async cached function 'getPep' is closed; build a new one",
        ""));
  }
}
