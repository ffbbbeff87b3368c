package io.tiercache.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BookstoreExampleTest {

  @Test
  void theBookstoreRunsAsItsCommentsSay() {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    new BookstoreExample(new PrintStream(buffer, true, StandardCharsets.UTF_8)).run();
    assertThat(buffer.toString(StandardCharsets.UTF_8)).containsSubsequence(
        "usersByState(CA) twice -> 1 queries so far",
        "favoriteBooks of Ann, Bo, Ann -> 3 queries so far",
        "after invalidateTags(book:10), favoriteBooks of Ann and Bo -> 4 queries so far",
        "after invalidateKey(users_by_state:CA), usersByState(CA) -> 5 queries so far",
        "after the handle's invalidateTags, usersByState(CA) -> 6 queries so far",
        "usersByState statistics: CacheInfo[l1Hits=1, l1Misses=3, l2Hits=0, l2Misses=3, l1MaxSize=128, l1CurrSize=1]");
  }
}
