package io.tiercache.spring.boot.internal;

import io.tiercache.memcached.MemcachedBackend;
import java.util.List;

/** A memcached backend's connected servers as a {@link BackendStates.State}; loaded only with tiercache-memcached. */
final class MemcachedStates {
  private MemcachedStates() {}

  static BackendStates.State of(MemcachedBackend backend) {
    List<String> all = backend.servers();
    List<String> connected = backend.connectedServers();
    String text = connected.size() + " of " + all.size() + " servers connected";
    if (connected.size() == all.size()) {
      return new BackendStates.State(BackendStates.Level.UP, "UP", text, null);
    }
    return new BackendStates.State(connected.isEmpty() ? BackendStates.Level.DOWN
        : BackendStates.Level.DEGRADED, connected.isEmpty() ? "DISCONNECTED" : "PARTIAL", text, null);
  }
}
