/**
 * Test support for backend authors: the conformance suites every {@code Backend} must pass, and
 * launchers for real redis-server and memcached processes on loopback ports.
 */
module io.tiercache.testkit {
  requires transitive io.tiercache.core;
  requires transitive org.junit.jupiter.api;
  requires org.assertj.core;

  exports io.tiercache.testkit;
}
