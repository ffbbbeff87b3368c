package io.tiercache.spring.boot;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisURI;
import io.tiercache.redis.RedisBackend;
import java.lang.reflect.Field;

/**
 * Reads settings that the built objects keep private (a {@code TierCache}'s L2 timeout, the Lettuce
 * client and URI of a {@code RedisBackend}), so a binding test can show a property reached them
 * where no public accessor or behaviour shows it without timing.
 */
final class Internals {
  private Internals() {}

  static Object field(Object target, String name) {
    for (Class<?> type = target.getClass(); type != null; type = type.getSuperclass()) {
      try {
        Field field = type.getDeclaredField(name);
        field.setAccessible(true);
        return field.get(target);
      } catch (NoSuchFieldException e) {
        // look in the superclass
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalArgumentException("no field " + name + " in " + target.getClass());
  }

  /** The options of the client a {@code RedisBackend} created (standalone, Sentinel or Cluster). */
  static ClientOptions clientOptions(RedisBackend backend) {
    Object source = field(backend, "source");
    return ((AbstractRedisClient) field(source, "client")).getOptions();
  }

  /** The URI a standalone or Sentinel {@code RedisBackend} connects to. */
  static RedisURI uri(RedisBackend backend) {
    return (RedisURI) field(field(backend, "source"), "uri");
  }
}
