package io.tiercache.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Runs a real {@code memcached} (the OS package's binary) on a free port of {@code 127.0.0.1}, for
 * tests of the memcached L2 backend against the real thing.
 *
 * <p>The server runs as {@code memcached -l 127.0.0.1 -p N -U 0 -m MEGABYTES [-I ITEM_SIZE]}: TCP
 * on loopback only, UDP off, 64 MiB of item memory unless configured otherwise, and memcached's own
 * maximum item size (1 MiB) unless {@link Builder#maxItemSize(int)} raises it, which a backend
 * storing 1 MiB values needs (the item limit includes the key and item header). When the JVM runs
 * as root, {@code -u root} is added, since memcached otherwise refuses to start. It counts as
 * started once it answers {@code version} with {@code VERSION} and reports this process's id in
 * {@code stats}.
 *
 * <pre>{@code
 * try (MemcachedLauncher memcached = MemcachedLauncher.builder().maxItemSize(2 << 20).build().start()) {
 *   connect(memcached.address());   // 127.0.0.1:N
 * }
 * }</pre>
 *
 * <p>See {@link ServerProcess} for the life cycle and the shutdown hook that kills the process if
 * the JVM exits first.
 */
public final class MemcachedLauncher extends ServerProcess {
  /** memcached's default item memory, in megabytes. */
  public static final int DEFAULT_MEMORY_MEGABYTES = 64;

  private final int memoryMegabytes;
  private final int maxItemSize;

  /** A launcher with the defaults: 64 MiB, memcached's default item size, 10 s to start. */
  public MemcachedLauncher() {
    this(builder());
  }

  private MemcachedLauncher(Builder builder) {
    super("memcached", builder.binary, builder.startupTimeout);
    this.memoryMegabytes = builder.memoryMegabytes;
    this.maxItemSize = builder.maxItemSize;
  }

  /**
   * A builder for the binary, startup timeout, memory and maximum item size.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** {@inheritDoc} */
  @Override
  public MemcachedLauncher start() {
    super.start();
    return this;
  }

  /** {@inheritDoc} */
  @Override
  public MemcachedLauncher restart() {
    super.restart();
    return this;
  }

  /** {@code memcached://127.0.0.1:N}; most memcached clients take {@link #address()} instead. */
  @Override
  public String uri() {
    return "memcached://" + address();
  }

  /**
   * The item memory the server was given ({@code -m}), in megabytes.
   *
   * @return the item memory in megabytes
   */
  public int memoryMegabytes() {
    return memoryMegabytes;
  }

  /**
   * The maximum item size passed with {@code -I}, in bytes, or 0 for memcached's default.
   *
   * @return the item size limit in bytes, or 0
   */
  public int maxItemSize() {
    return maxItemSize;
  }

  @Override
  List<String> command(Path binary, int port, Path workDir) {
    List<String> cmd = new ArrayList<>(List.of(
        binary.toString(),
        "-l", LOOPBACK,
        "-p", Integer.toString(port),
        "-U", "0",
        "-m", Integer.toString(memoryMegabytes)));
    if (maxItemSize > 0) {
      cmd.add("-I");
      cmd.add(Integer.toString(maxItemSize));
    }
    if ("root".equals(System.getProperty("user.name"))) {
      cmd.add("-u");
      cmd.add("root");
    }
    return cmd;
  }

  /** memcached keeps nothing, and only notices SIGTERM at its next one-second clock tick. */
  @Override
  boolean stopsGracefully() {
    return false;
  }

  @Override
  boolean answers(Socket socket, long expectedPid) throws IOException {
    InputStream in = socket.getInputStream();
    send(socket, "version\r\n");
    if (!readLine(in).startsWith("VERSION")) {
      return false;
    }
    send(socket, "stats\r\n");
    long pid = -1;
    for (String line = readLine(in); !line.equals("END"); line = readLine(in)) {
      if (line.startsWith("STAT pid ")) {
        pid = Long.parseLong(line.substring("STAT pid ".length()).trim());
      } else if (!line.startsWith("STAT ")) {
        return false;
      }
    }
    return pid == expectedPid;
  }

  /** Configures a {@link MemcachedLauncher}. */
  public static final class Builder {
    private Path binary;
    private Duration startupTimeout = Duration.ofSeconds(10);
    private int memoryMegabytes = DEFAULT_MEMORY_MEGABYTES;
    private int maxItemSize;

    private Builder() {}

    /**
     * The {@code memcached} to run; by default the first found on the PATH, then in /usr/bin and
     * /usr/local/bin.
     *
     * @param binary the path of the memcached executable
     * @return this builder, for chaining
     */
    public Builder binary(Path binary) {
      this.binary = Objects.requireNonNull(binary, "binary");
      return this;
    }

    /**
     * How long to wait for the server to answer {@code version}; default 10 s.
     *
     * @param startupTimeout the longest wait for the server to answer
     * @return this builder, for chaining
     */
    public Builder startupTimeout(Duration startupTimeout) {
      this.startupTimeout = Objects.requireNonNull(startupTimeout, "startupTimeout");
      return this;
    }

    /**
     * Item memory in megabytes ({@code -m}); default 64. Small values make eviction testable.
     *
     * @param memoryMegabytes the item memory, in megabytes
     * @return this builder, for chaining
     */
    public Builder memoryMegabytes(int memoryMegabytes) {
      if (memoryMegabytes <= 0) {
        throw new IllegalArgumentException("memoryMegabytes must be positive, got "
            + memoryMegabytes);
      }
      this.memoryMegabytes = memoryMegabytes;
      return this;
    }

    /**
     * The largest item memcached accepts, in bytes ({@code -I}); by default memcached's own 1 MiB.
     * memcached refuses to start if it is under 1 KiB or over half of the item memory; the
     * {@link ServerLaunchException} then carries its message.
     *
     * @param bytes the largest item size, in bytes
     * @return this builder, for chaining
     */
    public Builder maxItemSize(int bytes) {
      if (bytes <= 0) {
        throw new IllegalArgumentException("maxItemSize must be positive, got " + bytes);
      }
      this.maxItemSize = bytes;
      return this;
    }

    /**
     * Builds the launcher; it is not started yet.
     *
     * @return the new launcher, not started
     */
    public MemcachedLauncher build() {
      return new MemcachedLauncher(this);
    }
  }
}
