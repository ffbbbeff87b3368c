package io.tiercache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.backend.InMemoryBackend;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Bad input fails early, with a message that names what is wrong. */
class ValidationTest {
  private final InMemoryBackend backend = InMemoryBackend.create();
  private final TierCache cache = TierCache.builder().backend("default", backend).build();

  @Test
  void negativeL1SizeIsRefusedWhenSet() {
    assertThatThrownBy(() -> cache.function("f", Integer.class).l1MaxSize(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("l1MaxSize of 'f'").hasMessageContaining("-1")
        .hasMessageContaining("l1Unbounded()");
  }

  @Test
  void jitterWithoutTtlOrNegativeTtlIsRefusedWhenBuilt() {
    assertThatThrownBy(() -> cache.function("f", Integer.class).jitter(Duration.ofSeconds(1))
        .of((Integer x) -> x))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cached function 'f'").hasMessageContaining("needs a ttl");
    assertThatThrownBy(() -> cache.function("g", Integer.class).ttl(Duration.ofSeconds(-1))
        .of((Integer x) -> x))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ttl must be positive");
    assertThatThrownBy(() -> cache.function("h", Integer.class).ttl(Duration.ofSeconds(1))
        .jitter(Duration.ofSeconds(-1)).of((Integer x) -> x))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jitter must not be negative");
  }

  @Test
  void unknownBackendAliasNamesTheAliasAndTheConfiguredOnes() {
    assertThatThrownBy(() -> cache.function("f", Integer.class).backend("redis").of((Integer x) -> x))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'redis'").hasMessageContaining("[default]");
  }

  @Test
  void functionNamesAreUniqueAndSafe() {
    cache.function("f", Integer.class).of((Integer x) -> x);
    assertThatThrownBy(() -> cache.function("f", Integer.class).of((Integer x) -> x))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("'f' already exists");
    assertThatThrownBy(() -> cache.function("has space", Integer.class))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'has space'");
    assertThatThrownBy(() -> TierCache.builder().namespace("a:b"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("namespace 'a:b'");
    assertThatThrownBy(() -> TierCache.builder().backend("default", backend).backend("default", backend))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'default' is already");
  }

  @Test
  void anArgumentWithNoStableEncodingFailsBeforeAnythingIsComputedOrStored() {
    AtomicInteger computations = new AtomicInteger();
    CachedFunction1<Object, Integer> f = cache.function("f", Integer.class).of((Object x) -> {
      computations.incrementAndGet();
      return 1;
    });
    Object opaque = new Object();
    assertThatThrownBy(() -> f.apply(opaque))
        .isInstanceOf(UnencodableArgumentException.class)
        .hasMessageContaining("argument 0 of cached function 'f'")
        .hasMessageContaining("java.lang.Object")
        .satisfies(e -> assertThat(((UnencodableArgumentException) e).argumentType()).isEqualTo(Object.class));
    assertThatThrownBy(() -> f.apply(java.util.List.of(1, new StringBuilder("mutable"))))
        .isInstanceOf(UnencodableArgumentException.class).hasMessageContaining("java.lang.StringBuilder");
    assertThat(computations).hasValue(0);
    assertThat(backend.estimatedSize()).isZero();
    assertThat(f.cacheInfo().l1CurrSize()).isZero();
  }

  @Test
  void l1OnlyFunctionsCheckArgumentsToo() {
    CachedFunction1<Object, Integer> f = cache.function("f", Integer.class).l1Only().of((Object x) -> 1);
    assertThatThrownBy(() -> f.apply(new Object())).isInstanceOf(UnencodableArgumentException.class);
  }

  record Money(String currency, long cents) {}

  static final class Sku {
    final String code;

    Sku(String code) {
      this.code = code;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Sku s && s.code.equals(code);
    }

    @Override
    public int hashCode() {
      return code.hashCode();
    }
  }

  @Test
  void aRegisteredKeyEncoderMakesATypeUsable() {
    TierCache withEncoder = TierCache.builder().backend("default", backend)
        .keyEncoder(Sku.class, sku -> sku.code).build();
    AtomicInteger computations = new AtomicInteger();
    CachedFunction2<Sku, Money, String> f = withEncoder.function("price", String.class)
        .of((Sku sku, Money m) -> sku.code + computations.incrementAndGet() + m.currency());
    assertThat(f.apply(new Sku("A-1"), new Money("EUR", 100))).isEqualTo("A-11EUR");
    assertThat(f.apply(new Sku("A-1"), new Money("EUR", 100))).isEqualTo("A-11EUR");
    f.cacheClear();
    assertThat(f.apply(new Sku("A-1"), new Money("EUR", 100))).isEqualTo("A-11EUR"); // from L2
    assertThat(computations).hasValue(1);
  }

  static final class User {
    final String id;

    User(String id) {
      this.id = id;
    }

    String greet(String greeting) {
      return greeting + ", " + id;
    }
  }

  @Test
  void instanceKeyChecksTheReceiver() {
    CachedFunction2<Object, String, String> f = cache.function("greet", String.class)
        .instanceKey(User.class, (User u) -> u.id)
        .of((Object u, String g) -> ((User) u).greet(g));
    assertThat(f.apply(new User("ann"), "hi")).isEqualTo("hi, ann");
    assertThatThrownBy(() -> f.apply("not a user", "hi"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(User.class.getName()).hasMessageContaining("java.lang.String");
    assertThatThrownBy(() -> f.apply(new User(null), "hi"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("instance key");
    assertThatThrownBy(() -> cache.function("none", String.class).instanceKey(User.class, (User u) -> u.id)
        .of(() -> "x"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no receiver");
  }

  @Test
  void theGenericFormChecksTheNumberOfArguments() {
    CachedFunctionN<Integer> f = cache.function("sum", Integer.class)
        .ofArgs(2, args -> (Integer) args[0] + (Integer) args[1]);
    assertThat(f.arity()).isEqualTo(2);
    assertThatThrownBy(() -> f.call(1, 2, 3))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("takes 2 arguments, got 3");
  }

  @Test
  void aGenericValueTypeNeedsATypeArgument() {
    @SuppressWarnings("rawtypes")
    class Raw extends ValueType {}
    assertThatThrownBy(Raw::new).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("new ValueType<YourType>() {}");
    assertThat(ValueType.of(int.class).rawClass()).isEqualTo(Integer.class);
  }
}
