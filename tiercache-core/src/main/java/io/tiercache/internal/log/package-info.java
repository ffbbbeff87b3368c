/**
 * Logging shared by core and the backend modules: {@link io.tiercache.internal.log.ThrottledLog}, which keeps
 * a recurring problem (an L2 outage, a channel that cannot publish, a server that refuses the
 * credentials) to one line per period. Internal: not part of the caching API.
 */
package io.tiercache.internal.log;
