package io.tiercache.memcached;

/** Key shapes tiercache sends. */
final class BackendKeys {
  /** Namespace, function, escaped arguments, and a digest of long ones. */
  static final String TIERCACHE_KEY = "shop:quote:s%E2%82%AC,[n1],{m{a=b}},~,#0123456789abcdef";

  private BackendKeys() {}
}
