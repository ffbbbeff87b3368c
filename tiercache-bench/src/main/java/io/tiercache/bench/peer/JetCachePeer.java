package io.tiercache.bench.peer;

import com.alicp.jetcache.Cache;
import com.alicp.jetcache.MultiLevelCacheBuilder;
import com.alicp.jetcache.embedded.CaffeineCacheBuilder;
import com.alicp.jetcache.embedded.LinkedHashMapCacheBuilder;
import com.alicp.jetcache.redis.lettuce.RedisLettuceCacheBuilder;
import com.alicp.jetcache.support.Fastjson2KeyConvertor;
import com.alicp.jetcache.support.JavaValueDecoder;
import com.alicp.jetcache.support.JavaValueEncoder;
import io.lettuce.core.RedisClient;
import java.util.concurrent.TimeUnit;

/**
 * JetCache's caches, built with its own builders (no Spring Boot): the local {@code linkedhashmap}
 * type (its own LRU map, the default local type in its documentation) and {@code caffeine} type;
 * the remote Lettuce type with JetCache's defaults under Spring Boot (fastjson2 keys, Java
 * serialization of values); and BOTH mode, a local cache in front of a remote one. Entries live an
 * hour (JetCache's default expiry is shorter than a benchmark run).
 */
public final class JetCachePeer {
  private JetCachePeer() {}

  /** A {@code linkedhashmap} local cache of at most {@code limit} entries. */
  public static <K, V> Cache<K, V> linkedHashMap(int limit) {
    return LinkedHashMapCacheBuilder.createLinkedHashMapCacheBuilder()
        .limit(limit).expireAfterWrite(1, TimeUnit.HOURS).buildCache();
  }

  /** A {@code caffeine} local cache of at most {@code limit} entries. */
  public static <K, V> Cache<K, V> caffeine(int limit) {
    return CaffeineCacheBuilder.createCaffeineCacheBuilder()
        .limit(limit).expireAfterWrite(1, TimeUnit.HOURS).buildCache();
  }

  /** A remote cache on Redis through {@code client}, its keys under {@code keyPrefix}. */
  public static <K, V> Cache<K, V> redis(RedisClient client, String keyPrefix) {
    return RedisLettuceCacheBuilder.createRedisLettuceCacheBuilder()
        .redisClient(client)
        .keyConvertor(Fastjson2KeyConvertor.INSTANCE)
        .valueEncoder(JavaValueEncoder.INSTANCE)
        .valueDecoder(JavaValueDecoder.INSTANCE)
        .keyPrefix(keyPrefix)
        .expireAfterWrite(1, TimeUnit.HOURS)
        .buildCache();
  }

  /** BOTH mode: {@code local} first, then {@code remote}; a remote hit is written to local. */
  @SuppressWarnings("unchecked")
  public static <K, V> Cache<K, V> both(Cache<K, V> local, Cache<K, V> remote) {
    return MultiLevelCacheBuilder.createMultiLevelCacheBuilder()
        .addCache(local, remote).expireAfterWrite(1, TimeUnit.HOURS).buildCache();
  }
}
