/**
 * How long entries live: fixed TTLs with optional jitter. Internal.
 */
package io.tiercache.internal.expiry;
