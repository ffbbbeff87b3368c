package io.tiercache;

/**
 * How an L2 key too long for every backend (over 250 bytes, memcached's limit) is shortened.
 * The readable part of the key (namespace and function name) is kept where it fits; the arguments
 * are replaced by a 128-bit or 256-bit digest of their canonical encoding.
 */
public enum KeyHashing {
  /** XXH3 128-bit: fast, not cryptographic. The default. */
  XXH3_128,
  /** SHA-256: slower; for deployments that require a cryptographic digest in keys. */
  SHA_256
}
