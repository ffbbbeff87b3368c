package io.tiercache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.CacheInfo;
import io.tiercache.CachedFunction1;
import io.tiercache.TierCache;
import io.tiercache.testkit.RedisServerLauncher;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
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
  private static Path certificates;
  private static Path certificate;
  private static int tlsPort;
  private static RedisServerLauncher redis;
  private static RawRedis raw;

  @BeforeAll
  static void startRedisWithTls() throws Exception {
    certificates = Files.createTempDirectory("tiercache-tls");
    certificate = certificates.resolve("redis.crt");
    Path key = certificates.resolve("redis.key");
    run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
        "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
        "-keyout", key.toString(), "-out", certificate.toString());
    tlsPort = freePort();
    redis = RedisServerLauncher.builder()
        .extraArgs("--tls-port", Integer.toString(tlsPort),
            "--tls-cert-file", certificate.toString(), "--tls-key-file", key.toString(),
            "--tls-ca-cert-file", certificate.toString(), "--tls-auth-clients", "no")
        .build()
        .start();
    raw = RawRedis.to(redis.uri());
  }

  @AfterAll
  static void stopRedis() throws IOException {
    if (raw != null) {
      raw.close();
    }
    if (redis != null) {
      redis.close();
    }
    try (Stream<Path> files = Files.walk(certificates)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
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

  private static void run(String... command) throws Exception {
    Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new AssertionError("failed: " + String.join(" ", command) + "\n" + output);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    }
  }
}
