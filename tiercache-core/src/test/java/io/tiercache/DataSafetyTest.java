package io.tiercache;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.tiercache.backend.Backend;
import io.tiercache.backend.InMemoryBackend;
import io.tiercache.codec.Envelope;
import io.tiercache.codec.JacksonCodec;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Nothing in L2 reaches the caller: corrupt, foreign or hostile data is a miss, and so is a backend
 * that fails or hangs. The caller always gets its function's value.
 */
class DataSafetyTest {
  private final InMemoryBackend backend = InMemoryBackend.create();
  private final TierCache cache = TierCache.builder().namespace("t").backend("default", backend).build();
  private final AtomicInteger computations = new AtomicInteger();

  record Book(String title, int pages) {}

  private CachedFunction1<Integer, Book> books(TierCache in) {
    return in.function("book", Book.class).of((Integer id) -> {
      computations.incrementAndGet();
      return new Book("Book " + id, 100 + id);
    });
  }

  private static void put(Backend backend, String key, byte[] bytes) {
    backend.set(key, bytes, Backend.NO_EXPIRY);
  }

  private static byte[] framed(String json, Class<?> type) {
    return Envelope.wrap(json.getBytes(StandardCharsets.UTF_8),
        Envelope.fingerprint("jackson-json", type.getTypeName()), 0);
  }

  @Test
  void theL2KeyOfACallIsReadableAndStable() {
    books(cache).apply(1);
    assertThat(backend.get("t:book:n1").toCompletableFuture().join()).isNotNull();
  }

  @Test
  void garbageTruncatedAndForeignValuesAreMissesCountedAsErrors() throws Exception {
    CachedFunction1<Integer, Book> f = books(cache);
    put(backend, "t:book:n1", "garbage".getBytes(StandardCharsets.UTF_8));
    put(backend, "t:book:n2", new byte[] {0x74, 1, 0});
    put(backend, "t:book:n3", framed("{\"title\":\"x\",\"pages\":1}", String.class)); // another type
    put(backend, "t:book:n4", framed("{\"name\":\"a user\",\"age\":3}", Book.class)); // wrong shape
    put(backend, "t:book:n5", framed("{\"title\":\"Dune\",\"pages\":", Book.class)); // truncated JSON
    put(backend, "t:book:n6", new byte[0]);
    ByteArrayOutputStream javaSerialized = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(javaSerialized)) {
      out.writeObject(new HashMap<>(Map.of("gadget", "payload")));
    }
    put(backend, "t:book:n7", javaSerialized.toByteArray());

