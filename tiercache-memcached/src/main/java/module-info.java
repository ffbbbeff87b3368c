/** The memcached backend on folsom. */
module io.tiercache.memcached {
  requires transitive io.tiercache.core;
  requires folsom;
  requires com.dynatrace.hash4j;

  exports io.tiercache.memcached;
}
