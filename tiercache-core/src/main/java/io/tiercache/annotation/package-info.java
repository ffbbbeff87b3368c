/**
 * Declarative caching: {@link io.tiercache.annotation.Cached} on interface or class methods, served
 * by a proxy that {@code TierCache.proxy(...)} makes; {@link io.tiercache.annotation.CacheDefaults}
 * declares shared options once per class.
 */
package io.tiercache.annotation;
