package io.tiercache.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link RedisSentinelSetup} with the real redis-server binary in server and sentinel modes. */
class RedisSentinelSetupTest {

  @Test
  void startsAMasterAReplicaAndSentinelsThatAgreeOnTheMaster() throws Exception {
    try (RedisSentinelSetup setup = RedisSentinelSetup.start(
        RedisSentinelSetup.Settings.defaults().withSentinels(3))) {
      assertThat(setup.settings().quorum()).isEqualTo(2);
      assertThat(setup.sentinels()).hasSize(3);
      assertThat(setup.uri()).isEqualTo("redis-sentinel://"
          + setup.sentinels().get(0).address() + "," + setup.sentinels().get(1).address() + ","
          + setup.sentinels().get(2).address() + "/0#mymaster");
      assertThat(setup.masterAddress()).isEqualTo(setup.master().address());
      try (RawConnection replica = RawConnection.to(setup.replica())) {
        assertThat(replica.redis("INFO replication")).contains("role:slave",
            "master_port:" + setup.master().port(), "master_link_status:up");
      }
      Path config = setup.sentinels().get(0).workDirectory().resolve("sentinel.conf");
      assertThat(Files.readString(config)).contains("sentinel monitor mymaster 127.0.0.1 "
          + setup.master().port() + " 2");
    }
  }

  @Test
  void serverControlStopsEveryProcessAndStartsThemAgainOnTheSamePorts() {
    try (RedisSentinelSetup setup = RedisSentinelSetup.start(RedisSentinelSetup.Settings.defaults())) {
      List<Integer> ports = new ArrayList<>(List.of(setup.master().port(), setup.replica().port(),
          setup.sentinels().get(0).port()));
      ServerControl control = setup.serverControl();

      control.stop();
      assertThat(setup.master().isRunning()).isFalse();
      assertThat(setup.replica().isRunning()).isFalse();
      assertThat(setup.sentinels().get(0).isRunning()).isFalse();
      assertThatThrownBy(setup::masterAddress).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("no sentinel reports a master named mymaster");

      control.start();
      assertThat(List.of(setup.master().port(), setup.replica().port(),
          setup.sentinels().get(0).port())).isEqualTo(ports);
      assertThat(setup.masterAddress()).isEqualTo(setup.master().address());
    }
  }

  @Test
  void closeLeavesNoProcessBehind() {
    List<ProcessHandle> processes = new ArrayList<>();
    try (RedisSentinelSetup setup = RedisSentinelSetup.start(RedisSentinelSetup.Settings.defaults())) {
      processes.add(setup.master().processHandle().orElseThrow());
      processes.add(setup.replica().processHandle().orElseThrow());
      processes.add(setup.sentinels().get(0).processHandle().orElseThrow());
    }
    assertThat(processes).noneMatch(ProcessHandle::isAlive);
  }

  @Test
  void awaitMasterNamesWhatTheSentinelsReportWhenItTimesOut() {
    try (RedisSentinelSetup setup = RedisSentinelSetup.start(RedisSentinelSetup.Settings.defaults())) {
      assertThatThrownBy(() -> setup.awaitMaster("127.0.0.1:1", Duration.ofMillis(200)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("did not all report 127.0.0.1:1 as master mymaster")
          .hasMessageContaining("address=" + setup.master().address());
    }
  }

  @Test
  void settingsRejectWhatSentinelCannotRun() {
    RedisSentinelSetup.Settings defaults = RedisSentinelSetup.Settings.defaults();
    assertThatThrownBy(() -> defaults.withSentinels(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sentinels must be at least 1, got 0");
    assertThatThrownBy(() -> defaults.withDownAfter(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("downAfter must be positive, got PT0S");
    assertThatThrownBy(() -> new RedisSentinelSetup.Settings("my master", 1, Duration.ofSeconds(1),
        Duration.ofSeconds(3), Duration.ofSeconds(30)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got 'my master'");
  }
}
