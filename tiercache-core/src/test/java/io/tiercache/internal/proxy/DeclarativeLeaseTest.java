package io.tiercache.internal.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.TierCache;
import io.tiercache.annotation.CacheDefaults;
import io.tiercache.annotation.Cached;
import io.tiercache.backend.ForwardingBackend;
import io.tiercache.backend.InMemoryBackend;
import io.tiercache.lease.LeaseStats;
import org.junit.jupiter.api.Test;

/** {@code @Cached(lease = ...)} and {@code @CacheDefaults(lease = ...)}. */
class DeclarativeLeaseTest {
  private final TierCache cache = TierCache.builder().namespace("store")
      .backend("default", InMemoryBackend.create()).backend("plain", new PlainBackend()).build();

  @CacheDefaults(lease = "1s")
  public interface Reports {
    @Cached(lease = "200ms", leaseTtl = "2s")
    String daily(String day);

    @Cached
    String weekly(String week);

    @Cached(lease = "none")
    String monthly(String month);
  }

  public static class SlowReports implements Reports {
    @Override
    public String daily(String day) {
      return "daily " + day;
    }

    @Override
    public String weekly(String week) {
      return "weekly " + week;
    }

    @Override
    public String monthly(String month) {
      return "monthly " + month;
    }
  }

  @Test
  void aMethodLeaseAndAnInheritedOneAreUsedAndNoneTurnsItOff() {
    Reports reports = cache.proxy(Reports.class, new SlowReports());
    assertThat(reports.daily("mon")).isEqualTo("daily mon");
    assertThat(reports.weekly("w1")).isEqualTo("weekly w1");
    assertThat(reports.monthly("jan")).isEqualTo("monthly jan");

    assertThat(cache.method(Reports.class, "daily", String.class).leaseStats())
        .isEqualTo(new LeaseStats(1, 0, 0, 0, 0, 0));
    assertThat(cache.method(Reports.class, "weekly", String.class).leaseStats())
        .isEqualTo(new LeaseStats(1, 0, 0, 0, 0, 0));
    assertThat(cache.method(Reports.class, "monthly", String.class).leaseStats()).isEqualTo(LeaseStats.NONE);
  }

  public interface TtlWithoutLease {
    @Cached(leaseTtl = "2s")
    String f(String a);
  }

  public interface TtlShorterThanWait {
    @Cached(lease = "2s", leaseTtl = "1s")
    String f(String a);
  }

  public interface NotADuration {
    @Cached(lease = "soon")
    String f(String a);
  }

  public interface OnAPlainBackend {
    @Cached(lease = "200ms", backend = "plain")
    String f(String a);
  }

  @Test
  void wrongLeasesFailWhenTheProxyIsMadeNamingMethodAndAttribute() {
    String where = DeclarativeLeaseTest.class.getName() + "$";
    assertThatThrownBy(() -> cache.proxy(TtlWithoutLease.class, a -> a))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(where + "TtlWithoutLease.f(String): leaseTtl '2s' needs a lease (the wait),"
            + " e.g. lease = \"200ms\"");
    assertThatThrownBy(() -> cache.proxy(TtlShorterThanWait.class, a -> a))
        .hasMessage(where + "TtlShorterThanWait.f(String): cached function 'TtlShorterThanWait.f': lease ttl"
            + " (PT1S) must not be shorter than the lease wait (PT2S): the lease must outlast the time others"
            + " wait for its holder");
    assertThatThrownBy(() -> cache.proxy(NotADuration.class, a -> a))
        .hasMessageStartingWith(where + "NotADuration.f(String) lease: 'soon' is not a duration");
    assertThatThrownBy(() -> cache.proxy(OnAPlainBackend.class, a -> a))
        .hasMessageContaining("cached function 'OnAPlainBackend.f': lease needs a backend that offers leases,"
            + " but backend 'plain' (PlainBackend) does not implement io.tiercache.backend.LeasingBackend");
  }

  /** A backend without leases (nor an invalidation channel), named as itself in messages. */
  static final class PlainBackend extends ForwardingBackend {
    PlainBackend() {
      super(InMemoryBackend.builder().coherence(false).build());
    }

    @Override
    public String describe() {
      return "PlainBackend";
    }
  }
}
