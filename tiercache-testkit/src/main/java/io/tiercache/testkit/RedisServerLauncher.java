package io.tiercache.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Runs a real {@code redis-server} (the OS package's binary) on a free port of {@code 127.0.0.1},
 * for tests of the Redis L2 backend against the real thing.
 *
 * <p>The server runs with no persistence ({@code --save "" --appendonly no}), listens on loopback
 * only, and keeps its (empty) working directory in a temporary directory, so nothing outlives the
 * test. It counts as started once it answers {@code PING} with {@code +PONG} and reports this
 * process's id in {@code INFO server}.
 *
 * <pre>{@code
 * try (RedisServerLauncher redis = new RedisServerLauncher().start()) {
 *   connect(redis.uri());        // redis://127.0.0.1:N
 *   redis.stop();                // the server goes away mid-test...
 *   redis.restart();             // ...and comes back, empty, on the same port
 * }
 * }</pre>
 *
 * <p>See {@link ServerProcess} for the life cycle and the shutdown hook that kills the process if
 * the JVM exits first.
 */
public final class RedisServerLauncher extends ServerProcess {
  private final List<String> extraArgs;

  /** A launcher with the defaults: {@code redis-server} from the PATH or /usr/bin, 10 s to start. */
  public RedisServerLauncher() {
    this(builder());
  }

  private RedisServerLauncher(Builder builder) {
    super("redis-server", builder.binary, builder.startupTimeout);
    this.extraArgs = List.copyOf(builder.extraArgs);
  }

  /**
   * A builder for the binary, startup timeout and extra server options.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** {@inheritDoc} */
  @Override
  public RedisServerLauncher start() {
    super.start();
    return this;
  }

  /** {@inheritDoc} */
  @Override
  public RedisServerLauncher restart() {
    super.restart();
    return this;
  }

  /** {@code redis://127.0.0.1:N}, the form Redis clients take. */
  @Override
  public String uri() {
    return "redis://" + address();
  }

  @Override
  List<String> command(Path binary, int port, Path workDir) {
    List<String> cmd = new ArrayList<>(List.of(
        binary.toString(),
        "--port", Integer.toString(port),
        "--bind", LOOPBACK,
        "--save", "",
        "--appendonly", "no",
        "--dir", workDir.toString(),
        "--daemonize", "no",
        "--logfile", ""));
    cmd.addAll(extraArgs);
    return cmd;
  }

  @Override
  boolean answers(Socket socket, long expectedPid) throws IOException {
    return answersWithPid(socket, expectedPid);
  }

  /**
   * True when the Redis (or Sentinel) at the other end answers {@code PING} with {@code +PONG} and
   * reports {@code expectedPid} as its {@code process_id} in {@code INFO server}.
   */
  static boolean answersWithPid(Socket socket, long expectedPid) throws IOException {
    InputStream in = socket.getInputStream();
    send(socket, "PING\r\n");
    if (!"+PONG".equals(readLine(in))) {
      return false;
    }
    String pid = infoField(info(socket, "server"), "process_id");
    return pid != null && Long.parseLong(pid.trim()) == expectedPid;
  }

  /** {@code INFO section}: the reply's text, lines separated by CRLF. */
  static String info(Socket socket, String section) throws IOException {
    InputStream in = socket.getInputStream();
    send(socket, "INFO " + section + "\r\n");
    String header = readLine(in);
    if (!header.startsWith("$")) {
      throw new IOException("INFO " + section + " answered " + header);
    }
    int length = Integer.parseInt(header.substring(1));
    if (length < 0) {
      throw new IOException("INFO " + section + " answered a null reply");
    }
    return new String(readExactly(in, length + 2), StandardCharsets.ISO_8859_1);
  }

  /** The value of {@code name:value} in an INFO reply, or null if it has no such line. */
  static String infoField(String info, String name) {
    for (String line : info.split("\r\n")) {
      if (line.startsWith(name + ":")) {
        return line.substring(name.length() + 1);
      }
    }
    return null;
  }

  /** Configures a {@link RedisServerLauncher}. */
  public static final class Builder {
    private Path binary;
    private Duration startupTimeout = Duration.ofSeconds(10);
    private final List<String> extraArgs = new ArrayList<>();

    private Builder() {}

    /**
     * The {@code redis-server} to run; by default the first found on the PATH, then in /usr/bin
     * and /usr/local/bin.
     *
     * @param binary the path of the redis-server executable
     * @return this builder, for chaining
     */
    public Builder binary(Path binary) {
      this.binary = Objects.requireNonNull(binary, "binary");
      return this;
    }

    /**
     * How long to wait for the server to answer {@code PING}; default 10 s.
     *
     * @param startupTimeout the longest wait for the server to answer
     * @return this builder, for chaining
     */
    public Builder startupTimeout(Duration startupTimeout) {
      this.startupTimeout = Objects.requireNonNull(startupTimeout, "startupTimeout");
      return this;
    }

    /**
     * Extra command-line options, appended after the launcher's own so they win, e.g.
     * {@code "--maxmemory", "10mb", "--maxmemory-policy", "allkeys-lru"}.
     *
     * @param args the options, each word its own element
     * @return this builder, for chaining
     */
    public Builder extraArgs(String... args) {
      for (String arg : args) {
        extraArgs.add(Objects.requireNonNull(arg, "arg"));
      }
      return this;
    }

    /**
     * Builds the launcher; it is not started yet.
     *
     * @return the new launcher, not started
     */
    public RedisServerLauncher build() {
      return new RedisServerLauncher(this);
    }
  }
}
