package io.tiercache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.backend.ForwardingBackend;
import io.tiercache.backend.InMemoryBackend;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The synchronous function goes through the miss path both kinds of function share, whose steps
 * are stages; with an L2 that answers on a thread of its own (as Redis does), the function must
 * still run on the caller's thread, its exception must reach the caller as it is, and the
 * statistics must be those of a blocking miss.
 */
class SyncMissPathTest {
  private final ManualTimeSource time = new ManualTimeSource();
  private final InMemoryBackend shared = InMemoryBackend.builder().timeSource(time).build();
  private final ExecutorService io = Executors.newSingleThreadExecutor(r -> new Thread(r, "l2-io"));
  private final Backend backend = new Backend(shared);
  private final AtomicInteger computations = new AtomicInteger();
  private final AtomicReference<Thread> computedOn = new AtomicReference<>();

  /** Answers every command on the "l2-io" thread, never on the caller's. */
  private final class Backend extends ForwardingBackend {
    Backend(io.tiercache.backend.Backend delegate) {
      super(delegate);
    }

    private <T> CompletionStage<T> later(CompletionStage<T> answer) {
      return answer.toCompletableFuture().thenApplyAsync(value -> value, io);
    }

    @Override
    public CompletionStage<byte[]> get(String key) {
      return later(super.get(key));
    }

    @Override
    public CompletionStage<Map<String, byte[]>> getMany(Collection<String> keys) {
      return later(super.getMany(keys));
    }

    @Override
    public CompletionStage<Void> set(String key, byte[] value, Duration ttl) {
      return later(super.set(key, value, ttl));
    }

    @Override
    public CompletionStage<Boolean> delete(String key) {
      return later(super.delete(key));
    }
  }

  @AfterEach
  void stop() {
    io.shutdownNow();
  }

  private TierCache process() {
    return TierCache.builder().namespace("shop").backend("default", backend).timeSource(time).build();
  }

  private CachedFunction1<Integer, String> item(TierCache cache) {
    return cache.function("item", String.class).tags("catalog").of((Integer i) -> {
      computedOn.set(Thread.currentThread());
      if (i < 0) {
        throw new IllegalArgumentException("no item " + i);
      }
      return "item " + i + " v" + computations.incrementAndGet();
    });
  }

  @Test
  void theFunctionRunsOnTheCallersThreadWhileL2AnswersOnItsOwn() {
    CachedFunction1<Integer, String> a = item(process());
    CachedFunction1<Integer, String> b = item(process());

    assertThat(a.apply(1)).isEqualTo("item 1 v1");
    assertThat(computedOn.get()).isSameAs(Thread.currentThread());
    assertThat(a.cacheInfo()).isEqualTo(new CacheInfo(0, 1, 0, 1, 128, 1));

    assertThat(b.apply(1)).isEqualTo("item 1 v1"); // read from L2, its tag version checked
    assertThat(b.cacheInfo()).isEqualTo(new CacheInfo(0, 1, 1, 0, 128, 1));

    assertThat(b.invalidateTags(1)).isTrue();
    assertThat(a.apply(1)).isEqualTo("item 1 v2"); // a's L1 copy went with the tag
    assertThat(a.refresh(1)).isEqualTo("item 1 v3");
    assertThat(computedOn.get()).isSameAs(Thread.currentThread());
    assertThat(b.apply(1)).isEqualTo("item 1 v3");
    assertThat(computations).hasValue(3);
  }

  @Test
  void theFunctionsExceptionReachesTheCallerAsItIsAndNothingIsStored() {
    CachedFunction1<Integer, String> a = item(process());
    AtomicReference<Throwable> thrown = new AtomicReference<>();

    assertThatThrownBy(() -> a.apply(-1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no item -1").satisfies(thrown::set);
    assertThat(thrown.get().getCause()).isNull(); // not wrapped on its way through the stages
    assertThat(computedOn.get()).isSameAs(Thread.currentThread());
    assertThat(a.contains(-1)).isFalse();
    assertThat(a.cacheInfo()).isEqualTo(new CacheInfo(0, 1, 0, 1, 128, 0));
    assertThat(a.l2ErrorCount()).isZero();
  }
}
