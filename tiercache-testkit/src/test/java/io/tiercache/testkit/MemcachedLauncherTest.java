package io.tiercache.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link MemcachedLauncher} against the real memcached binary. */
class MemcachedLauncherTest {

  @Test
  void startedServerStoresAndReturnsValuesOverAPlainSocket() throws Exception {
    try (MemcachedLauncher memcached = new MemcachedLauncher().start();
        RawConnection conn = RawConnection.to(memcached)) {
      assertThat(set(conn, "greeting", "hello".getBytes(StandardCharsets.US_ASCII)))
          .isEqualTo("STORED");
      assertThat(get(conn, "greeting")).isEqualTo("hello".getBytes(StandardCharsets.US_ASCII));
      assertThat(get(conn, "missing")).isNull();
    }
  }

  @Test
  void reportsLoopbackAddressAndMemcachedUri() {
    try (MemcachedLauncher memcached = new MemcachedLauncher().start()) {
      assertThat(memcached.host()).isEqualTo("127.0.0.1");
      assertThat(memcached.port()).isBetween(1, 65_535);
      assertThat(memcached.address()).isEqualTo("127.0.0.1:" + memcached.port());
      assertThat(memcached.uri()).isEqualTo("memcached://127.0.0.1:" + memcached.port());
      assertThat(memcached.isRunning()).isTrue();
    }
  }

  @Test
  void defaultsAre64MebibytesTcpOnlyAndMemcachedsOwnItemSize() throws Exception {
    try (MemcachedLauncher memcached = new MemcachedLauncher().start();
        RawConnection conn = RawConnection.to(memcached)) {
      Map<String, String> settings = statsSettings(conn);

      assertThat(settings)
          .containsEntry("maxbytes", Long.toString(64L << 20))
          .containsEntry("tcpport", Integer.toString(memcached.port()))
          .containsEntry("udpport", "0")
          .containsEntry("item_size_max", Integer.toString(1 << 20));
      assertThat(memcached.memoryMegabytes()).isEqualTo(64);
      assertThat(memcached.maxItemSize()).isZero();
    }
  }

  @Test
  void memoryAndMaxItemSizeSettingsReachTheServer() throws Exception {
    try (MemcachedLauncher memcached = MemcachedLauncher.builder()
            .memoryMegabytes(32).maxItemSize(2 << 20).build().start();
        RawConnection conn = RawConnection.to(memcached)) {
      assertThat(statsSettings(conn))
          .containsEntry("maxbytes", Long.toString(32L << 20))
          .containsEntry("item_size_max", Integer.toString(2 << 20));

      byte[] big = new byte[3 << 19]; // 1.5 MiB
      Arrays.fill(big, (byte) 'z');
      assertThat(set(conn, "big", big)).isEqualTo("STORED");
      assertThat(get(conn, "big")).isEqualTo(big);
    }
  }

  @Test
  void defaultItemSizeRejectsAValueOverOneMebibyte() throws Exception {
    try (MemcachedLauncher memcached = new MemcachedLauncher().start();
        RawConnection conn = RawConnection.to(memcached)) {
      byte[] big = new byte[3 << 19]; // 1.5 MiB

      assertThat(set(conn, "big", big)).startsWith("SERVER_ERROR");
    }
  }

  @Test
  void stopMakesConnectionsFailAndRestartAnswersOnTheSamePortWithEmptyData() throws Exception {
    try (MemcachedLauncher memcached = new MemcachedLauncher().start()) {
      int port = memcached.port();
      try (RawConnection conn = RawConnection.to(memcached)) {
        assertThat(set(conn, "before-restart", new byte[] {1})).isEqualTo("STORED");
      }
      ProcessHandle first = memcached.processHandle().orElseThrow();

      memcached.stop();

      assertThat(first.isAlive()).isFalse();
      assertThat(memcached.isRunning()).isFalse();
      assertThatThrownBy(() -> new RawConnection("127.0.0.1", port))
          .isInstanceOf(ConnectException.class);

      memcached.restart();

      assertThat(memcached.port()).isEqualTo(port);
      assertThat(memcached.processHandle().orElseThrow().pid()).isNotEqualTo(first.pid());
      try (RawConnection conn = RawConnection.to(memcached)) {
        assertThat(conn.send("version").line()).startsWith("VERSION ");
        assertThat(get(conn, "before-restart")).as("memcached keeps nothing").isNull();
        assertThat(set(conn, "after-restart", new byte[] {2})).isEqualTo("STORED");
        assertThat(get(conn, "after-restart")).containsExactly(2);
      }
    }
  }

