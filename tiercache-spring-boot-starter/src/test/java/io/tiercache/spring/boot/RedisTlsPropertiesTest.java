package io.tiercache.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.TierCache;
import io.tiercache.redis.RedisBackend;
import io.tiercache.redis.RedisHealth;
import io.tiercache.testkit.RedisServerLauncher;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code redis.ssl.ca-certificate} and {@code redis.ssl.bundle} reach the TLS connection: a real
 * redis-server with a self-signed certificate (made with the openssl command line) is reached only
 * when that certificate is trusted.
 */
class RedisTlsPropertiesTest {
  private static Path certificates;
  private static Path certificate;
  private static String tlsUri;
  private static RedisServerLauncher redis;

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class,
          TierCacheAutoConfiguration.class));

  @BeforeAll
  static void startRedisWithTls() throws Exception {
    certificates = Files.createTempDirectory("tiercache-boot-tls");
    certificate = certificates.resolve("redis.crt");
    Path key = certificates.resolve("redis.key");
    run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
        "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
        "-keyout", key.toString(), "-out", certificate.toString());
    int tlsPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      tlsPort = socket.getLocalPort();
    }
    redis = RedisServerLauncher.builder()
        .extraArgs("--tls-port", Integer.toString(tlsPort),
            "--tls-cert-file", certificate.toString(), "--tls-key-file", key.toString(),
            "--tls-ca-cert-file", certificate.toString(), "--tls-auth-clients", "no")
        .build()
        .start();
    tlsUri = "rediss://127.0.0.1:" + tlsPort;
  }

  @AfterAll
  static void stopRedis() throws IOException {
    if (redis != null) {
      redis.close();
    }
    if (certificates != null) {
      try (var files = Files.list(certificates)) {
        for (Path file : files.toList()) {
          Files.delete(file);
        }
      }
      Files.delete(certificates);
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

  private static void run(String... command) throws Exception {
    Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new AssertionError("failed: " + String.join(" ", command) + "\n" + output);
    }
  }
}
