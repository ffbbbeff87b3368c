package io.tiercache.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.testkit.RedisServerLauncher;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The operator's case: two running application processes ({@link CliPeer}, child JVMs) hold a tagged
 * entry in their L1s; {@code tiercache invalidate --tag} from this process makes both drop it within
 * the channel's stated bound (2 × the 500 ms heartbeat), serving only the old value until then.
 */
class CliTwoProcessTest {
  private static final Duration BOUND = Duration.ofSeconds(1);

  @Test
  void invalidateByTagReachesTheL1sOfTwoRunningProcessesWithinTheBound() throws Exception {
    List<Process> peers = new ArrayList<>();
    try (RedisServerLauncher redis = new RedisServerLauncher().start()) {
      List<Peer> running = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        Process process = startPeer(redis.uri());
        peers.add(process);
        Peer peer = new Peer(process);
        assertThat(peer.readLine()).isEqualTo("ready");
        running.add(peer);
      }
      for (Peer peer : running) {
        assertThat(peer.ask("get 1")).isEqualTo("p1#1 1"); // computed
        assertThat(peer.ask("get 1")).isEqualTo("p1#1 1"); // an L1 hit
        assertThat(peer.ask("get 2")).isEqualTo("p2#2 2"); // another tag: stays
      }

      Cli.Result result = Cli.run("invalidate", "--redis", redis.uri(), "-n", "ops", "--tag", "sku:1");
      long returned = System.nanoTime();

      assertThat(result.code()).as(result.toString()).isEqualTo(ExitCodes.OK);
      assertThat(result.out()).isEqualTo("invalidated tag 'sku:1' in namespace 'ops' (redis(" + redis.address()
          + "))\npublished to the other processes: their L1s drop it within 1 s\n");
      for (Peer peer : running) {
        String seen;
        while ((seen = peer.ask("get 1")).startsWith("p1#1 ")) { // only the old value until it drops
          assertThat(System.nanoTime() - returned).as("a process served the old value longer than the bound")
              .isLessThan(BOUND.toNanos());
        }
        assertThat(seen).isEqualTo("p1#3 2"); // computed again (its third computation), sku 2 still held
        assertThat(peer.ask("get 2")).isEqualTo("p2#2 2"); // an L1 hit: the other tag was untouched
      }
      for (Peer peer : running) {
        assertThat(peer.ask("quit")).isEqualTo("bye");
      }
    } finally {
      for (Process process : peers) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  /** A child JVM, asked one line at a time. */
  private record Peer(Writer in, BufferedReader out) {
    Peer(Process process) {
      this(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8),
          new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)));
    }

    String readLine() throws IOException {
      String line = out.readLine();
      if (line == null) {
        throw new AssertionError("the child JVM exited");
      }
      return line;
    }

    String ask(String command) throws IOException {
      in.write(command + "\n");
      in.flush();
      return readLine();
    }
  }

  private static Process startPeer(String uri) throws IOException {
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(List.of(java, "-cp", classpath, CliPeer.class.getName(), uri, "ops"))
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
  }
}
