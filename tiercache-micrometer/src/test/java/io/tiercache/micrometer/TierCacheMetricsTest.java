package io.tiercache.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tiercache.CachedFunction1;
import io.tiercache.fixtures.FailingBackend;
import io.tiercache.ManualTimeSource;
import io.tiercache.TierCache;
import io.tiercache.annotation.Cached;
import io.tiercache.backend.Backend;
import io.tiercache.backend.ForwardingBackend;
import io.tiercache.backend.InMemoryBackend;
import io.tiercache.coherence.InvalidationChannel;
import io.tiercache.coherence.InvalidationMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The meters of {@link TierCacheMetrics} and {@link CachedFunctionMetrics}, exactly, on a {@link SimpleMeterRegistry}. */
class TierCacheMetricsTest {
  private final ManualTimeSource time = new ManualTimeSource();
  private final InMemoryBackend shared = InMemoryBackend.builder().timeSource(time).build();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private TierCache process(Backend backend) {
    return TierCache.builder().namespace("shop").backend("default", backend).timeSource(time).build();
  }

  private static CachedFunction1<Integer, String> square(TierCache cache) {
    return cache.function("square", String.class).l1MaxSize(2).of((Integer x) -> "" + x * x);
  }

  private double count(String name, String... tags) {
    return registry.get(name).tags("cache", "square").tags(tags).functionCounter().count();
  }

  private double gauge(String name, String... tags) {
    return registry.get(name).tags(tags).gauge().value();
  }

  @Test
  void functionMetersAreExactAfterAKnownSequenceOfCalls() {
    TierCache a = process(shared);
    CachedFunction1<Integer, String> square = square(a);
    TierCacheMetrics.monitor(registry, a, "app", "bookshop");
    square.apply(1); // L1 miss, L2 miss: computed, put in both layers
    square.apply(1); // L1 hit
    square.apply(2); // computed
    square.apply(3); // computed; L1 (bound 2) evicts its least recent entry, 1
    square(process(shared)).apply(2); // another process: an L2 hit there (not measured here)
    square.apply(1); // evicted from L1 but in L2: an L2 hit, put in L1, evicts 2

    assertThat(count("cache.gets", "result", "hit", "layer", "l1")).isEqualTo(1);
    assertThat(count("cache.gets", "result", "miss", "layer", "l1")).isEqualTo(4);
    assertThat(count("cache.gets", "result", "hit", "layer", "l2")).isEqualTo(1);
    assertThat(count("cache.gets", "result", "miss", "layer", "l2")).isEqualTo(3);
    assertThat(count("cache.puts", "layer", "l1")).isEqualTo(4);
    assertThat(count("cache.puts", "layer", "l2")).isEqualTo(3);
    assertThat(count("cache.evictions", "layer", "l1")).isEqualTo(2);
    assertThat(gauge("cache.size", "cache", "square", "layer", "l1")).isEqualTo(2);
    assertThat(count("tiercache.l2.errors")).isZero();
    assertThat(registry.get("cache.gets").tags("app", "bookshop", "cache.manager", "shop", "name", "square")
        .functionCounters()).hasSize(4);
  }

  @Test
  void countersKeepCountingAfterCacheClearWhileCacheInfoStartsAgain() {
    TierCache a = process(shared);
    CachedFunction1<Integer, String> square = square(a);
    new TierCacheMetrics(a).bindTo(registry);
    square.apply(1);
    square.apply(1);
    square.cacheClear();
    assertThat(square.cacheInfo().l1Hits()).isZero();
    assertThat(count("cache.gets", "result", "hit", "layer", "l1")).isEqualTo(1);
    assertThat(gauge("cache.size", "cache", "square")).isZero();

    square.apply(1); // an L2 hit: L1 was emptied
    assertThat(count("cache.gets", "result", "hit", "layer", "l1")).isEqualTo(1);
    assertThat(count("cache.gets", "result", "miss", "layer", "l1")).isEqualTo(2);
    assertThat(count("cache.gets", "result", "hit", "layer", "l2")).isEqualTo(1);
    assertThat(count("cache.puts", "layer", "l1")).isEqualTo(2);
    assertThat(gauge("cache.size", "cache", "square")).isEqualTo(1);
  }

