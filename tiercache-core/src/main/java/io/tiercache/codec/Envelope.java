package io.tiercache.codec;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The frame around every value stored in L2, so a reader can tell what it holds before decoding:
 *
 * <pre>
 * byte 0      magic 0x74 ('t')
 * byte 1      format version (1)
 * byte 2      kind: 0 = value, 1 = null result (stored only when nulls are cached)
 * bytes 3-6   fingerprint of codec id and declared type (big-endian int)
 * bytes 7-14  expiry, epoch milliseconds, 0 = never (big-endian long)
 * bytes 15-   the codec's payload (empty for a null result)
 * </pre>
 *
 * <p>A reader treats anything else (another magic or version, another type or codec, a truncated
 * frame) as foreign data, and a frame whose expiry has passed as a miss. The expiry travels with the value so that a process
 * filling its L1 from L2 keeps the entry no longer than the writer meant, and so that a backend
 * with coarse TTLs (memcached: seconds) never serves a value past its time.
 */
public final class Envelope {
  /** Bytes before the payload. */
  public static final int HEADER_LENGTH = 15;
  private static final byte MAGIC = 0x74;
  private static final byte VERSION = 1;
  private static final byte KIND_VALUE = 0;
  private static final byte KIND_NULL = 1;

  private Envelope() {}

  /** The fingerprint of values of {@code typeName} written by codec {@code codecId}. */
  public static int fingerprint(String codecId, String typeName) {
    return (codecId + '|' + typeName).hashCode();
  }

  /** Frames a payload; a null payload frames a null result. */
  public static byte[] wrap(byte[] payload, int fingerprint, long expiresAtMillis) {
    int length = payload == null ? 0 : payload.length;
    ByteBuffer buffer = ByteBuffer.allocate(HEADER_LENGTH + length);
    buffer.put(MAGIC).put(VERSION).put(payload == null ? KIND_NULL : KIND_VALUE)
        .putInt(fingerprint).putLong(expiresAtMillis);
    if (payload != null) {
      buffer.put(payload);
    }
    return buffer.array();
  }

  /**
   * Opens a frame.
   *
   * @return the contents (which may have expired: see {@link Opened#isLiveAt}), or empty if the
   *     bytes are not a frame of this fingerprint
   */
  public static Optional<Opened> open(byte[] bytes, int fingerprint) {
    if (bytes == null || bytes.length < HEADER_LENGTH || bytes[0] != MAGIC || bytes[1] != VERSION) {
      return Optional.empty();
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    byte kind = buffer.get(2);
    long expiresAt = buffer.getLong(7);
    if (buffer.getInt(3) != fingerprint || (kind != KIND_VALUE && kind != KIND_NULL)
        || (kind == KIND_NULL && bytes.length != HEADER_LENGTH)) {
      return Optional.empty();
    }
    byte[] payload = null;
    if (kind == KIND_VALUE) {
      payload = new byte[bytes.length - HEADER_LENGTH];
      System.arraycopy(bytes, HEADER_LENGTH, payload, 0, payload.length);
    }
    return Optional.of(new Opened(payload, expiresAt));
  }

  /**
   * An opened frame.
   *
   * @param payload the codec's bytes, or null for a cached null result
   * @param expiresAtMillis epoch milliseconds, 0 = never
   */
  public record Opened(byte[] payload, long expiresAtMillis) {
    /** Whether the frame holds a null result. */
    public boolean isNull() {
      return payload == null;
    }

    /** Whether the value is still live at {@code nowMillis}. */
    public boolean isLiveAt(long nowMillis) {
      return expiresAtMillis == 0 || expiresAtMillis > nowMillis;
    }
  }
}
