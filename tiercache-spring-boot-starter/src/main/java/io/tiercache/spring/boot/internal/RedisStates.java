package io.tiercache.spring.boot.internal;

import io.tiercache.redis.RedisBackend;
import io.tiercache.redis.RedisHealth;

/** {@link RedisHealth} as a {@link BackendStates.State}; loaded only with tiercache-redis. */
final class RedisStates {
  private RedisStates() {}

  static BackendStates.State of(RedisBackend backend) {
    RedisHealth health = backend.health();
    BackendStates.Level level = switch (health.status()) {
      case UP -> BackendStates.Level.UP;
      case CONNECTING -> BackendStates.Level.UNKNOWN;
      default -> BackendStates.Level.DOWN;
    };
    return new BackendStates.State(level, health.status().name(), health.message(),
        BackendStates.describe(health.lastError()));
  }
}