  @Test
  void l2FailuresAndLeaseOutcomesAreCounted() {
    Backend failing = new FailingBackend(shared, false);
    TierCache down = process(failing);
    CachedFunction1<Integer, String> square = square(down);
    TierCache up = TierCache.builder().namespace("leased").backend("default", shared).timeSource(time).build();
    CachedFunction1<Integer, String> leased = up.function("square", String.class).lease(Duration.ofSeconds(1))
        .of((Integer x) -> "" + x * x);
    new TierCacheMetrics(down).bindTo(registry);
    new TierCacheMetrics(up).bindTo(registry);

    square.apply(1); // the read fails: one error; computed (the write succeeds)
    square.apply(2);
    leased.apply(1); // an L2 miss that takes the lease at once
    leased.apply(2);
    leased.cacheClear(); // leaseStats() starts again; the meters do not
    leased.apply(3);

    assertThat(registry.get("tiercache.l2.errors").tags("cache.manager", "shop").functionCounter().count())
        .isEqualTo(2);
    assertThat(registry.get("tiercache.l2.errors").tags("cache.manager", "leased").functionCounter().count())
        .isZero();
    assertThat(lease("lead")).isEqualTo(3);
    for (String outcome : List.of("wait", "wait_hit", "takeover", "timeout", "failure")) {
      assertThat(lease(outcome)).as(outcome).isZero();
    }
    assertThat(leased.leaseStats().leads()).isEqualTo(1);
    assertThat(registry.get("tiercache.lease").tags("cache.manager", "shop").functionCounters()).hasSize(6);
  }

  private double lease(String outcome) {
    return registry.get("tiercache.lease").tags("cache.manager", "leased", "outcome", outcome)
        .functionCounter().count();
  }

  /** A cached service. */
  public interface Catalog {
    /**
     * The title of a book.
     *
     * @param id the book
     * @return its title
     */
    @Cached(name = "title")
    String title(int id);
  }

  @Test
  void theMetersAreNamedAndTaggedAsDocumented() {
    TierCache cache = TierCache.builder().namespace("shop").backend("default", new Lossy(shared))
        .timeSource(time).build();
    cache.proxy(Catalog.class, id -> "book " + id); // a @Cached method is a function too
    new TierCacheMetrics(cache, "cacheManager", Tags.of("app", "bookshop")).bindTo(registry);

    String[] function = {"app", "bookshop", "cache", "title", "cache.manager", "cacheManager", "name", "title"};
    String[] manager = {"app", "bookshop", "cache.manager", "cacheManager"};
    assertThat(ids()).containsExactlyInAnyOrder(
        expected("cache.gets COUNTER", function, "layer", "l1", "result", "hit"),
        expected("cache.gets COUNTER", function, "layer", "l1", "result", "miss"),
        expected("cache.gets COUNTER", function, "layer", "l2", "result", "hit"),
        expected("cache.gets COUNTER", function, "layer", "l2", "result", "miss"),
        expected("cache.puts COUNTER", function, "layer", "l1"),
        expected("cache.puts COUNTER", function, "layer", "l2"),
        expected("cache.evictions COUNTER", function, "layer", "l1"),
        expected("cache.size GAUGE", function, "layer", "l1"),
        expected("tiercache.l2.errors COUNTER", function),
        expected("tiercache.lease COUNTER", function, "outcome", "lead"),
        expected("tiercache.lease COUNTER", function, "outcome", "wait"),
        expected("tiercache.lease COUNTER", function, "outcome", "wait_hit"),
        expected("tiercache.lease COUNTER", function, "outcome", "takeover"),
        expected("tiercache.lease COUNTER", function, "outcome", "timeout"),
        expected("tiercache.lease COUNTER", function, "outcome", "failure"),
        expected("tiercache.coherence.published COUNTER", manager),
        expected("tiercache.coherence.publish.failures COUNTER", manager),
        expected("tiercache.coherence.received COUNTER", manager),
        expected("tiercache.coherence.entries.dropped COUNTER", manager),
        expected("tiercache.coherence.flushes COUNTER", manager),
        expected("tiercache.coherence.delivering GAUGE", manager),
        expected("tiercache.coherence.staleness.bound GAUGE", manager));
    assertThat(registry.get("tiercache.coherence.staleness.bound").timeGauge().baseTimeUnit())
        .isEqualTo(TimeUnit.SECONDS);
  }

  private List<String> ids() {
    return registry.getMeters().stream().map(TierCacheMetricsTest::id).collect(Collectors.toList());
  }

  /** A meter as {@code name TYPE [k=v, ...]}, its tags in Micrometer's order (by key). */
  private static String id(Meter meter) {
    List<String> tags = new ArrayList<>();
    meter.getId().getTags().forEach(tag -> tags.add(tag.getKey() + "=" + tag.getValue()));
    return meter.getId().getName() + " " + meter.getId().getType() + " " + tags;
  }

  private static String expected(String nameAndType, String[] base, String... tags) {
    List<String> sorted = new ArrayList<>();
    Tags.of(base).and(tags).forEach(tag -> sorted.add(tag.getKey() + "=" + tag.getValue()));
    return nameAndType + " " + sorted;
  }

