package io.tiercache.testkit;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real server process (redis-server, memcached) run for tests on a free loopback port: what
 * {@link RedisServerLauncher} and {@link MemcachedLauncher} share.
 *
 * <p>Why real servers: an L2 backend is only as good as its behaviour against the actual protocol
 * implementation (TTL granularity, key limits, item size limits, what happens when the server goes
 * away). The launchers run the OS package's binary directly, listening on {@code 127.0.0.1} only,
 * with no persistence, so tests are hermetic and need no container runtime.
 *
 * <p>Life cycle: {@link #start()} picks a free port (retrying with another one if the server finds
 * it taken), starts the process and waits until it answers its protocol's ping and reports its own
 * process id (so an unrelated server that happens to hold the port is never mistaken for ours).
 * {@link #stop()} kills it and waits; {@link #start()} after a stop, or {@link #restart()}, brings
 * it back on the same port, which is what fault-injection tests need. {@link #close()} stops it for
 * good and deletes its working directory. Every instance registers a JVM shutdown hook (removed by
 * {@link #close()}) that kills its process and deletes its working directory, so a test run that
 * forgets to close it, or is interrupted, leaves no server behind (short of SIGKILL to the JVM).
 *
 * <p>Thread-safe: the life-cycle methods are synchronized.
 */
public abstract class ServerProcess implements AutoCloseable {
  /** The only address servers listen on. */
  static final String LOOPBACK = "127.0.0.1";
  /** What every "binary missing" message tells the reader to run. */
  static final String INSTALL_HINT = "install it with: apt-get install -y redis-server memcached";

  private static final int FRESH_PORT_ATTEMPTS = 5;
  private static final int SAME_PORT_ATTEMPTS = 3;
  private static final Duration SAME_PORT_RETRY_DELAY = Duration.ofMillis(200);
  private static final Duration STOP_GRACE = Duration.ofSeconds(5);
  private static final Duration PROBE_CONNECT_TIMEOUT = Duration.ofMillis(250);
  private static final Duration PROBE_READ_TIMEOUT = Duration.ofMillis(300);
  private static final int OUTPUT_TAIL_CHARS = 8_000;
  private static final int MAX_LINE_BYTES = 1 << 20;

  private final String serverName;
  private final Path binary;
  private final Duration startupTimeout;

  private volatile Process process;
  private int port;
  private volatile Path workDir;
  private Path logFile;
  private int launches;
  private Thread shutdownHook;
  private boolean closed;

  ServerProcess(String serverName, Path binary, Duration startupTimeout) {
    this.serverName = Objects.requireNonNull(serverName, "serverName");
    this.binary = binary;
    Objects.requireNonNull(startupTimeout, "startupTimeout");
    if (startupTimeout.isNegative() || startupTimeout.isZero()) {
      throw new IllegalArgumentException("startupTimeout must be positive, got " + startupTimeout);
    }
    this.startupTimeout = startupTimeout;
  }

  /** The command line that runs the server on {@code port} with {@code workDir} as its home. */
  abstract List<String> command(Path binary, int port, Path workDir);

  /**
   * Talks to a freshly connected socket: true when the server answers its ping and reports
   * {@code expectedPid} as its process id.
   */
  abstract boolean answers(Socket socket, long expectedPid) throws IOException;

  /**
   * Whether {@link #stop()} sends SIGTERM first (and SIGKILL only after a grace period) or SIGKILL
   * at once; the latter for servers that have nothing to flush and are slow to honour SIGTERM.
   */
  boolean stopsGracefully() {
    return true;
  }

  /**
   * The name of the executable looked up on the PATH when no binary was given: the server's name,
   * unless a mode of another binary is run (Sentinel is {@code redis-server --sentinel}).
   */
  String binaryName() {
    return serverName;
  }

  /**
   * Starts the server and waits until it answers. The first start picks a free loopback port; a
   * start after {@link #stop()} reuses the port of the first one.
   *
   * @return this launcher, for {@code try (var server = new XLauncher().start())}
   * @throws ServerLaunchException if the binary is missing, the process exits, or it does not
   *     answer within the startup timeout; the process is then killed, and if this was the first
   *     start its working directory is deleted and its shutdown hook removed
   * @throws IllegalStateException if it is already running or this launcher was closed
   */
  public synchronized ServerProcess start() {
    if (closed) {
      throw new IllegalStateException(serverName + " launcher was closed");
    }
    if (isRunning()) {
      throw new IllegalStateException(serverName + " is already running on port " + port);
    }
    boolean firstStart = port == 0;
    try {
      if (workDir == null) {
        workDir = createWorkDir();
      }
      registerShutdownHook();
      if (firstStart) {
        startOnFreshPort();
      } else {
        startOnSamePort();
      }
    } catch (RuntimeException | Error e) {
      if (firstStart) {
        port = 0;
        removeShutdownHook();
        deleteWorkDir();
      }
      throw e;
    }
    return this;
  }

  /**
   * Kills the server and waits until it has exited, so its port refuses connections when this
   * returns. redis gets SIGTERM, then SIGKILL after a grace period; memcached, which has nothing to
   * flush and takes up to a second to honour SIGTERM, gets SIGKILL. Does nothing if it is not
   * running. The launcher can be started again on the same port.
   */
  public synchronized void stop() {
    Process p = process;
    if (p != null) {
      terminate(p);
    }
  }

  /**
   * Stops the server if it runs and starts it again on the same port: for tests of what a client
   * does when its server goes away and comes back. Nothing is persisted, so the data is gone.
   *
   * @return this launcher
   * @throws ServerLaunchException if it does not come back (e.g. the port was taken meanwhile)
   * @throws IllegalStateException if it was never started or was closed
   */
  public synchronized ServerProcess restart() {
    if (port == 0) {
      throw new IllegalStateException(serverName + " was never started, so it has no port yet");
    }
    stop();
    return start();
  }

  /**
   * Stops the server for good, removes the shutdown hook and deletes the working directory.
   * Idempotent; the launcher cannot be started again.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      stop();
    } finally {
      removeShutdownHook();
      deleteWorkDir();
    }
  }

  /**
   * Whether the server process is alive right now.
   *
   * @return true while the process is alive
   */
  public boolean isRunning() {
    Process p = process;
    return p != null && p.isAlive();
  }

  /**
   * The host the server listens on: always {@code 127.0.0.1}.
   *
   * @return {@code 127.0.0.1}
   */
  public String host() {
    return LOOPBACK;
  }

  /**
   * The server's port: chosen at the first {@link #start()} and kept across stops and restarts.
   *
   * @return the port
   * @throws IllegalStateException before the first start
   */
  public synchronized int port() {
    if (port == 0) {
      throw new IllegalStateException(serverName + " was never started, so it has no port yet");
    }
    return port;
  }

  /**
   * {@code host:port}, the form most clients take.
   *
   * @return {@code host:port}
   */
  public String address() {
    return host() + ":" + port();
  }

  /**
   * The server's address as a URI with the protocol's scheme, e.g. {@code redis://127.0.0.1:N}.
   *
   * @return the URI clients connect to
   */
  public abstract String uri();

  /**
   * The handle of the current server process, or of the last one if it was stopped; empty before
   * the first start. Lets a test check that {@link #stop()} or {@link #close()} really ended it.
   *
   * @return the current or last process, or empty
   */
  public Optional<ProcessHandle> processHandle() {
    Process p = process;
    return p == null ? Optional.empty() : Optional.of(p.toHandle());
  }

  /**
   * The temporary directory the server runs in (its {@code --dir} for redis, and where its output
   * is logged); created at the first start, deleted by {@link #close()}.
   *
   * @return the work directory
   * @throws IllegalStateException before the first start
   */
  public synchronized Path workDirectory() {
    if (workDir == null) {
      throw new IllegalStateException(serverName + " was never started");
    }
    return workDir;
  }

  /**
   * What the current (or last) server process has printed so far, stdout and stderr together, for
   * diagnosing a failing test; empty before the first start or after {@link #close()}.
   *
   * @return the output so far, or empty
   */
  public synchronized String output() {
    return readOutput(logFile);
  }

  @Override
  public String toString() {
    int p;
    synchronized (this) {
      p = port;
    }
    return serverName + (p == 0 ? "(not started)" : "(" + LOOPBACK + ":" + p
        + (isRunning() ? ", running)" : ", stopped)"));
  }

  private void startOnFreshPort() {
    ServerLaunchException last = null;
    for (int attempt = 1; attempt <= FRESH_PORT_ATTEMPTS; attempt++) {
      int candidate = freePort();
      try {
        launch(candidate);
        port = candidate;
        return;
      } catch (ServerLaunchException e) {
        if (!e.addressInUse()) {
          throw e;
        }
        last = e; // someone took the port between our probe and the server's bind: try another
      }
    }
    throw last;
  }

  private void startOnSamePort() {
    ServerLaunchException last = null;
    for (int attempt = 1; attempt <= SAME_PORT_ATTEMPTS; attempt++) {
      try {
        launch(port);
        return;
      } catch (ServerLaunchException e) {
        if (!e.addressInUse()) {
          throw e;
        }
        last = e;
        sleep(SAME_PORT_RETRY_DELAY);
      }
    }
    throw last;
  }

  private void launch(int candidatePort) {
    Path exe = resolveBinary();
    List<String> cmd = command(exe, candidatePort, workDir);
    Path log = workDir.resolve(serverName + "-" + (++launches) + ".log");
    logFile = log;
    ProcessBuilder builder = new ProcessBuilder(cmd)
        .directory(workDir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
    Process p;
    try {
      p = builder.start();
    } catch (IOException e) {
      throw new ServerLaunchException("could not run " + String.join(" ", cmd) + ": "
          + e.getMessage() + "; is " + binaryName() + " installed? " + INSTALL_HINT, "", false, e);
    }
    process = p;
    try {
      p.getOutputStream().close();
    } catch (IOException ignored) {
      // the server never reads its stdin
    }
    try {
      awaitReady(p, candidatePort, cmd);
    } catch (RuntimeException | Error e) {
      terminate(p); // whatever went wrong, never leave a half-started server behind
      throw e;
    }
  }

  private void awaitReady(Process p, int candidatePort, List<String> cmd) {
    long deadline = System.nanoTime() + startupTimeout.toNanos();
    while (true) {
      if (!p.isAlive()) {
        terminate(p); // reaps it
        String out = output();
        boolean inUse = out.toLowerCase(Locale.ROOT).contains("already in use");
        throw new ServerLaunchException(serverName + " exited with status " + p.exitValue()
            + " while starting on port " + candidatePort + ": " + String.join(" ", cmd),
            out, inUse, null);
      }
      if (probe(candidatePort, p.pid())) {
        return;
      }
      if (System.nanoTime() - deadline > 0) {
        terminate(p);
        throw new ServerLaunchException(serverName + " did not answer on " + LOOPBACK + ":"
            + candidatePort + " within " + startupTimeout + ": " + String.join(" ", cmd),
            output(), false, null);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        terminate(p);
        throw new ServerLaunchException("interrupted while waiting for " + serverName
            + " to start", output(), false, e);
      }
    }
  }

  private boolean probe(int candidatePort, long pid) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(loopback(), candidatePort),
          (int) PROBE_CONNECT_TIMEOUT.toMillis());
      socket.setSoTimeout((int) PROBE_READ_TIMEOUT.toMillis());
      return answers(socket, pid);
    } catch (IOException | RuntimeException notYet) {
      return false; // not listening yet, or something that is not (yet) our server answered
    }
  }

  private void terminate(Process p) {
    boolean interrupted = false;
    try {
      if (stopsGracefully()) {
        p.destroy();
      } else {
        p.destroyForcibly();
      }
      try {
        if (!p.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
          p.destroyForcibly();
          if (!p.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(serverName + " (pid " + p.pid()
                + ") did not exit after SIGKILL");
          }
        }
      } catch (InterruptedException e) {
        interrupted = true;
        p.destroyForcibly();
        try {
          p.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException again) {
          // give up waiting; SIGKILL was sent
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private Path resolveBinary() {
    if (binary != null) {
      if (!Files.isRegularFile(binary) || !Files.isExecutable(binary)) {
        throw new ServerLaunchException(serverName + " binary not found or not executable: "
            + binary + "; " + INSTALL_HINT, "", false, null);
      }
      return binary;
    }
    List<Path> looked = new ArrayList<>();
    String path = System.getenv("PATH");
    List<String> dirs = new ArrayList<>();
    if (path != null) {
      dirs.addAll(List.of(path.split(File.pathSeparator)));
    }
    dirs.addAll(List.of("/usr/bin", "/usr/local/bin", "/usr/sbin", "/usr/local/sbin"));
    for (String dir : dirs) {
      if (dir.isEmpty()) {
        continue;
      }
      // No toRealPath(): /usr/bin/redis-server is a symlink to redis-check-rdb and picks its mode
      // from the name it was run under.
      Path candidate = Path.of(dir, binaryName());
      if (looked.contains(candidate)) {
        continue;
      }
      looked.add(candidate);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new ServerLaunchException(binaryName() + " not found (looked in " + looked + "); "
        + INSTALL_HINT, "", false, null);
  }

  private Path createWorkDir() {
    try {
      return Files.createTempDirectory("tiercache-" + serverName + "-");
    } catch (IOException e) {
      throw new UncheckedIOException("could not create a temporary directory for " + serverName, e);
    }
  }

  private void deleteWorkDir() {
    Path dir = workDir;
    workDir = null;
    logFile = null;
    deleteRecursively(dir);
  }

  private static void deleteRecursively(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException | UncheckedIOException ignored) {
      // best effort: it is a temporary directory
    }
  }

  private void registerShutdownHook() {
    if (shutdownHook != null) {
      return;
    }
    // Takes no lock: the JVM may be exiting while another thread is inside start() or stop().
    Thread hook = new Thread(() -> {
      Process p = process;
      if (p != null && p.isAlive()) {
        p.destroyForcibly();
        try {
          p.waitFor(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      deleteRecursively(workDir);
    }, "tiercache-testkit-" + serverName + "-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    shutdownHook = hook;
  }

  private void removeShutdownHook() {
    Thread hook = shutdownHook;
    if (hook == null) {
      return;
    }
    shutdownHook = null;
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or about to: it does the same job
    }
  }

  private static String readOutput(Path log) {
    if (log == null || !Files.exists(log)) {
      return "";
    }
    try {
      // ISO-8859-1 never fails to decode; server output is ASCII anyway.
      String text = Files.readString(log, StandardCharsets.ISO_8859_1);
      return text.length() <= OUTPUT_TAIL_CHARS
          ? text
          : "[... " + (text.length() - OUTPUT_TAIL_CHARS) + " characters cut ...]\n"
              + text.substring(text.length() - OUTPUT_TAIL_CHARS);
    } catch (IOException e) {
      return "(could not read " + log + ": " + e.getMessage() + ")";
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, loopback())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("could not find a free port on " + LOOPBACK, e);
    }
  }

  private static InetAddress loopback() {
    try {
      return InetAddress.getByAddress(LOOPBACK, new byte[] {127, 0, 0, 1});
    } catch (UnknownHostException impossible) {
      throw new AssertionError(impossible);
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ServerLaunchException("interrupted while waiting to retry", "", false, e);
    }
  }

  /** Writes an ASCII command and flushes it. */
  static void send(Socket socket, String command) throws IOException {
    socket.getOutputStream().write(command.getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
  }

  /** Reads one CRLF-terminated line (without the CRLF); fails at end of stream. */
  static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int previous = -1;
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed before end of line");
      }
      if (previous == '\r' && b == '\n') {
        byte[] bytes = line.toByteArray();
        return new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
      }
      if (line.size() >= MAX_LINE_BYTES) {
        throw new IOException("line longer than " + MAX_LINE_BYTES + " bytes");
      }
      line.write(b);
      previous = b;
    }
  }

  /** Reads exactly {@code n} bytes. */
  static byte[] readExactly(InputStream in, int n) throws IOException {
    byte[] bytes = in.readNBytes(n);
    if (bytes.length != n) {
      throw new IOException("connection closed after " + bytes.length + " of " + n + " bytes");
    }
    return bytes;
  }
}
