/** The memcached backend on folsom. */
module io.tiercache.memcached {
  requires transitive io.tiercache.core;
  requires folsom;
  requires zero.allocation.hashing;

  exports io.tiercache.memcached;
}