  @Test
  void coherenceMetersFollowTheChannel() {
    Lossy backend = new Lossy(shared);
    TierCache a = TierCache.builder().namespace("shop").backend("default", backend).timeSource(time).build();
    TierCache b = TierCache.builder().namespace("shop").backend("default", backend).timeSource(time).build();
    CachedFunction1<Integer, String> squareA = square(a);
    CachedFunction1<Integer, String> squareB = square(b);
    new TierCacheMetrics(a, "a", Tags.empty()).bindTo(registry);
    new TierCacheMetrics(b, "b", Tags.empty()).bindTo(registry);
    squareA.apply(1);
    squareB.apply(1); // an L2 hit in b, now in b's L1
    squareA.invalidate(1); // published by a, received by b, which drops its copy

    assertThat(coherence("tiercache.coherence.published", "a")).isEqualTo(1);
    assertThat(coherence("tiercache.coherence.received", "b")).isEqualTo(1);
    assertThat(coherence("tiercache.coherence.entries.dropped", "b")).isEqualTo(1);
    assertThat(coherence("tiercache.coherence.received", "a")).isZero();
    assertThat(coherence("tiercache.coherence.publish.failures", "a")).isZero();
    assertThat(registry.get("tiercache.coherence.staleness.bound").tag("cache.manager", "a").timeGauge()
        .value(TimeUnit.MILLISECONDS)).isEqualTo(2_000);
    assertThat(gauge("tiercache.coherence.delivering", "cache.manager", "b")).isEqualTo(1);
    assertThat(coherence("tiercache.coherence.flushes", "b")).isZero();

    backend.channel.lose("test: subscription lost");
    assertThat(gauge("tiercache.coherence.delivering", "cache.manager", "b")).isZero();
    assertThat(coherence("tiercache.coherence.flushes", "b")).isEqualTo(1);
    assertThat(coherence("tiercache.coherence.flushes", "a")).isEqualTo(1);
  }

  private double coherence(String name, String manager) {
    return registry.get(name).tag("cache.manager", manager).functionCounter().count();
  }

  @Test
  void aTierCacheWithoutChannelHasNoCoherenceMetersAndLateFunctionsBindThemselves() {
    TierCache local = TierCache.builder().namespace("local").timeSource(time).build(); // no L2
    new TierCacheMetrics(local).bindTo(registry);
    assertThat(registry.getMeters()).isEmpty();

    CachedFunction1<Integer, String> late = square(local);
    new CachedFunctionMetrics(late, "local", Tags.empty()).bindTo(registry);
    late.apply(1);
    late.apply(1);
    assertThat(count("cache.gets", "result", "hit", "layer", "l1", "cache.manager", "local")).isEqualTo(1);
    assertThat(count("cache.gets", "result", "miss", "layer", "l2")).isEqualTo(1);
    assertThat(count("cache.puts", "layer", "l2")).isZero(); // no L2 to write to
    assertThat(registry.getMeters()).hasSize(15);
  }

  @Test
  void badArgumentsAreRefusedAtOnceNamingWhatIsWrong() {
    TierCache cache = process(shared);
    assertThatThrownBy(() -> new TierCacheMetrics(cache, " ", Tags.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cacheManager must not be blank: it is the cache.manager tag");
    assertThatThrownBy(() -> new TierCacheMetrics(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("cache");
    assertThatThrownBy(() -> new CachedFunctionMetrics(square(cache), "shop", null))
        .isInstanceOf(NullPointerException.class).hasMessage("tags");
    assertThatThrownBy(() -> TierCacheMetrics.monitor(registry, cache, "odd"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** The embedded store with a channel whose bound is 2 s and that the test can make lose its subscriptions. */
  private static final class Lossy extends ForwardingBackend {
    final LossyChannel channel;

    Lossy(InMemoryBackend delegate) {
      super(delegate);
      this.channel = new LossyChannel(delegate.invalidationChannel("shop").orElseThrow());
    }

    @Override
    public Optional<InvalidationChannel> invalidationChannel(String namespace) {
      return Optional.of(channel);
    }
  }

  private static final class LossyChannel implements InvalidationChannel {
    private final InvalidationChannel inner;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    LossyChannel(InvalidationChannel inner) {
      this.inner = inner;
    }

    @Override
    public Subscription subscribe(Listener listener) {
      listeners.add(listener);
      Subscription subscription = inner.subscribe(listener);
      return new Subscription() {
        @Override
        public CompletionStage<Void> publish(InvalidationMessage message) {
          return subscription.publish(message);
        }

        @Override
        public boolean isDelivering() {
          return subscription.isDelivering();
        }

        @Override
        public void close() {
          subscription.close();
        }
      };
    }

    @Override
    public Duration stalenessBound() {
      return Duration.ofSeconds(2);
    }

    void lose(String reason) {
      listeners.forEach(listener -> listener.onLoss(reason));
    }
  }
}
