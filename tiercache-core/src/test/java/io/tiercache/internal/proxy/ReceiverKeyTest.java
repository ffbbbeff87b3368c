package io.tiercache.internal.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.CacheInfo;
import io.tiercache.CachedFunctionN;
import io.tiercache.TierCache;
import io.tiercache.annotation.CacheDefaults;
import io.tiercache.annotation.Cached;
import io.tiercache.annotation.CallInfo;
import io.tiercache.annotation.KeyFunction;
import io.tiercache.backend.InMemoryBackend;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 12, case 9: when an entry's key reads the receiver ({@code keyParams = {"this.tenant"}},
 * a key or prefix template over {@code {this...}}, a {@link KeyFunction} given the receiver), L1
 * keeps receivers apart exactly as the L2 key does, so one tenant's value is never served to
 * another from L1; a key function whose receiver reads cannot be seen is refused when the proxy is
 * made unless {@code instanceKey} says what it reads.
 */
class ReceiverKeyTest {

  /** The layers under test: the embedded L2, and L1 alone (a TierCache without backends). */
  enum Layers {
    EMBEDDED(builder -> builder.backend("default", InMemoryBackend.create())),
    L1_ONLY(builder -> builder);

    final Function<TierCache.Builder, TierCache.Builder> setup;

    Layers(Function<TierCache.Builder, TierCache.Builder> setup) {
      this.setup = setup;
    }

    TierCache newCache() {
      return setup.apply(TierCache.builder().namespace("rk")).build();
    }
  }

  /** A tenant's repository; every computation is counted per receiver. */
  public interface Repo {
    String getTenant();

    String getRegion();

    @Cached(keyParams = {"this.tenant", "id"})
    String byParams(String id);

    @Cached(key = "item:{this.tenant}:{id}")
    String byTemplate(String id);

    /** The declared instance key names the region, the key reads the tenant as well. */
    @Cached(key = "item:{this.tenant}:{id}", instanceKey = "{this.region}")
    String byTemplateAndRegion(String id);

    @Cached(keyFunction = TenantKey.class, instanceKey = "{this.tenant}")
    String byFunction(String id);

    @Cached(keyParams = {"this.tenant", "id"})
    CompletableFuture<String> byParamsAsync(String id);
  }

  /** Reads the tenant off the receiver, as {@code instanceKey = "{this.tenant}"} declares. */
  public static final class TenantKey implements KeyFunction {
    @Override
    public String key(CallInfo call) {
      return "fn:" + ((Repo) call.receiver()).getTenant() + ":" + call.arg(0);
    }
  }

  public static final class TenantRepo implements Repo {
    final String tenant;
    final String region;
    final AtomicInteger computations = new AtomicInteger();

    TenantRepo(String tenant, String region) {
      this.tenant = tenant;
      this.region = region;
    }

    @Override
    public String getTenant() {
      return tenant;
    }

    @Override
    public String getRegion() {
      return region;
    }

    private String value(String id) {
      computations.incrementAndGet();
      return tenant + "/" + id;
    }

    @Override
    public String byParams(String id) {
      return value(id);
    }

    @Override
    public String byTemplate(String id) {
      return value(id);
    }

    @Override
    public String byTemplateAndRegion(String id) {
      return value(id);
    }

    @Override
    public String byFunction(String id) {
      return value(id);
    }

    @Override
    public CompletableFuture<String> byParamsAsync(String id) {
      return CompletableFuture.completedFuture(value(id));
    }
  }

  /** Calls one method of a {@link Repo} proxy. */
  interface Call {
    String on(Repo repo, String id);
  }

  private final TenantRepo annTarget = new TenantRepo("ann", "eu");
  private final TenantRepo bobTarget = new TenantRepo("bob", "eu");

  /**
   * Ann then Bob, twice each, same arguments: each computes once and then hits its own entry; the
   * statistics count 2 L1 hits, 2 L1 misses, 2 L2 misses (without an L2, each computation counts
   * as one) and 2 entries.
   */
  private void assertKeptApart(TierCache cache, Call call, String methodName) {
    Repo ann = cache.proxy(Repo.class, annTarget);
    Repo bob = cache.proxy(Repo.class, bobTarget);
    assertThat(call.on(ann, "1")).isEqualTo("ann/1");
    assertThat(call.on(bob, "1")).isEqualTo("bob/1");
    assertThat(call.on(ann, "1")).isEqualTo("ann/1");
    assertThat(call.on(bob, "1")).isEqualTo("bob/1");
    assertThat(annTarget.computations).hasValue(1);
    assertThat(bobTarget.computations).hasValue(1);
    CachedFunctionN<String> handle = cache.method(Repo.class, methodName, String.class);
    assertThat(handle.cacheInfo()).isEqualTo(new CacheInfo(2, 2, 0, 2, 128, 2));
  }

