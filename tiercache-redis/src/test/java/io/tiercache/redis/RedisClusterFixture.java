package io.tiercache.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.tiercache.testkit.RedisServerLauncher;
import io.tiercache.testkit.ServerControl;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real 3-master Redis Cluster on loopback ports: three redis-server processes in cluster mode
 * (each in its own temporary directory, so each has its own nodes.conf), joined by
 * {@code redis-cli --cluster create}, ready once every node reports {@code cluster_state:ok}.
 * Public, in this module's test jar, for the command line's cluster tests.
 */
public final class RedisClusterFixture implements AutoCloseable {
  final List<RedisServerLauncher> nodes = new ArrayList<>();

  /** Starts three nodes and joins them; returns once the cluster is healthy. */
  public RedisClusterFixture() {
    try {
      for (int i = 0; i < 3; i++) {
        nodes.add(RedisServerLauncher.builder()
            .extraArgs("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                "--cluster-node-timeout", "5000")
            .build()
            .start());
      }
      create();
      awaitHealthy();
    } catch (RuntimeException | Error e) {
      close();
      throw e;
    }
  }

  /**
   * Stops every node, and starts the stopped ones again on their ports, returning once the cluster
   * is healthy. A restarted node keeps its identity and slots: its {@code nodes.conf} stays in its
   * working directory (its data does not: nothing is persisted).
   */
  ServerControl control() {
    return new ServerControl() {
      @Override
      public void stop() {
        nodes.forEach(RedisServerLauncher::stop);
      }

      @Override
      public void start() {
        for (RedisServerLauncher node : nodes) {
          if (!node.isRunning()) {
            node.start();
          }
        }
        awaitHealthy();
      }

      @Override
      public String toString() {
        return "redis cluster " + nodes;
      }
    };
  }

  private void awaitHealthy() {
    for (RedisServerLauncher node : nodes) {
      Eventually.waitFor("cluster_state:ok on " + node.address(), Duration.ofSeconds(20),
          () -> {
            String info = clusterInfo(node);
            return info.contains("cluster_state:ok") && info.contains("cluster_known_nodes:3")
                && info.contains("cluster_slots_ok:16384");
          });
    }
  }

  /** {@code redis://127.0.0.1:N} of each node. */
  public String[] uris() {
    return nodes.stream().map(RedisServerLauncher::uri).toArray(String[]::new);
  }

  private void create() {
    List<String> command = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
    nodes.forEach(node -> command.add(node.address()));
    command.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getOutputStream().close();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("redis-cli --cluster create did not finish: " + command);
      }
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (process.exitValue() != 0 || !output.contains("[OK] All 16384 slots covered")) {
        throw new AssertionError("redis-cli --cluster create failed (" + process.exitValue()
            + "):\n" + output);
      }
    } catch (IOException e) {
      throw new AssertionError("could not run " + command + " (redis-cli comes with redis-server"
          + " / redis-tools)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  static String clusterInfo(RedisServerLauncher node) {
    RedisClient client = RedisClient.create(node.uri());
    try (StatefulRedisConnection<String, String> c = client.connect()) {
      return c.sync().clusterInfo();
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
    }
  }

  /** Keys held by one node (its own DBSIZE). */
  static long dbsize(RedisServerLauncher node) {
    RedisClient client = RedisClient.create(node.uri());
    try (StatefulRedisConnection<String, String> c = client.connect()) {
      return c.sync().dbsize();
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
    }
  }

  @Override
  public void close() {
    nodes.forEach(RedisServerLauncher::close);
  }
}