  @Test
  void closeLeavesNoProcessAndNoWorkingDirectory() throws Exception {
    MemcachedLauncher memcached = new MemcachedLauncher().start();
    ProcessHandle handle = memcached.processHandle().orElseThrow();
    Path dir = memcached.workDirectory();
    int port = memcached.port();
    assertThat(handle.isAlive()).isTrue();

    memcached.close();

    assertThat(handle.isAlive()).isFalse();
    assertThat(ProcessHandle.of(handle.pid()).filter(ProcessHandle::isAlive)).isEmpty();
    assertThat(memcached.isRunning()).isFalse();
    assertThat(dir).doesNotExist();
    assertThatThrownBy(() -> new RawConnection("127.0.0.1", port))
        .isInstanceOf(ConnectException.class);
    assertThatThrownBy(memcached::restart).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void missingBinaryFailsWithTheInstallHint() {
    MemcachedLauncher memcached =
        MemcachedLauncher.builder().binary(Path.of("/nonexistent/memcached")).build();

    assertThatThrownBy(memcached::start)
        .isInstanceOf(ServerLaunchException.class)
        .hasMessageContaining("/nonexistent/memcached")
        .hasMessageContaining("install it with: apt-get install -y redis-server memcached");
    assertThat(memcached.processHandle()).isEmpty();
  }

  @Test
  void itemSizeAboveHalfTheMemoryFailsWithMemcachedsOwnMessage() {
    MemcachedLauncher memcached =
        MemcachedLauncher.builder().memoryMegabytes(8).maxItemSize(8 << 20).build();

    assertThatThrownBy(memcached::start)
        .isInstanceOfSatisfying(ServerLaunchException.class, e -> {
          assertThat(e.output()).contains("Cannot set item size limit higher than 1/2 of memory max");
          assertThat(e.getMessage()).contains("memcached exited").contains(e.output().strip());
        });
    assertThat(memcached.isRunning()).isFalse();
  }

  @Test
  void restartOntoATakenPortFailsWithTheServersBindError() throws Exception {
    try (MemcachedLauncher memcached = new MemcachedLauncher().start()) {
      int port = memcached.port();
      memcached.stop();
      try (ServerSocket squatter = new ServerSocket(port, 50, InetAddress.getByName("127.0.0.1"))) {
        assertThat(squatter.getLocalPort()).isEqualTo(port);
        assertThatThrownBy(memcached::restart)
            .isInstanceOfSatisfying(ServerLaunchException.class, e ->
                assertThat(e.output()).containsIgnoringCase("address already in use"));
        assertThat(memcached.isRunning()).isFalse();
      }
      memcached.restart();
      assertThat(memcached.port()).isEqualTo(port);
      try (RawConnection conn = RawConnection.to(memcached)) {
        assertThat(conn.send("version").line()).startsWith("VERSION ");
      }
    }
  }

  @Test
  void builderRejectsNonPositiveSizes() {
    assertThatThrownBy(() -> MemcachedLauncher.builder().memoryMegabytes(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MemcachedLauncher.builder().maxItemSize(-1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static String set(RawConnection conn, String key, byte[] value) throws Exception {
    conn.send("set " + key + " 0 0 " + value.length).send(value).send(new byte[] {'\r', '\n'});
    return conn.line();
  }

  /** The value under {@code key}, or null on a miss. */
  private static byte[] get(RawConnection conn, String key) throws Exception {
    String header = conn.send("get " + key).line();
    if (header.equals("END")) {
      return null;
    }
    String[] parts = header.split(" ");
    assertThat(parts).hasSize(4);
    assertThat(parts[0]).isEqualTo("VALUE");
    assertThat(parts[1]).isEqualTo(key);
    byte[] value = conn.block(Integer.parseInt(parts[3]));
    assertThat(conn.line()).isEqualTo("END");
    return value;
  }

  private static Map<String, String> statsSettings(RawConnection conn) throws Exception {
    Map<String, String> settings = new HashMap<>();
    conn.send("stats settings");
    for (String line = conn.line(); !line.equals("END"); line = conn.line()) {
      String[] parts = line.split(" ", 3);
      assertThat(parts[0]).isEqualTo("STAT");
      settings.put(parts[1], parts.length > 2 ? parts[2] : "");
    }
    return settings;
  }
}
