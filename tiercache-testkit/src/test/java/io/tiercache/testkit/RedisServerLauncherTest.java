package io.tiercache.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link RedisServerLauncher} against the real redis-server binary. */
class RedisServerLauncherTest {

  @Test
  void startedServerStoresAndReturnsValuesOverAPlainSocket() throws Exception {
    try (RedisServerLauncher redis = new RedisServerLauncher().start();
        RawConnection conn = RawConnection.to(redis)) {
      assertThat(conn.redis("PING")).isEqualTo("+PONG");
      assertThat(conn.redis("SET greeting hello")).isEqualTo("+OK");
      assertThat(conn.redis("GET greeting")).isEqualTo("hello");
      assertThat(conn.redis("GET missing")).isNull();
    }
  }

  @Test
  void reportsLoopbackAddressAndRedisUri() {
    try (RedisServerLauncher redis = new RedisServerLauncher().start()) {
      assertThat(redis.host()).isEqualTo("127.0.0.1");
      assertThat(redis.port()).isBetween(1, 65_535);
      assertThat(redis.address()).isEqualTo("127.0.0.1:" + redis.port());
      assertThat(redis.uri()).isEqualTo("redis://127.0.0.1:" + redis.port());
      assertThat(redis.isRunning()).isTrue();
    }
  }

  @Test
  void runsWithoutPersistenceBoundToLoopbackInItsTemporaryDirectory() throws Exception {
    try (RedisServerLauncher redis = new RedisServerLauncher().start();
        RawConnection conn = RawConnection.to(redis)) {
      assertThat(configGet(conn, "save")).isEmpty();
      assertThat(configGet(conn, "appendonly")).isEqualTo("no");
      assertThat(configGet(conn, "bind")).isEqualTo("127.0.0.1");
      assertThat(configGet(conn, "port")).isEqualTo(Integer.toString(redis.port()));
      assertThat(Path.of(configGet(conn, "dir")).toRealPath())
          .isEqualTo(redis.workDirectory().toRealPath());
    }
  }

  @Test
  void stopMakesConnectionsFailAndRestartAnswersOnTheSamePortWithEmptyData() throws Exception {
    try (RedisServerLauncher redis = new RedisServerLauncher().start()) {
      int port = redis.port();
      try (RawConnection conn = RawConnection.to(redis)) {
        assertThat(conn.redis("SET before-restart 1")).isEqualTo("+OK");
      }
      ProcessHandle first = redis.processHandle().orElseThrow();

      redis.stop();

      assertThat(first.isAlive()).isFalse();
      assertThat(redis.isRunning()).isFalse();
      assertThatThrownBy(() -> new RawConnection("127.0.0.1", port))
          .isInstanceOf(ConnectException.class);

      redis.restart();

      assertThat(redis.port()).isEqualTo(port);
      assertThat(redis.processHandle().orElseThrow().pid()).isNotEqualTo(first.pid());
      try (RawConnection conn = RawConnection.to(redis)) {
        assertThat(conn.redis("PING")).isEqualTo("+PONG");
        assertThat(conn.redis("GET before-restart")).as("nothing is persisted").isNull();
        assertThat(conn.redis("SET after-restart 2")).isEqualTo("+OK");
        assertThat(conn.redis("GET after-restart")).isEqualTo("2");
      }
    }
  }

  @Test
  void restartOfARunningServerReplacesItsProcessOnTheSamePort() throws Exception {
    try (RedisServerLauncher redis = new RedisServerLauncher().start()) {
      int port = redis.port();
      ProcessHandle first = redis.processHandle().orElseThrow();

      redis.restart();

      assertThat(first.isAlive()).isFalse();
      assertThat(redis.port()).isEqualTo(port);
      try (RawConnection conn = RawConnection.to(redis)) {
        assertThat(conn.redis("PING")).isEqualTo("+PONG");
      }
    }
  }

