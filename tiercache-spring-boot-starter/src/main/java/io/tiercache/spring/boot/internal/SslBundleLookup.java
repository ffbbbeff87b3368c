package io.tiercache.spring.boot.internal;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * The trust and key managers of a named Spring Boot SSL bundle, or null when the application has
 * no bundles; keeps the Redis factory free of Boot's SSL types.
 */
@FunctionalInterface
public interface SslBundleLookup {
  /**
   * The managers of the bundle {@code name}.
   *
   * @param name the bundle's name under {@code spring.ssl.bundle}
   * @return its managers
   * @throws IllegalArgumentException if there is no such bundle
   */
  Managers managers(String name);

  /**
   * A bundle's managers.
   *
   * @param trust the trust managers
   * @param keys the key managers, or null
   */
  record Managers(TrustManagerFactory trust, KeyManagerFactory keys) {}
}
