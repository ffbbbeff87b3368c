package io.tiercache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.CacheInfo;
import io.tiercache.CachedFunction1;
import io.tiercache.TierCache;
import io.tiercache.testkit.RedisTlsServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code rediss://} against a redis-server with a TLS port, using a self-signed certificate for
 * 127.0.0.1 that the test makes with the openssl command line (which comes with the OS, like
 * redis-server). The server keeps its plain port for the launcher's readiness probe and for the
 * test's own inspection connection.
 */
class RedisTlsTest {
  private static RedisTlsServer tls;
  private static Path certificate;
  private static int tlsPort;
  private static RawRedis raw;

  @BeforeAll
  static void startRedisWithTls() {
    tls = RedisTlsServer.start();
    certificate = tls.certificate();
    tlsPort = tls.tlsPort();
    raw = RawRedis.to(tls.server().uri());
  }

  @AfterAll
  static void stopRedis() {
    if (raw != null) {
      raw.close();
    }
    if (tls != null) {
      tls.close();
    }
  }

  private static String tlsUri() {
    return "rediss://127.0.0.1:" + tlsPort;
  }

  @Test
  void rediss_withTheServersCertificateTrusted_sharesL2OverTls() {
    try (RedisBackend a = RedisBackend.builder().uri(tlsUri()).trustedCertificates(certificate).build();
        RedisBackend b = RedisBackend.builder().uri(tlsUri()).trustedCertificates(certificate).build()) {
      assertThat(a.awaitUp(Duration.ofSeconds(10))).isTrue();
      assertThat(b.awaitUp(Duration.ofSeconds(10))).isTrue();
      assertThat(a.describe()).isEqualTo("redis(127.0.0.1:" + tlsPort + " tls)");
      // both backends' connections arrived on the TLS port
      assertThat(raw.sync().clientList().lines()
          .filter(l -> l.contains(" name=tiercache ") && l.contains(" laddr=127.0.0.1:" + tlsPort + " "))
          .count()).isEqualTo(2);

      AtomicInteger computed = new AtomicInteger();
      CachedFunction1<String, String> fa = functionOn(a, computed);
      CachedFunction1<String, String> fb = functionOn(b, computed);
      assertThat(fa.apply("secret")).isEqualTo("SECRET");
      Eventually.waitFor("entry written", Duration.ofSeconds(10), () -> raw.sync().dbsize() == 1);
      assertThat(fb.apply("secret")).isEqualTo("SECRET");
      assertThat(fb.cacheInfo()).isEqualTo(new CacheInfo(0, 1, 1, 0, 128, 1));
      assertThat(computed).hasValue(1);
    }
  }

  @Test
  void rediss_withAnUntrustedCertificate_isReportedAsATlsProblemAndCallsStillWork() {
    try (RedisBackend backend = RedisBackend.connect(tlsUri())) { // JDK trust store only
      Eventually.waitFor("health UNREACHABLE", Duration.ofSeconds(10),
          () -> backend.health().status() == RedisHealth.Status.UNREACHABLE);
      assertThat(backend.health().message())
          .contains("the TLS handshake with Redis at 127.0.0.1:" + tlsPort + " tls failed")
          .contains("trusted certificates");
      AtomicInteger computed = new AtomicInteger();
      CachedFunction1<String, String> f = functionOn(backend, computed);
      assertThat(f.apply("x")).isEqualTo("X");
      assertThat(f.apply("y")).isEqualTo("Y");
      assertThat(computed).hasValue(2);
      assertThat(f.cacheInfo()).isEqualTo(new CacheInfo(0, 2, 0, 2, 128, 2));
      assertThat(f.l2ErrorCount()).isGreaterThanOrEqualTo(2);
    }
  }

  private static CachedFunction1<String, String> functionOn(RedisBackend backend, AtomicInteger computed) {
    return TierCache.builder().namespace("tls").backend(TierCache.DEFAULT, backend).build()
        .function("upper", String.class).of((String s) -> {
          computed.incrementAndGet();
          return s.toUpperCase(java.util.Locale.ROOT);
        });
  }
}
