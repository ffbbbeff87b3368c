package io.tiercache.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.CacheInfo;
import io.tiercache.TierCache;
import io.tiercache.annotation.Cached;
import io.tiercache.backend.InMemoryBackend;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * {@link EnableTierCache}: beans with tiercache's {@code @Cached} methods are proxied by
 * {@code TierCache.proxy} without user code; a class by a subclass, an interface by a JDK proxy.
 */
class EnableTierCacheTest {

  /** A bean whose own class has a cached method: proxied by a subclass, injectable by its class. */
  public static class Quotes {
    private final AtomicInteger computations = new AtomicInteger();

    @Cached(name = "quote")
    public String quote(String sku) {
      return sku + "-" + computations.incrementAndGet();
    }

    public int computations() {
      return computations.get();
    }
  }

  /** An interface with a cached method: its beans are proxied by a JDK proxy of it. */
  public interface Rates {
    @Cached(name = "rate")
    String rate(String currency);

    int computations();
  }

  /** The implementation, with no annotation of its own. */
  public static class FixedRates implements Rates {
    private final AtomicInteger computations = new AtomicInteger();

    @Override
    public String rate(String currency) {
      return currency + "-" + computations.incrementAndGet();
    }

    @Override
    public int computations() {
      return computations.get();
    }
  }

  /** A bean with nothing cached: left as it is. */
  public static class Plain {}

  /** The context's {@code TierCache}, on the embedded L2. */
  @Configuration(proxyBeanMethods = false)
  @EnableTierCache
  static class WithTierCache {
    @Bean
    TierCache tierCache() {
      return TierCache.builder().backend("default", InMemoryBackend.create()).build();
    }
  }

  @Configuration(proxyBeanMethods = false)
  @Import(WithTierCache.class)
  static class App {
    @Bean
    Quotes quotes() {
      return new Quotes();
    }

    @Bean
    Rates rates() {
      return new FixedRates();
    }

    @Bean
    Plain plain() {
      return new Plain();
    }
  }

  /** A second interface with a cached method. */
  public interface Fees {
    @Cached(name = "fee")
    String fee(String kind);
  }

  /** A bean with cached methods in two interfaces: which one to proxy is not for us to guess. */
  public static class RatesAndFees extends FixedRates implements Fees {
    @Override
    public String fee(String kind) {
      return kind;
    }
  }

  @Configuration(proxyBeanMethods = false)
  @Import(WithTierCache.class)
  static class Ambiguous {
    @Bean
    RatesAndFees ratesAndFees() {
      return new RatesAndFees();
    }
  }

  @Test
  void cachedMethodsOfBeansAreServedByTierCache() {
    try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext(App.class)) {
      Quotes quotes = context.getBean(Quotes.class);
      Rates rates = context.getBean(Rates.class);
      assertThat(quotes.quote("a")).isEqualTo("a-1");
      assertThat(quotes.quote("a")).isEqualTo("a-1");
      assertThat(rates.rate("EUR")).isEqualTo("EUR-1");
      assertThat(rates.rate("EUR")).isEqualTo("EUR-1");

      assertThat(quotes.computations()).isEqualTo(1);
      assertThat(rates.computations()).isEqualTo(1);
      assertThat(quotes.getClass()).isNotEqualTo(Quotes.class);
      assertThat(context.getBean(Plain.class).getClass()).isEqualTo(Plain.class);
      TierCache tierCache = context.getBean(TierCache.class);
      assertThat(tierCache.method(Quotes.class, "quote", String.class).cacheInfo())
          .isEqualTo(new CacheInfo(1, 1, 0, 1, 128, 1));
      assertThat(tierCache.method(Rates.class, "rate", String.class).cacheInfo())
          .isEqualTo(new CacheInfo(1, 1, 0, 1, 128, 1));
    }
  }

  @Test
  void cachedMethodsInTwoInterfacesFailTheBeanNamingBoth() {
    assertThatThrownBy(() -> new AnnotationConfigApplicationContext(Ambiguous.class))
        .isInstanceOf(BeanCreationException.class)
        .hasMessageContaining("Error creating bean with name 'ratesAndFees'")
        .hasMessageContaining(RatesAndFees.class.getName() + " has @Cached methods in several interfaces [")
        .hasMessageContaining(Rates.class.getName())
        .hasMessageContaining(Fees.class.getName());
  }
}