  @ParameterizedTest
  @EnumSource(Layers.class)
  void keyParamsReadingTheReceiverKeepReceiversApart(Layers layers) {
    try (TierCache cache = layers.newCache()) {
      assertKeptApart(cache, Repo::byParams, "byParams");
    }
  }

  @ParameterizedTest
  @EnumSource(Layers.class)
  void aKeyTemplateReadingTheReceiverKeepsReceiversApart(Layers layers) {
    try (TierCache cache = layers.newCache()) {
      assertKeptApart(cache, Repo::byTemplate, "byTemplate");
    }
  }

  @ParameterizedTest
  @EnumSource(Layers.class)
  void whatTheKeyReadsOfTheReceiverIsAddedToADeclaredInstanceKey(Layers layers) {
    // Ann and Bob share a region, the declared instance key; their keys differ by tenant
    try (TierCache cache = layers.newCache()) {
      assertKeptApart(cache, Repo::byTemplateAndRegion, "byTemplateAndRegion");
    }
  }

  @ParameterizedTest
  @EnumSource(Layers.class)
  void aKeyFunctionReadingTheReceiverKeepsReceiversApartByItsInstanceKey(Layers layers) {
    try (TierCache cache = layers.newCache()) {
      assertKeptApart(cache, Repo::byFunction, "byFunction");
    }
  }

  @ParameterizedTest
  @EnumSource(Layers.class)
  void anAsyncMethodWithKeyParamsReadingTheReceiverKeepsReceiversApart(Layers layers) throws Exception {
    try (TierCache cache = layers.newCache()) {
      Repo ann = cache.proxy(Repo.class, annTarget);
      Repo bob = cache.proxy(Repo.class, bobTarget);
      assertThat(ann.byParamsAsync("1").get(10, TimeUnit.SECONDS)).isEqualTo("ann/1");
      assertThat(bob.byParamsAsync("1").get(10, TimeUnit.SECONDS)).isEqualTo("bob/1");
      assertThat(ann.byParamsAsync("1").get(10, TimeUnit.SECONDS)).isEqualTo("ann/1");
      assertThat(bob.byParamsAsync("1").get(10, TimeUnit.SECONDS)).isEqualTo("bob/1");
      assertThat(annTarget.computations).hasValue(1);
      assertThat(bobTarget.computations).hasValue(1);
      assertThat(cache.asyncMethod(Repo.class, "byParamsAsync", String.class).cacheInfo())
          .isEqualTo(new CacheInfo(2, 2, 0, 2, 128, 2));
    }
  }

  @ParameterizedTest
  @EnumSource(Layers.class)
  void invalidatingOneReceiversEntryLeavesTheOthers(Layers layers) {
    try (TierCache cache = layers.newCache()) {
      Repo ann = cache.proxy(Repo.class, annTarget);
      Repo bob = cache.proxy(Repo.class, bobTarget);
      ann.byParams("1");
      bob.byParams("1");
      CachedFunctionN<String> handle = cache.method(Repo.class, "byParams", String.class);
      // the receiver passed to the handle is any object with the same tenant
      assertThat(handle.invalidate(new TenantRepo("ann", "us"), "1")).isTrue();
      assertThat(handle.contains(annTarget, "1")).isFalse();
      assertThat(handle.contains(bobTarget, "1")).isTrue();
      assertThat(bob.byParams("1")).isEqualTo("bob/1");
      assertThat(ann.byParams("1")).isEqualTo("ann/1");
      assertThat(annTarget.computations).hasValue(2);
      assertThat(bobTarget.computations).hasValue(1);
      assertThat(handle.cacheInfo()).isEqualTo(new CacheInfo(1, 3, 0, 3, 128, 2));
    }
  }

  @Test
  void twoProcessesSharingAnL2KeepTheirTenantsApart() {
    InMemoryBackend l2 = InMemoryBackend.create();
    try (TierCache processA = TierCache.builder().namespace("rk").backend("default", l2).build();
        TierCache processB = TierCache.builder().namespace("rk").backend("default", l2).build()) {
      Repo annInA = processA.proxy(Repo.class, annTarget);
      Repo bobInA = processA.proxy(Repo.class, bobTarget);
      Repo bobInB = processB.proxy(Repo.class, new TenantRepo("bob", "eu"));
      assertThat(annInA.byParams("1")).isEqualTo("ann/1");
      assertThat(bobInB.byParams("1")).isEqualTo("bob/1"); // computed in B, stored under bob's key
      assertThat(bobInA.byParams("1")).isEqualTo("bob/1"); // A reads it from L2, not ann's L1 entry
      assertThat(annTarget.computations).hasValue(1);
      assertThat(bobTarget.computations).hasValue(0);
      assertThat(processA.method(Repo.class, "byParams", String.class).cacheInfo())
          .isEqualTo(new CacheInfo(0, 2, 1, 1, 128, 2));
    }
  }

