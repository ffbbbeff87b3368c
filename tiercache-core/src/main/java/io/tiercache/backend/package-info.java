/**
 * The L2 backend SPI ({@link io.tiercache.backend.Backend}) and the embedded
 * {@link io.tiercache.backend.InMemoryBackend}.
 */
package io.tiercache.backend;