  @Test
  void closeLeavesNoProcessAndNoWorkingDirectory() throws Exception {
    RedisServerLauncher redis = new RedisServerLauncher().start();
    ProcessHandle handle = redis.processHandle().orElseThrow();
    Path dir = redis.workDirectory();
    int port = redis.port();
    assertThat(handle.isAlive()).isTrue();

    redis.close();

    assertThat(handle.isAlive()).isFalse();
    assertThat(ProcessHandle.of(handle.pid()).filter(ProcessHandle::isAlive)).isEmpty();
    assertThat(redis.isRunning()).isFalse();
    assertThat(dir).doesNotExist();
    assertThatThrownBy(() -> new RawConnection("127.0.0.1", port))
        .isInstanceOf(ConnectException.class);
    assertThatThrownBy(redis::start).isInstanceOf(IllegalStateException.class);
    redis.close(); // idempotent
  }

  @Test
  void concurrentLaunchersGetDistinctPortsAndSeparateData() throws Exception {
    List<RedisServerLauncher> servers = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        servers.add(new RedisServerLauncher().start());
      }
      assertThat(servers).extracting(ServerProcess::port).doesNotHaveDuplicates();
      for (int i = 0; i < servers.size(); i++) {
        try (RawConnection conn = RawConnection.to(servers.get(i))) {
          assertThat(conn.redis("SET who " + i)).isEqualTo("+OK");
        }
      }
      for (int i = 0; i < servers.size(); i++) {
        try (RawConnection conn = RawConnection.to(servers.get(i))) {
          assertThat(conn.redis("GET who")).isEqualTo(Integer.toString(i));
        }
      }
    } finally {
      servers.forEach(RedisServerLauncher::close);
    }
  }

  @Test
  void missingBinaryFailsWithTheInstallHint() {
    RedisServerLauncher redis =
        RedisServerLauncher.builder().binary(Path.of("/nonexistent/redis-server")).build();

    assertThatThrownBy(redis::start)
        .isInstanceOf(ServerLaunchException.class)
        .hasMessageContaining("/nonexistent/redis-server")
        .hasMessageContaining("install it with: apt-get install -y redis-server memcached");
    assertThat(redis.isRunning()).isFalse();
    assertThatThrownBy(redis::port).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void serverThatExitsAtStartupFailsWithItsOwnOutputAndLeavesNothingBehind() {
    RedisServerLauncher redis = RedisServerLauncher.builder()
        .extraArgs("--maxmemory", "not-a-size")
        .build();

    assertThatThrownBy(redis::start)
        .isInstanceOfSatisfying(ServerLaunchException.class, e -> {
          assertThat(e.getMessage()).contains("redis-server exited").contains("--- server output ---");
          assertThat(e.output()).containsIgnoringCase("maxmemory");
          assertThat(e.getMessage()).contains(e.output().strip());
        });
    assertThat(redis.isRunning()).isFalse();
    assertThat(redis.processHandle().orElseThrow().isAlive()).isFalse();
    assertThatThrownBy(redis::workDirectory).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void restartOntoATakenPortFailsWithTheServersBindError() throws Exception {
    try (RedisServerLauncher redis = new RedisServerLauncher().start()) {
      int port = redis.port();
      redis.stop();
      try (ServerSocket squatter = new ServerSocket(port, 50, InetAddress.getByName("127.0.0.1"))) {
        assertThat(squatter.getLocalPort()).isEqualTo(port);
        assertThatThrownBy(redis::restart)
            .isInstanceOfSatisfying(ServerLaunchException.class, e ->
                assertThat(e.output()).containsIgnoringCase("address already in use"));
        assertThat(redis.isRunning()).isFalse();
      }
      redis.restart();
      assertThat(redis.port()).isEqualTo(port);
      try (RawConnection conn = RawConnection.to(redis)) {
        assertThat(conn.redis("PING")).isEqualTo("+PONG");
      }
    }
  }

  @Test
  void outputHoldsTheServersLog() {
    try (RedisServerLauncher redis = new RedisServerLauncher().start()) {
      assertThat(redis.output()).contains("Ready to accept connections");
      assertThat(Files.isDirectory(redis.workDirectory())).isTrue();
    }
  }

  private static String configGet(RawConnection conn, String parameter) throws Exception {
    conn.send("CONFIG GET " + parameter);
    assertThat(conn.line()).isEqualTo("*2");
    String name = bulk(conn);
    assertThat(name).isEqualTo(parameter);
    return bulk(conn);
  }

  private static String bulk(RawConnection conn) throws Exception {
    String header = conn.line();
    assertThat(header).startsWith("$");
    return new String(conn.block(Integer.parseInt(header.substring(1))),
        StandardCharsets.ISO_8859_1);
  }
}
