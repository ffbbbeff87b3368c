package io.tiercache.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} with a TLS port beside its plain one, using a self-signed certificate
 * for 127.0.0.1 made with the openssl command line (which comes with the OS, like redis-server).
 * The plain port serves the launcher's readiness probe and a test's own inspection connection;
 * clients reach {@link #tlsUri()} only when they trust {@link #certificate()}.
 *
 * <pre>{@code
 * try (RedisTlsServer tls = RedisTlsServer.start()) {
 *   RedisBackend.builder().uri(tls.tlsUri()).trustedCertificates(tls.certificate()).build();
 * }
 * }</pre>
 */
public final class RedisTlsServer implements AutoCloseable {
  private final Path directory;
  private final Path certificate;
  private final int tlsPort;
  private final RedisServerLauncher server;

  private RedisTlsServer(Path directory, Path certificate, int tlsPort, RedisServerLauncher server) {
    this.directory = directory;
    this.certificate = certificate;
    this.tlsPort = tlsPort;
    this.server = server;
  }

  /**
   * Makes the certificate and starts the server.
   *
   * @return the running server
   * @throws ServerLaunchException if openssl or the server fails
   */
  public static RedisTlsServer start() {
    Path directory;
    try {
      directory = Files.createTempDirectory("tiercache-tls");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Path certificate = directory.resolve("redis.crt");
    Path key = directory.resolve("redis.key");
    openssl(directory, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
        "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
        "-keyout", key.toString(), "-out", certificate.toString());
    int tlsPort = freePort();
    RedisServerLauncher server = RedisServerLauncher.builder()
        .extraArgs("--tls-port", Integer.toString(tlsPort),
            "--tls-cert-file", certificate.toString(), "--tls-key-file", key.toString(),
            "--tls-ca-cert-file", certificate.toString(), "--tls-auth-clients", "no")
        .build()
        .start();
    return new RedisTlsServer(directory, certificate, tlsPort, server);
  }

  /**
   * The self-signed certificate (PEM) of the TLS port, for clients to trust.
   *
   * @return the certificate file
   */
  public Path certificate() {
    return certificate;
  }

  /**
   * The TLS port.
   *
   * @return the port of {@link #tlsUri()}
   */
  public int tlsPort() {
    return tlsPort;
  }

  /**
   * {@code rediss://127.0.0.1:N}.
   *
   * @return the TLS URI
   */
  public String tlsUri() {
    return "rediss://127.0.0.1:" + tlsPort;
  }

  /**
   * The server, with its plain port ({@link RedisServerLauncher#uri()}).
   *
   * @return the launcher
   */
  public RedisServerLauncher server() {
    return server;
  }

  /** Stops the server and deletes the certificate. */
  @Override
  public void close() {
    server.close();
    try (Stream<Path> files = Files.walk(directory)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void openssl(Path directory, String... args) {
    List<String> command = Stream.concat(Stream.of("openssl"), Stream.of(args)).toList();
    try {
      Process process = new ProcessBuilder(command).directory(directory.toFile())
          .redirectErrorStream(true).start();
      process.getOutputStream().close();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new ServerLaunchException("failed: " + String.join(" ", command), output, false, null);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
