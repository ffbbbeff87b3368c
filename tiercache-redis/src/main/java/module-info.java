/** The Redis backend (standalone, Cluster, Sentinel) on Lettuce, with its invalidation channel. */
module io.tiercache.redis {
  requires transitive io.tiercache.core;
  requires transitive lettuce.core;
  requires io.netty.common;

  exports io.tiercache.redis;
}
