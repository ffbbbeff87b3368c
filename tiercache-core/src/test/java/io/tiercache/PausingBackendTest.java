package io.tiercache;

import static io.tiercache.PausingBackend.containing;
import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.PausingBackend.Op;
import io.tiercache.PausingBackend.Pause;
import io.tiercache.PausingBackend.Step;
import io.tiercache.backend.Backend;
import io.tiercache.backend.InMemoryBackend;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The test backend of the interleaving tests holds exactly the call it was armed for, at its step. */
class PausingBackendTest {
  private final InMemoryBackend store = InMemoryBackend.create();
  private final PausingBackend backend = new PausingBackend(store);
  private final ExecutorService pool = Executors.newSingleThreadExecutor();

  @AfterEach
  void stop() {
    try {
      backend.releaseAllAndCheck();
    } finally {
      pool.shutdownNow();
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(Backend backend, String key) {
    byte[] value = backend.get(key).toCompletableFuture().join();
    return value == null ? null : new String(value, StandardCharsets.UTF_8);
  }

  @Test
  void beforeHoldsTheCallerBeforeTheCommandReachesTheStore() throws Exception {
    Pause pause = backend.arm(Op.SET, Step.BEFORE, containing("k1"));
    backend.set("k0", bytes("other"), Backend.NO_EXPIRY).toCompletableFuture().join(); // not matched
    Future<?> set = pool.submit(() -> backend.set("k1", bytes("a"), Backend.NO_EXPIRY));
    pause.awaitReached();

    assertThat(pause.key()).isEqualTo("k1");
    assertThat(text(store, "k1")).isNull();
    assertThat(set.isDone()).isFalse();
    pause.release();
    set.get(10, TimeUnit.SECONDS);
    assertThat(text(store, "k1")).isEqualTo("a");
    assertThat(text(store, "k0")).isEqualTo("other");
  }

  @Test
  void afterHoldsTheCallerOnceTheCommandTookEffect() throws Exception {
    store.set("k1", bytes("old"), Backend.NO_EXPIRY).toCompletableFuture().join();
    Pause pause = backend.arm(Op.DELETE, Step.AFTER, containing("k1"));
    Future<CompletionStage<Boolean>> delete = pool.submit(() -> backend.delete("k1"));
    pause.awaitReached();

    assertThat(text(store, "k1")).isNull();
    assertThat(delete.isDone()).isFalse();
    pause.release();
    assertThat(delete.get(10, TimeUnit.SECONDS).toCompletableFuture().join()).isTrue();
  }

  @Test
  void deferredReturnsAPendingStageAndSendsTheCommandOnRelease() {
    store.set("k1", bytes("old"), Backend.NO_EXPIRY).toCompletableFuture().join();
    Pause pause = backend.arm(Op.DELETE, Step.DEFERRED, containing("k1"));
    CompletableFuture<Boolean> delete = backend.delete("k1").toCompletableFuture();

    assertThat(pause.reached()).isTrue();
    assertThat(delete).isNotDone();
    assertThat(text(store, "k1")).isEqualTo("old");
    pause.release();
    pause.awaitDone();
    assertThat(delete).isCompletedWithValue(true);
    assertThat(text(store, "k1")).isNull();
  }

  @Test
  void aReadPauseCatchesABatchReadWithAMatchingKeyAndOnlyOneCall() throws Exception {
    store.set("k1", bytes("a"), Backend.NO_EXPIRY).toCompletableFuture().join();
    Pause pause = backend.arm(Op.READ, Step.AFTER, containing("k1"));
    Future<?> read = pool.submit(() -> backend.getMany(java.util.List.of("k0", "k1")));
    pause.awaitReached();

    assertThat(text(backend, "k1")).isEqualTo("a"); // a second call passes: the pause caught one
    pause.release();
    read.get(10, TimeUnit.SECONDS);
  }
}
