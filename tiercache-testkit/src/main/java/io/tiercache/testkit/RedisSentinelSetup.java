package io.tiercache.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A real Redis Sentinel topology on loopback ports, for tests of clients that find their master
 * through Sentinel: one master, one replica of it ({@code --replicaof}), and one or more sentinels
 * ({@code redis-server sentinel.conf --sentinel}) monitoring it with a quorum of a majority of them.
 *
 * <pre>{@code
 * try (RedisSentinelSetup sentinel = RedisSentinelSetup.start(RedisSentinelSetup.Settings.defaults())) {
 *   connect(sentinel.uri());                         // redis-sentinel://127.0.0.1:N/0#mymaster
 *   sentinel.master().processHandle().orElseThrow().destroyForcibly();     // the master crashes
 *   sentinel.awaitMaster(sentinel.replica().address(), Duration.ofSeconds(30)); // promoted
 * }
 * }</pre>
 *
 * <p>{@link #start} returns once every sentinel reports the master as {@code status=ok}, knows the
 * replica and all the other sentinels, and the replica's link to the master is up: from then on a
 * failover can happen, and the first one takes about {@code downAfter} plus an election and the
 * promotion. Every process is a {@link ServerProcess} (its own free port, working directory and
 * shutdown hook); {@link #close()} stops them all.
 */
public final class RedisSentinelSetup implements AutoCloseable {
  private static final Duration POLL = Duration.ofMillis(50);
  private static final int PROBE_TIMEOUT_MILLIS = 500;

  private final Settings settings;
  private final RedisServerLauncher master;
  private final RedisServerLauncher replica;
  private final List<RedisSentinelProcess> sentinels;

  /**
   * What to start.
   *
   * @param masterName the name the sentinels monitor the master under (the URI's {@code #name})
   * @param sentinels how many sentinels; the quorum is a majority of them
   * @param downAfter Sentinel's {@code down-after-milliseconds}: how long the master must not
   *     answer before a sentinel considers it down
   * @param failoverTimeout Sentinel's {@code failover-timeout}: among other things, how long
   *     before a failed failover is tried again (twice this)
   * @param readyTimeout how long {@link RedisSentinelSetup#start} and
   *     {@link ServerControl#start()} wait for the topology to be healthy
   */
  public record Settings(String masterName, int sentinels, Duration downAfter,
      Duration failoverTimeout, Duration readyTimeout) {

    /**
     * Validates.
     *
     * @param masterName the master's name: letters, digits, {@code _ . -}
     * @param sentinels how many sentinels; at least 1
     * @param downAfter Sentinel's {@code down-after-milliseconds}; positive
     * @param failoverTimeout Sentinel's {@code failover-timeout}; positive
     * @param readyTimeout how long to wait for a healthy topology; positive
     */
    public Settings {
      Objects.requireNonNull(masterName, "masterName");
      if (masterName.isEmpty() || !masterName.matches("[A-Za-z0-9_.-]+")) {
        throw new IllegalArgumentException("masterName must be letters, digits, '_', '.' or '-',"
            + " got '" + masterName + "'");
      }
      if (sentinels < 1) {
        throw new IllegalArgumentException("sentinels must be at least 1, got " + sentinels);
      }
      positive(downAfter, "downAfter");
      positive(failoverTimeout, "failoverTimeout");
      positive(readyTimeout, "readyTimeout");
    }

    /**
     * {@code mymaster}, one sentinel, 1 s down-after and 3 s failover timeout (a failover in a few
     * seconds), 30 s to get ready.
     *
     * @return the default settings
     */
    public static Settings defaults() {
      return new Settings("mymaster", 1, Duration.ofSeconds(1), Duration.ofSeconds(3),
          Duration.ofSeconds(30));
    }

    /**
     * A copy with {@code sentinels} sentinels.
     *
     * @param sentinels the number of sentinels; at least one
     * @return the new settings
     */
    public Settings withSentinels(int sentinels) {
      return new Settings(masterName, sentinels, downAfter, failoverTimeout, readyTimeout);
    }

    /**
     * A copy with Sentinel's {@code down-after-milliseconds} set to {@code downAfter}.
     *
     * @param downAfter how long a master must not answer before it is considered down
     * @return the new settings
     */
    public Settings withDownAfter(Duration downAfter) {
      return new Settings(masterName, sentinels, downAfter, failoverTimeout, readyTimeout);
    }

    /**
     * A majority of the sentinels: how many must agree that the master is down.
     *
     * @return the sentinels' quorum
     */
    public int quorum() {
      return sentinels / 2 + 1;
    }

    private static void positive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, got " + d);
      }
    }
  }

  private RedisSentinelSetup(Settings settings, RedisServerLauncher master,
      RedisServerLauncher replica, List<RedisSentinelProcess> sentinels) {
    this.settings = settings;
    this.master = master;
    this.replica = replica;
    this.sentinels = List.copyOf(sentinels);
  }

  /**
   * Starts the master, its replica and the sentinels, and waits until the topology is healthy (see
   * the class description).
   *
   * @param settings the topology's names, sizes and timeouts
   * @return the running, healthy topology
   * @throws ServerLaunchException if a process does not start, or the topology is not healthy
   *     within {@link Settings#readyTimeout()}; whatever was started is stopped again
   */
  public static RedisSentinelSetup start(Settings settings) {
    Objects.requireNonNull(settings, "settings");
    List<ServerProcess> started = new ArrayList<>();
    try {
      RedisServerLauncher master = new RedisServerLauncher().start();
      started.add(master);
      RedisServerLauncher replica = RedisServerLauncher.builder()
          .extraArgs("--replicaof", ServerProcess.LOOPBACK, Integer.toString(master.port()))
          .build().start();
      started.add(replica);
      List<RedisSentinelProcess> sentinels = new ArrayList<>();
      for (int i = 0; i < settings.sentinels(); i++) {
        RedisSentinelProcess sentinel = new RedisSentinelProcess(settings.masterName(),
            master.port(), settings.quorum(), settings.downAfter(), settings.failoverTimeout(),
            settings.readyTimeout()).start();
        started.add(sentinel);
        sentinels.add(sentinel);
      }
      RedisSentinelSetup setup = new RedisSentinelSetup(settings, master, replica, sentinels);
      setup.awaitHealthy(master.address(), settings.readyTimeout());
      return setup;
    } catch (RuntimeException | Error e) {
      for (int i = started.size() - 1; i >= 0; i--) {
        try {
          started.get(i).close();
        } catch (RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
  }

  /**
   * What this setup was started with.
   *
   * @return the settings
   */
  public Settings settings() {
    return settings;
  }

  /**
   * The redis-server that was the master at the start (a replica after a failover, if restarted).
   *
   * @return the launcher of the first master
   */
  public RedisServerLauncher master() {
    return master;
  }

  /**
   * The redis-server that was the replica at the start (promoted by a failover).
   *
   * @return the launcher of the first replica
   */
  public RedisServerLauncher replica() {
    return replica;
  }

  /**
   * The sentinels, in the order of the URI.
   *
   * @return the sentinel processes
   */
  public List<ServerProcess> sentinels() {
    return List.copyOf(sentinels);
  }

  /**
   * {@code redis-sentinel://127.0.0.1:N[,127.0.0.1:M...]/0#mymaster}: every sentinel, database 0,
   * the master's name, as Lettuce takes it.
   *
   * @return the Sentinel URI for Lettuce
   */
  public String uri() {
    return "redis-sentinel://" + sentinels.stream().map(ServerProcess::address)
        .collect(Collectors.joining(",")) + "/0#" + settings.masterName();
  }

  /**
   * Where the running sentinels say the master is now ({@code host:port}, from
   * {@code INFO sentinel}), as the first one that answers reports it.
   *
   * @return the master's {@code host:port}
   * @throws IllegalStateException if no sentinel answers
   */
  public String masterAddress() {
    Map<String, String> states = sentinelStates();
    for (String state : states.values()) {
      String address = field(state, "address");
      if (address != null) {
        return address;
      }
    }
    throw new IllegalStateException("no sentinel reports a master named " + settings.masterName()
        + ": " + states);
  }

  /**
   * Waits until every running sentinel reports {@code address} as the master, with
   * {@code status=ok} and all the sentinels known: after a failover, that the replica was promoted
   * and every sentinel knows it.
   *
   * @param address the expected master, as {@code host:port}
   * @param max the longest wait
   * @throws IllegalStateException naming what each sentinel reported if that takes longer than
   *     {@code max}
   */
  public void awaitMaster(String address, Duration max) {
    Objects.requireNonNull(address, "address");
    long deadline = System.nanoTime() + max.toNanos();
    while (true) {
      Map<String, String> states = sentinelStates();
      if (!states.isEmpty() && states.values().stream().allMatch(state ->
          address.equals(field(state, "address")) && "ok".equals(field(state, "status"))
              && Integer.toString(sentinels.size()).equals(field(state, "sentinels")))) {
        return;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException("the sentinels did not all report " + address
            + " as master " + settings.masterName() + " within " + max + "; they report "
            + states);
      }
      pause();
    }
  }

  /**
   * Stops every process (sentinels first, so none fails over meanwhile) and starts those not
   * running again (data nodes first), on the same ports; its start returns once the topology is
   * healthy again with the master it had. The servers come back empty (no persistence); the
   * sentinels from their rewritten configuration.
   *
   * @return the control over every process of this setup
   */
  public ServerControl serverControl() {
    return new ServerControl() {
      @Override
      public void stop() {
        sentinels.forEach(ServerProcess::stop);
        replica.stop();
        master.stop();
      }

      @Override
      public void start() {
        for (ServerProcess process : startOrder()) {
          if (!process.isRunning()) {
            process.start();
          }
        }
        awaitHealthy(null, settings.readyTimeout());
      }

      @Override
      public String toString() {
        return RedisSentinelSetup.this.toString();
      }
    };
  }

  /** Stops every process and deletes their working directories. Idempotent. */
  @Override
  public void close() {
    RuntimeException failure = null;
    List<ServerProcess> all = startOrder();
    for (int i = all.size() - 1; i >= 0; i--) {
      try {
        all.get(i).close();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public String toString() {
    return "sentinel " + settings.masterName() + " (master " + master + ", replica " + replica
        + ", sentinels " + sentinels + ")";
  }

  private List<ServerProcess> startOrder() {
    List<ServerProcess> all = new ArrayList<>();
    all.add(master);
    all.add(replica);
    all.addAll(sentinels);
    return all;
  }

  /**
   * Waits until every sentinel runs and reports the master (at {@code expectedMaster}, or
   * anywhere if null, but the same for all) with {@code status=ok}, at least one replica and every
   * sentinel, and the other data node, if running, has its replication link up.
   */
  private void awaitHealthy(String expectedMaster, Duration max) {
    long deadline = System.nanoTime() + max.toNanos();
    String problem;
    while (true) {
      problem = healthProblem(expectedMaster);
      if (problem == null) {
        return;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new ServerLaunchException("the Sentinel topology was not healthy within " + max
            + ": " + problem + "; " + this, "", false, null);
      }
      pause();
    }
  }

  private String healthProblem(String expectedMaster) {
    Map<String, String> states = sentinelStates();
    if (states.size() != sentinels.size()) {
      return "only " + states.size() + " of " + sentinels.size() + " sentinels answer: " + states;
    }
    String masterAddress = expectedMaster;
    for (Map.Entry<String, String> entry : states.entrySet()) {
      String state = entry.getValue();
      String address = field(state, "address");
      if (masterAddress == null) {
        masterAddress = address;
      }
      if (!Objects.equals(masterAddress, address) || !"ok".equals(field(state, "status"))
          || parse(field(state, "slaves")) < 1
          || parse(field(state, "sentinels")) != sentinels.size()) {
        return "sentinel " + entry.getKey() + " reports " + state + " (expected status=ok,"
            + " address=" + masterAddress + ", slaves>=1, sentinels=" + sentinels.size() + ")";
      }
    }
    for (RedisServerLauncher node : List.of(master, replica)) {
      if (node.isRunning() && !node.address().equals(masterAddress)) {
        String link = infoField(node.port(), "replication", "master_link_status");
        if (!"up".equals(link)) {
          return "replica " + node.address() + " has master_link_status " + link;
        }
      }
    }
    return null;
  }

  /** Each running sentinel's {@code masterN:} line for the master, by address; no line: absent. */
  private Map<String, String> sentinelStates() {
    Map<String, String> states = new LinkedHashMap<>();
    for (RedisSentinelProcess sentinel : sentinels) {
      if (!sentinel.isRunning()) {
        continue;
      }
      try {
        String info = info(sentinel.port(), "sentinel");
        for (String line : info.split("\r\n")) {
          if (line.matches("master\\d+:.*")) {
            String state = line.substring(line.indexOf(':') + 1);
            if (settings.masterName().equals(field(state, "name"))) {
              states.put(sentinel.address(), state);
            }
          }
        }
      } catch (IOException notAnswering) {
        // not counted: the caller waits or reports how many answered
      }
    }
    return states;
  }

  /** {@code value} of {@code key=value} in a sentinel's comma-separated master line, or null. */
  private static String field(String state, String key) {
    for (String pair : state.split(",")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).equals(key)) {
        return pair.substring(eq + 1);
      }
    }
    return null;
  }

  private static int parse(String number) {
    try {
      return number == null ? -1 : Integer.parseInt(number);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static String infoField(int port, String section, String name) {
    try {
      return RedisServerLauncher.infoField(info(port, section), name);
    } catch (IOException e) {
      return "(not answering: " + e.getMessage() + ")";
    }
  }

  private static String info(int port, String section) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(ServerProcess.LOOPBACK, port), PROBE_TIMEOUT_MILLIS);
      socket.setSoTimeout(PROBE_TIMEOUT_MILLIS);
      return RedisServerLauncher.info(socket, section);
    }
  }

  private static void pause() {
    try {
      Thread.sleep(POLL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the Sentinel topology", e);
    }
  }
}
