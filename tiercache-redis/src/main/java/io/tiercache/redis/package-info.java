/**
 * Redis as tiercache's L2: {@link io.tiercache.redis.RedisBackend} on Lettuce (standalone,
 * Sentinel, Cluster; TLS and ACL authentication through the URI), with a short command timeout,
 * background (re)connection and a circuit breaker, so that a Redis that is down, slow or refusing
 * the credentials makes cached calls compute instead of failing.
 */
package io.tiercache.redis;
