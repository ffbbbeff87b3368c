package io.tiercache.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.TierCache;
import io.tiercache.redis.RedisBackend;
import io.tiercache.redis.RedisHealth;
import io.tiercache.testkit.RedisTlsServer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code redis.ssl.ca-certificate} and {@code redis.ssl.bundle} reach the TLS connection: a real
 * redis-server with a self-signed certificate ({@link RedisTlsServer}) is reached only when that
 * certificate is trusted.
 */
class RedisTlsPropertiesTest {
  private static RedisTlsServer tls;
  private static Path certificate;
  private static String tlsUri;

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class,
          TierCacheAutoConfiguration.class));

  @BeforeAll
  static void startRedisWithTls() {
    tls = RedisTlsServer.start();
    certificate = tls.certificate();
    tlsUri = tls.tlsUri();
  }

  @AfterAll
  static void stopRedis() {
    if (tls != null) {
      tls.close();
    }
  }

  @Test
  void aCaCertificateFileIsTrusted() {
    runner.withPropertyValues("tiercache.backends.default.redis.uri=" + tlsUri,
        "tiercache.backends.default.redis.ssl.ca-certificate=" + certificate).run(context ->
            assertUp(context.getBean(TierCache.class)));
  }

  @Test
  void anSslBundleIsTrusted() {
    runner.withPropertyValues("spring.ssl.bundle.pem.redis.truststore.certificate=file:" + certificate,
        "tiercache.backends.default.redis.uri=" + tlsUri,
        "tiercache.backends.default.redis.ssl.bundle=redis").run(context ->
            assertUp(context.getBean(TierCache.class)));
  }

  @Test
  void withoutEitherTheJdksTrustStoreRefusesTheCertificate() {
    runner.withPropertyValues("tiercache.backends.default.redis.uri=" + tlsUri).run(context -> {
      RedisBackend backend = (RedisBackend) context.getBean(TierCache.class).backends().get("default");
      assertThat(backend.awaitUp(Duration.ofMillis(500))).isFalse();
      assertThat(backend.health().status()).isEqualTo(RedisHealth.Status.UNREACHABLE);
    });
  }

  @Test
  void anUnknownBundleFailsStartupNamingTheProperty() {
    runner.withPropertyValues("spring.ssl.bundle.pem.other.truststore.certificate=file:" + certificate,
        "tiercache.backends.default.redis.uri=" + tlsUri,
        "tiercache.backends.default.redis.ssl.bundle=redis").run(context ->
            assertThat(context.getStartupFailure()).rootCause()
                .isInstanceOf(TierCacheConfigurationException.class)
                .hasMessage("tiercache.backends.default.redis.ssl.bundle: SSL bundle name 'redis' cannot be found"));
  }

  private static void assertUp(TierCache cache) {
    RedisBackend backend = (RedisBackend) cache.backends().get("default");
    assertThat(backend.describe()).isEqualTo("redis(" + tlsUri.substring("rediss://".length()) + " tls)");
    assertThat(backend.awaitUp(Duration.ofSeconds(10))).as("%s", backend.health()).isTrue();
  }
}
