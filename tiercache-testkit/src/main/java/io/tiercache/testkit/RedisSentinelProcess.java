package io.tiercache.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One Redis Sentinel ({@code redis-server <config> --sentinel}; Debian's redis-server package has
 * no {@code redis-sentinel} link) monitoring one master, for {@link RedisSentinelSetup}.
 *
 * <p>Sentinel rewrites its configuration file (the replicas and sentinels it discovered, the epoch,
 * the master after a failover), so the file lives in the process's working directory: written at the
 * first start only, so a restarted sentinel resumes from what it had learnt.
 */
final class RedisSentinelProcess extends ServerProcess {
  static final String CONFIG_FILE = "sentinel.conf";

  private final String masterName;
  private final int masterPort;
  private final int quorum;
  private final Duration downAfter;
  private final Duration failoverTimeout;

  RedisSentinelProcess(String masterName, int masterPort, int quorum, Duration downAfter,
      Duration failoverTimeout, Duration startupTimeout) {
    super("redis-sentinel", null, startupTimeout);
    this.masterName = masterName;
    this.masterPort = masterPort;
    this.quorum = quorum;
    this.downAfter = downAfter;
    this.failoverTimeout = failoverTimeout;
  }

  /** {@inheritDoc} */
  @Override
  public RedisSentinelProcess start() {
    super.start();
    return this;
  }

  /** {@code redis://127.0.0.1:N}: a plain connection to this sentinel (for its commands). */
  @Override
  public String uri() {
    return "redis://" + address();
  }

  @Override
  String binaryName() {
    return "redis-server";
  }

  @Override
  List<String> command(Path binary, int port, Path workDir) {
    Path config = workDir.resolve(CONFIG_FILE);
    if (!Files.exists(config)) {
      String text = String.join("\n",
          "bind " + LOOPBACK,
          "dir " + workDir,
          "sentinel monitor " + masterName + " " + LOOPBACK + " " + masterPort + " " + quorum,
          "sentinel down-after-milliseconds " + masterName + " " + downAfter.toMillis(),
          "sentinel failover-timeout " + masterName + " " + failoverTimeout.toMillis(),
          "sentinel parallel-syncs " + masterName + " 1",
          "");
      try {
        Files.writeString(config, text, StandardCharsets.US_ASCII);
      } catch (IOException e) {
        throw new UncheckedIOException("could not write the sentinel configuration " + config, e);
      }
    }
    return List.of(binary.toString(), config.toString(), "--sentinel",
        "--port", Integer.toString(port),
        "--daemonize", "no",
        "--logfile", "");
  }

  @Override
  boolean answers(Socket socket, long expectedPid) throws IOException {
    return RedisServerLauncher.answersWithPid(socket, expectedPid);
  }
}
