package io.tiercache.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.AsyncCachedFunction1;
import io.tiercache.CachedFunction1;
import io.tiercache.TierCache;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, case 15: a refused duplicate build leaves no engine in the registry (every
 * invalidation sweeps the registered engines), and a closed async function leaves it.
 */
class AsyncRegistrationTest {
  private final TierCache cache = TierCache.builder().build();

  @Test
  void aThousandRefusedDuplicateBuildsLeaveTheRegistryUnchanged() {
    AsyncCachedFunction1<Integer, String> f = cache.function("f", String.class)
        .ofAsync((Integer x) -> CompletableFuture.completedFuture("v"));
    CachedFunction1<Integer, String> g = cache.function("g", String.class).of((Integer x) -> "w");
    EngineRegistry registry = AsyncCachedFunctions.engineOf(f).registry;
    assertThat(registry.engineCount()).isEqualTo(2);

    for (int i = 0; i < 1000; i++) {
      assertThatThrownBy(() -> cache.function("f", String.class)
          .ofAsync((Integer x) -> CompletableFuture.completedFuture("dup")))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("a cached function named 'f' already exists in this TierCache;"
              + " names identify entries in L2 and must be unique");
      assertThatThrownBy(() -> cache.function("g", String.class).of((Integer x) -> "dup"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith("a cached function named 'g' already exists");
    }
    assertThat(registry.engineCount()).isEqualTo(2);
    assertThat(g.apply(1)).isEqualTo("w");
  }

  @Test
  void closingAnAsyncFunctionTakesItsEngineOutOfTheRegistry() {
    AsyncCachedFunction1<Integer, String> f = cache.function("f", String.class)
        .ofAsync((Integer x) -> CompletableFuture.completedFuture("v"));
    EngineRegistry registry = AsyncCachedFunctions.engineOf(f).registry;
    assertThat(registry.engineCount()).isEqualTo(1);
    CompletableFuture<Void> closed = f.close(true);
    assertThat(closed).isDone();
    assertThat(registry.engineCount()).isZero();
    AsyncCachedFunction1<Integer, String> again = cache.function("f", String.class)
        .ofAsync((Integer x) -> CompletableFuture.completedFuture("again"));
    assertThat(registry.engineCount()).isEqualTo(1);
    assertThat(again.apply(1).join()).isEqualTo("again");
  }
}