    for (int id = 1; id <= 7; id++) {
      assertThat(f.apply(id)).isEqualTo(new Book("Book " + id, 100 + id));
    }
    assertThat(computations).hasValue(7);
    assertThat(f.l2ErrorCount()).isEqualTo(7);
    assertThat(f.cacheInfo()).isEqualTo(new CacheInfo(0, 7, 0, 7, 128, 7));
    // the good values replaced the bad ones
    f.cacheClear();
    for (int id = 1; id <= 7; id++) {
      assertThat(f.apply(id)).isEqualTo(new Book("Book " + id, 100 + id));
    }
    assertThat(f.cacheInfo()).isEqualTo(new CacheInfo(0, 7, 7, 0, 128, 7));
  }

  @Test
  void aFrameOfAnotherFormatVersionIsAMiss() {
    CachedFunction1<Integer, Book> f = books(cache);
    byte[] current = framed("{\"title\":\"Old\",\"pages\":1}", Book.class);
    byte[] older = current.clone();
    older[1] = 1; // the format before tag stamps
    byte[] newer = current.clone();
    newer[1] = 3;
    put(backend, "t:book:n1", older);
    put(backend, "t:book:n2", newer);
    put(backend, "t:book:n3", current);

    assertThat(f.apply(1)).isEqualTo(new Book("Book 1", 101));
    assertThat(f.apply(2)).isEqualTo(new Book("Book 2", 102));
    assertThat(f.apply(3)).isEqualTo(new Book("Old", 1)); // the control: this frame is read
    assertThat(computations).hasValue(2);
    assertThat(f.cacheInfo()).isEqualTo(new CacheInfo(0, 3, 1, 2, 128, 3));
  }

  @Test
  void aValueWrittenForAnotherTypeAfterADeployIsAMissNotAClassCastException() {
    TierCache oldDeploy = TierCache.builder().namespace("t").backend("default", backend).build();
    oldDeploy.function("book", String.class).of((Integer id) -> "a title").apply(1);
    CachedFunction1<Integer, Book> newDeploy = books(cache);
    Book book = newDeploy.apply(1);
    assertThat(book).isEqualTo(new Book("Book 1", 101));
    assertThat(newDeploy.l2ErrorCount()).isEqualTo(1);
  }

  /** Counts initializations of {@link Gadget}; kept outside it so reading it does not load it. */
  static final AtomicInteger GADGET_INITIALIZED = new AtomicInteger();

  /** A class whose loading would be visible. */
  public static final class Gadget extends Shape {
    static {
      GADGET_INITIALIZED.incrementAndGet();
    }

    public String command;
  }

  @JsonTypeInfo(use = JsonTypeInfo.Id.CLASS)
  public static class Shape {
    public String name;
  }

  public static final class Circle extends Shape {
    public double radius;
  }

  @Test
  void dataCannotNameAClassToLoadUnlessItsPrefixIsAllowed() {
    CachedFunction1<Integer, Shape> shapes = cache.function("shape", Shape.class).of((Integer id) -> {
      computations.incrementAndGet();
      Circle c = new Circle();
      c.name = "circle " + id;
      c.radius = id;
      return c;
    });
    String hostile = "{\"@class\":\"" + Gadget.class.getName() + "\",\"name\":\"x\",\"command\":\"rm -rf /\"}";
    put(backend, "t:shape:n1", framed(hostile, Shape.class));
    Shape shape = shapes.apply(1);
    assertThat(shape).isInstanceOf(Circle.class);
    assertThat(shape.name).isEqualTo("circle 1");
    assertThat(GADGET_INITIALIZED).hasValue(0);
    assertThat(shapes.l2ErrorCount()).isEqualTo(1);

    // the value written by the computation above is itself class-named: with the default codec it
    // cannot be read back either; an application that wants such types allows their package
    TierCache allowing = TierCache.builder().namespace("t").backend("default", backend)
        .codec(JacksonCodec.allowingClassNamePrefixes(Circle.class.getName())).build();
    CachedFunction1<Integer, Shape> allowed = allowing.function("shape", Shape.class).of((Integer id) -> {
      throw new AssertionError("should be an L2 hit");
    });
    assertThat(allowed.apply(1)).isInstanceOf(Circle.class);
    assertThat(allowed.cacheInfo().l2Hits()).isEqualTo(1);
    assertThat(GADGET_INITIALIZED).hasValue(0);
  }

  /** A backend that fails every operation, as a server that refuses everything would. */
  private static final class FailingBackend implements Backend {
    final AtomicInteger calls = new AtomicInteger();

    private <T> CompletionStage<T> fail() {
      calls.incrementAndGet();
      return CompletableFuture.failedFuture(new IllegalStateException("connection refused"));
    }

    @Override
    public CompletionStage<byte[]> get(String key) {
      return fail();
    }

    @Override
    public CompletionStage<Map<String, byte[]>> getMany(Collection<String> keys) {
      return fail();
    }

    @Override
    public CompletionStage<Void> set(String key, byte[] value, Duration ttl) {
      return fail();
    }

    @Override
    public CompletionStage<Boolean> delete(String key) {
      throw new IllegalStateException("thrown instead of failed");
    }

    @Override
    public CompletionStage<Void> clear() {
      return fail();
    }
  }

  /** A backend that never answers, as a hung server. */
  private static final class HangingBackend implements Backend {
    final Collection<CompletableFuture<?>> pending = new ArrayList<>();

    private synchronized <T> CompletionStage<T> hang() {
      CompletableFuture<T> never = new CompletableFuture<>();
      pending.add(never);
      return never;
    }

    @Override
    public CompletionStage<byte[]> get(String key) {
      return hang();
    }

    @Override
    public CompletionStage<Void> set(String key, byte[] value, Duration ttl) {
      return hang();
    }

    @Override
    public CompletionStage<Boolean> delete(String key) {
      return hang();
    }

    @Override
    public CompletionStage<Void> clear() {
      return hang();
    }
  }

  @Test
  void aFailingBackendNeverReachesTheCaller() {
    FailingBackend failing = new FailingBackend();
    TierCache down = TierCache.builder().backend("default", failing).build();
    CachedFunction1<Integer, Book> f = books(down);
    assertThat(f.apply(1)).isEqualTo(new Book("Book 1", 101));
    assertThat(f.apply(1)).isEqualTo(new Book("Book 1", 101)); // L1 still works
    assertThat(f.invalidate(1)).isTrue(); // L1 held it; the L2 delete failed quietly
    assertThat(f.contains(1)).isFalse();
    assertThat(f.refresh(1)).isEqualTo(new Book("Book 1", 101));
    assertThat(computations).hasValue(2);
    // read + write of the first call, delete, contains' read, refresh's write
    assertThat(f.l2ErrorCount()).isEqualTo(5);
    assertThat(f.cacheInfo()).isEqualTo(new CacheInfo(1, 1, 0, 1, 128, 1));
  }

  @Test
  void aHangingBackendCostsAtMostTheL2TimeoutPerCall() {
    HangingBackend hanging = new HangingBackend();
    TierCache hung = TierCache.builder().backend("default", hanging).l2Timeout(Duration.ofMillis(20)).build();
    CachedFunction1<Integer, Book> f = books(hung);
    assertThat(f.apply(1)).isEqualTo(new Book("Book 1", 101));
    assertThat(f.apply(2)).isEqualTo(new Book("Book 2", 102));
    assertThat(f.l2ErrorCount()).isEqualTo(2); // two timed-out reads; writes are not awaited
    assertThat(f.cacheInfo()).isEqualTo(new CacheInfo(0, 2, 0, 2, 128, 2));
  }
}
