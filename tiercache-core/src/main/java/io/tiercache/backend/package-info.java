/**
 * The L2 backend SPI ({@link io.tiercache.backend.Backend}), the embedded
 * {@link io.tiercache.backend.InMemoryBackend}, and {@link io.tiercache.backend.ForwardingBackend},
 * the base of decorators of a backend.
 */
package io.tiercache.backend;
