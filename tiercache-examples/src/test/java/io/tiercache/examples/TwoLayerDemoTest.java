package io.tiercache.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The README demo prints what the README says it prints. */
class TwoLayerDemoTest {

  @Test
  void theDemoShowsL1HitsL2HitsAndInvalidation() {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    new TwoLayerDemo(new PrintStream(buffer, true, StandardCharsets.UTF_8)).run();
    String out = buffer.toString(StandardCharsets.UTF_8);
    assertThat(out)
        .contains("CacheInfo[l1Hits=0, l1Misses=1, l2Hits=0, l2Misses=1, l1MaxSize=1000, l1CurrSize=1]")
        .contains("CacheInfo[l1Hits=1, l1Misses=1, l2Hits=0, l2Misses=1, l1MaxSize=1000, l1CurrSize=1]")
        .contains("CacheInfo[l1Hits=0, l1Misses=1, l2Hits=1, l2Misses=0, l1MaxSize=1000, l1CurrSize=1]")
        .contains("CacheInfo[l1Hits=1, l1Misses=1, l2Hits=1, l2Misses=0, l1MaxSize=1000, l1CurrSize=1]")
        .contains("and from B's L1 before it returns (coherent L1s) -> true")
        .contains("process B: CacheInfo[l1Hits=1, l1Misses=1, l2Hits=1, l2Misses=0, l1MaxSize=1000, l1CurrSize=0]")
        .contains("CacheInfo[l1Hits=1, l1Misses=2, l2Hits=1, l2Misses=1, l1MaxSize=1000, l1CurrSize=1]")
        .contains("The slow function ran 2 times for 7 calls.");
  }
}
