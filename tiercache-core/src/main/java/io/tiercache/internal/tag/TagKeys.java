package io.tiercache.internal.tag;

import io.tiercache.internal.key.KeyText;
import io.tiercache.internal.key.L2KeyEncoder;
import java.security.SecureRandom;
import java.util.random.RandomGenerator;

/**
 * Where tag and prefix versions live in L2, and how new versions are drawn.
 *
 * <p>A tag's version is stored under {@code <namespace>:#t:<tag>} and a prefix's under
 * {@code <namespace>:#p:<prefix>}; function names cannot contain {@code #}, so these keys never
 * meet an entry's key. Invalidating a tag writes a new random version: one backend command,
 * whatever the number of entries stamped with the old one. A version that is missing (never
 * written, or evicted) is never taken as valid: the reader of an entry treats it as changed, and a
 * writer that finds none creates one before computing.
 */
public final class TagKeys {
  private final String tagPrefix;
  private final String prefixPrefix;
  private final RandomGenerator random = new SecureRandom();

  /** Tag keys under {@code namespace}. */
  public TagKeys(String namespace) {
    StringBuilder sb = new StringBuilder();
    L2KeyEncoder.escapeInto(sb, namespace);
    this.tagPrefix = sb + ":#t:";
    this.prefixPrefix = sb + ":#p:";
  }

  /**
   * The L2 key of a tag's version: the tag is plain text, escaped by {@link KeyText#escape} (the
   * one rule for every path that names a tag).
   */
  public String tagKey(String tag) {
    return keyOf(tagPrefix, tag);
  }

  /**
   * The L2 key of a prefix's version (a prefix is also a tag of every entry under it); plain text,
   * as {@link #tagKey}.
   */
  public String prefixKey(String prefix) {
    return keyOf(prefixPrefix, prefix);
  }

  /** Whether {@code key} is a prefix's version key (as opposed to a tag's). */
  public boolean isPrefixKey(String key) {
    return key.startsWith(prefixPrefix);
  }

  private static String keyOf(String head, String name) {
    StringBuilder sb = new StringBuilder(head.length() + name.length() + 8).append(head);
    KeyText.escapeInto(sb, name);
    return L2KeyEncoder.shorten(sb.toString(), head.length());
  }

  /** A fresh version, never 0 (0 is how an absent version reads). */
  public long newVersion() {
    long v;
    do {
      v = random.nextLong();
    } while (v == 0);
    return v;
  }

  /** The bytes a version is stored as. */
  public static byte[] encode(long version) {
    byte[] b = new byte[8];
    for (int i = 7; i >= 0; i--) {
      b[i] = (byte) version;
      version >>>= 8;
    }
    return b;
  }

  /** A stored version, or 0 when the bytes are absent or not a version. */
  public static long decode(byte[] bytes) {
    if (bytes == null || bytes.length != 8) {
      return 0;
    }
    long v = 0;
    for (byte b : bytes) {
      v = (v << 8) | (b & 0xFF);
    }
    return v;
  }
}
