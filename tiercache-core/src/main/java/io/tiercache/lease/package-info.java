/**
 * Stampede leases across processes: the {@link io.tiercache.lease.LeasePolicy} of a cached
 * function, where leases live in L2 ({@code <namespace>:#l:<entry key>}) and what they did
 * ({@link io.tiercache.lease.LeaseStats}). Backends offer leases through
 * {@link io.tiercache.backend.LeasingBackend}.
 */
package io.tiercache.lease;

