/**
 * The machinery behind {@link io.tiercache.annotation.Cached}: one cached function per annotated
 * method, and the proxies (JDK proxies for interfaces, ByteBuddy subclasses for classes) that
 * route calls to them. Internal.
 */
package io.tiercache.internal.proxy;
