package io.tiercache.internal.lease;

import io.tiercache.KeyHashing;
import io.tiercache.internal.key.L2KeyEncoder;

/**
 * Where the lease of an entry lives in L2: {@code <namespace>:#l:<entry key without namespace>}.
 *
 * <p>Entry keys never contain a literal {@code #} after the namespace (function names, templates
 * and arguments are escaped), and tag versions live under {@code #t:} and {@code #p:}, so lease
 * keys meet neither. A lease key follows the rules of every L2 key: printable ASCII, at most 250
 * characters; a longer one keeps its first 180 characters and ends in {@code #} and a digest of
 * the rest, as {@link L2KeyEncoder#shorten(String, int)} does for entry keys.
 */
public final class LeaseKeys {
  /** How much of a long lease key stays readable before its digest (room for a SHA-256 one). */
  private static final int READABLE = 180;

  private final String namespaceHead;
  private final String leaseHead;
  private final KeyHashing hashing;

  private LeaseKeys(String namespaceHead, KeyHashing hashing) {
    this.namespaceHead = namespaceHead;
    this.leaseHead = namespaceHead + "#l:";
    this.hashing = hashing;
  }

  /** Lease keys under {@code namespace} (the {@code TierCache}'s namespace), long ones digested with XXH3-128. */
  public static LeaseKeys forNamespace(String namespace) {
    return new LeaseKeys(L2KeyEncoder.namespaceHead(namespace), KeyHashing.XXH3_128);
  }

  /**
   * Lease keys under an escaped namespace head, as {@link L2KeyEncoder#namespaceHead(String)} gives
   * it, long ones digested with {@code hashing} (the {@code TierCache}'s).
   */
  public static LeaseKeys forNamespaceHead(String namespaceHead, KeyHashing hashing) {
    return new LeaseKeys(namespaceHead, java.util.Objects.requireNonNull(hashing, "hashing"));
  }

  /** The lease key of the entry under {@code l2Key}. */
  public String of(String l2Key) {
    String rest = l2Key.startsWith(namespaceHead) ? l2Key.substring(namespaceHead.length()) : l2Key;
    String key = leaseHead + rest;
    return L2KeyEncoder.shorten(key, Math.max(leaseHead.length(), Math.min(key.length(), READABLE)), hashing);
  }
}