  /** A key with literal braces around "this": text, not the receiver. */
  public interface LiteralBraces {
    String getTenant();

    @Cached(key = "{{this}}:{id}")
    String find(String id);
  }

  @Test
  void literalBracesAroundThisAreTextAndDoNotReadTheReceiver() {
    AtomicInteger computations = new AtomicInteger();
    try (TierCache cache = Layers.EMBEDDED.newCache()) {
      LiteralBraces ann = cache.proxy(LiteralBraces.class, new LiteralBraces() {
        @Override
        public String getTenant() {
          return "ann";
        }

        @Override
        public String find(String id) {
          return counted(computations, id);
        }
      });
      LiteralBraces bob = cache.proxy(LiteralBraces.class, new LiteralBraces() {
        @Override
        public String getTenant() {
          return "bob";
        }

        @Override
        public String find(String id) {
          return counted(computations, id);
        }
      });
      // one key for every receiver, so one entry: L1 shares it as L2 does
      assertThat(ann.find("1")).isEqualTo("v1");
      assertThat(bob.find("1")).isEqualTo("v1");
      assertThat(computations).hasValue(1);
      assertThat(cache.method(LiteralBraces.class, "find", String.class).cacheInfo())
          .isEqualTo(new CacheInfo(1, 1, 0, 1, 128, 1));
    }
  }

  /** A key function that may read the receiver, with nothing saying what it reads. */
  public interface Unkeyed {
    @Cached(keyFunction = TenantKey.class)
    String find(String id);
  }

  /** The same key function, the receiver declared to play no part in its key. */
  public interface SharedByDeclaration {
    @Cached(keyFunction = ArgKey.class, instanceKey = Cached.SHARED_RECEIVERS)
    String find(String id);
  }

  /** The class's default instance key covers the key function. */
  @CacheDefaults(instanceKey = Cached.SHARED_RECEIVERS)
  public interface SharedByDefault {
    @Cached(keyFunction = ArgKey.class)
    String find(String id);
  }

  /** Reads only the argument. */
  public static final class ArgKey implements KeyFunction {
    @Override
    public String key(CallInfo call) {
      return "arg:" + call.arg(0);
    }
  }

  @Test
  void aKeyFunctionWithoutAnInstanceKeyIsRefusedWhenTheProxyIsMade() {
    try (TierCache cache = Layers.EMBEDDED.newCache()) {
      assertThatThrownBy(() -> cache.proxy(Unkeyed.class, id -> id))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("io.tiercache.internal.proxy.ReceiverKeyTest$Unkeyed.find(String): keyFunction "
              + "io.tiercache.internal.proxy.ReceiverKeyTest$TenantKey is given the receiver, and L1 cannot see what"
              + " it reads of it; declare instanceKey with what it reads, e.g. instanceKey ="
              + " \"{this.tenant}\", or instanceKey = Cached.SHARED_RECEIVERS if the key does not"
              + " depend on the receiver");
      assertThatThrownBy(() -> cache.method(Unkeyed.class, "find", String.class))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("declare instanceKey");
    }
  }

  @Test
  void aKeyFunctionDeclaredNotToReadTheReceiverSharesEntriesAcrossReceivers() {
    AtomicInteger computations = new AtomicInteger();
    try (TierCache cache = Layers.EMBEDDED.newCache()) {
      SharedByDeclaration one = cache.proxy(SharedByDeclaration.class, id -> counted(computations, id));
      SharedByDeclaration two = cache.proxy(SharedByDeclaration.class, id -> counted(computations, id));
      assertThat(one.find("1")).isEqualTo("v1");
      assertThat(two.find("1")).isEqualTo("v1"); // the same entry: an L1 hit
      assertThat(computations).hasValue(1);
      assertThat(cache.method(SharedByDeclaration.class, "find", String.class).cacheInfo())
          .isEqualTo(new CacheInfo(1, 1, 0, 1, 128, 1));
    }
  }

  @Test
  void aClassDefaultInstanceKeyCoversAKeyFunction() {
    AtomicInteger computations = new AtomicInteger();
    try (TierCache cache = Layers.EMBEDDED.newCache()) {
      SharedByDefault one = cache.proxy(SharedByDefault.class, id -> counted(computations, id));
      SharedByDefault two = cache.proxy(SharedByDefault.class, id -> counted(computations, id));
      assertThat(one.find("1")).isEqualTo("v1");
      assertThat(two.find("1")).isEqualTo("v1");
      assertThat(computations).hasValue(1);
      assertThat(cache.method(SharedByDefault.class, "find", String.class).cacheInfo())
          .isEqualTo(new CacheInfo(1, 1, 0, 1, 128, 1));
    }
  }

  private static String counted(AtomicInteger computations, String id) {
    computations.incrementAndGet();
    return "v" + id;
  }
}
