package io.tiercache.memcached;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The memcached key a backend key is stored under.
 *
 * <p>memcached accepts keys of 1 to 250 bytes without spaces or control characters. tiercache only
 * sends such keys (printable ASCII), and they are used unchanged, at no cost beyond one scan. Any
 * other string (empty, longer than 250 characters, with a space, a control character, DEL or a
 * non-ASCII character) is replaced by {@value #HASHED_PREFIX} followed by the hex SHA-256 of its
 * UTF-16 code units, 72 characters in all. So is a valid key that happens to begin with that
 * prefix, so a hashed key can never equal a key sent unchanged: the mapping is injective (short of
 * a SHA-256 collision) and the same in every JVM. Hashing the UTF-16 code units rather than UTF-8
 * bytes keeps strings that differ only in unpaired surrogates apart (UTF-8 encoding would turn
 * both into {@code ?}).
 */
final class WireKeys {
  /** What begins every hashed key; no key is ever sent unchanged if it begins with this. */
  static final String HASHED_PREFIX = "~sha256:";

  /** memcached's longest key, in bytes. */
  static final int MAX_KEY_LENGTH = 250;

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private WireKeys() {}

  /** The key to send to memcached for {@code key}. */
  static String of(String key) {
    return isSentUnchanged(key) ? key : hashed(key);
  }

  /** Whether {@code key} is valid for memcached and sent as it is. */
  static boolean isSentUnchanged(String key) {
    int length = key.length();
    if (length == 0 || length > MAX_KEY_LENGTH) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      char c = key.charAt(i);
      if (c <= ' ' || c >= 0x7f) {
        return false;
      }
    }
    return !key.startsWith(HASHED_PREFIX);
  }

  private static String hashed(String key) {
    ByteBuffer units = ByteBuffer.allocate(key.length() * 2);
    for (int i = 0; i < key.length(); i++) {
      units.putChar(key.charAt(i));
    }
    byte[] digest = sha256().digest(units.array());
    StringBuilder out = new StringBuilder(HASHED_PREFIX.length() + digest.length * 2)
        .append(HASHED_PREFIX);
    for (byte b : digest) {
      out.append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
    }
    return out.toString();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every Java platform has SHA-256", e);
    }
  }

  /** The bytes memcached sees for a wire key (always ASCII). */
  static byte[] bytes(String wireKey) {
    return wireKey.getBytes(StandardCharsets.US_ASCII);
  }
}
