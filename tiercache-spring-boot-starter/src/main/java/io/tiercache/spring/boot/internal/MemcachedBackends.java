package io.tiercache.spring.boot.internal;

import io.tiercache.backend.Backend;
import io.tiercache.memcached.MemcachedBackend;
import io.tiercache.spring.boot.TierCacheConfigurationException;
import io.tiercache.spring.boot.TierCacheProperties;

/** Builds a {@link MemcachedBackend} from {@code tiercache.backends.<alias>.memcached}; loaded only with tiercache-memcached. */
final class MemcachedBackends {
  private MemcachedBackends() {}

  static Backend build(String prefix, TierCacheProperties.Memcached memcached) {
    if (memcached.servers() == null || memcached.servers().isEmpty()) {
      throw new TierCacheConfigurationException(prefix + ".servers", "list at least one server");
    }
    return Checks.at(prefix + ".servers",
        () -> MemcachedBackend.builder().servers(memcached.servers()).build());
  }
}
