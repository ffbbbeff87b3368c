/**
 * memcached as tiercache's L2: {@link io.tiercache.memcached.MemcachedBackend}, one or several
 * servers with consistent hashing, on the asynchronous folsom client.
 */
package io.tiercache.memcached;
