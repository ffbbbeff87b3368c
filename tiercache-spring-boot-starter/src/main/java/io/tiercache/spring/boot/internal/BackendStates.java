package io.tiercache.spring.boot.internal;

import io.tiercache.backend.Backend;
import org.springframework.util.ClassUtils;

/** What a backend says about its connection, for health: without tying health to Redis or memcached classes. */
public final class BackendStates {
  private static final boolean REDIS = ClassUtils.isPresent("io.tiercache.redis.RedisBackend",
      BackendStates.class.getClassLoader());
  private static final boolean MEMCACHED = ClassUtils.isPresent(
      "io.tiercache.memcached.MemcachedBackend", BackendStates.class.getClassLoader());

  private BackendStates() {}

  /** How a backend serves L2. */
  public enum Level {
    /** Serves L2. */
    UP,
    /** Serves L2 in part. */
    DEGRADED,
    /** Does not serve L2. */
    DOWN,
    /** Not known yet (connecting). */
    UNKNOWN
  }

  /**
   * A backend's state.
   *
   * @param level how it serves L2
   * @param state its own name for the state
   * @param message what is wrong, or null
   * @param lastError the last error's type and message, or null
   */
  public record State(Level level, String state, String message, String lastError) {}

  /**
   * The state of {@code backend}: Redis and memcached report their connection; other backends
   * (embedded, custom) are up.
   *
   * @param backend the backend
   * @return its state
   */
  public static State of(Backend backend) {
    if (REDIS && backend instanceof io.tiercache.redis.RedisBackend) {
      return RedisStates.of((io.tiercache.redis.RedisBackend) backend);
    }
    if (MEMCACHED && backend instanceof io.tiercache.memcached.MemcachedBackend) {
      return MemcachedStates.of((io.tiercache.memcached.MemcachedBackend) backend);
    }
    return new State(Level.UP, "UP", null, null);
  }

  static String describe(Throwable error) {
    return error == null ? null : error.getClass().getSimpleName() + ": " + error.getMessage();
  }
}
