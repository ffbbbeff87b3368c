package io.tiercache.testkit;

import java.util.List;
import java.util.Objects;

/**
 * Stops and starts the server (or every server) behind a backend under test, so that
 * {@link ServerBackendConformanceSuite} can check what the backend does while its server is gone
 * and whether it recovers by itself when the server comes back.
 *
 * <p>A backend with several servers (a memcached pool, a Redis Cluster) stops and starts all of
 * them: the suite expects every operation to fail or miss while stopped. What losing one server of
 * several costs is backend-specific and tested by the backend's own tests.
 */
public interface ServerControl {

  /** Stops the server(s); returns once they refuse connections. Called with them running. */
  void stop();

  /**
   * Starts the server(s) again on the same addresses; returns once they accept commands (a cluster:
   * once it is healthy again). Whatever they held before may be gone. Called with them stopped, or
   * after a failed test in any state, so it must start only what is not running.
   */
  void start();

  /**
   * Controls launcher-started servers: stops all of them, starts those not running, in order.
   *
   * @param servers the servers, in the order they are started
   * @return the control over those servers
   */
  static ServerControl of(ServerProcess... servers) {
    return of(List.of(servers));
  }

  /**
   * As {@link #of(ServerProcess...)}.
   *
   * @param servers the servers, in the order they are started
   * @return the control over those servers
   */
  static ServerControl of(List<? extends ServerProcess> servers) {
    List<? extends ServerProcess> all = List.copyOf(servers);
    if (all.isEmpty()) {
      throw new IllegalArgumentException("no servers to control");
    }
    all.forEach(server -> Objects.requireNonNull(server, "server"));
    return new ServerControl() {
      @Override
      public void stop() {
        all.forEach(ServerProcess::stop);
      }

      @Override
      public void start() {
        for (ServerProcess server : all) {
          if (!server.isRunning()) {
            server.start();
          }
        }
      }

      @Override
      public String toString() {
        return all.toString();
      }
    };
  }
}
