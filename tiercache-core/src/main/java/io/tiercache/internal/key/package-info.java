/**
 * Cache keys. L1 keys ({@link io.tiercache.internal.key.ArgsKey}) are cheap objects compared by value, built
 * on every call; L2 keys ({@link io.tiercache.internal.key.L2KeyEncoder}) are stable, injective strings built
 * only on an L1 miss, valid for every backend. Internal: not part of the public API.
 */
package io.tiercache.internal.key;
