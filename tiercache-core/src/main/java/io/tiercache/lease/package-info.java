/**
 * Stampede leases across processes: the {@link io.tiercache.lease.LeasePolicy} of a cached
 * function, where leases live in L2 ({@link io.tiercache.internal.lease.LeaseKeys}) and what they did
 * ({@link io.tiercache.lease.LeaseStats}). Backends offer leases through
 * {@link io.tiercache.backend.LeasingBackend}.
 */
package io.tiercache.lease;

import io.tiercache.internal.lease.LeaseKeys;
