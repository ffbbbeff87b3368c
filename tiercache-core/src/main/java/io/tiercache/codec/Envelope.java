package io.tiercache.codec;

import io.tiercache.codec.TagStamp;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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
 * bytes 15-16 number of tag stamps (unsigned short), then per stamp:
 *             key length (unsigned short), key (ASCII), version (long)
 * then        the codec's payload (empty for a null result)
 * </pre>
 *
 * <p>A reader treats anything else (another magic or version, another type or codec, a truncated
 * frame) as foreign data, and a frame whose expiry has passed as a miss. The expiry travels with
 * the value so that a process filling its L1 from L2 keeps the entry no longer than the writer
 * meant, and so that a backend with coarse TTLs (memcached: seconds) never serves a value past its
 * time. The tag stamps travel with it so that any reader can check them against the tags' current
 * versions, including tags that were derived from the value itself.
 */
public final class Envelope {
  /** Bytes before the tag stamps. */
  public static final int FIXED_HEADER_LENGTH = 17;
  private static final byte MAGIC = 0x74;
  /**
   * The frame's format. 1: magic, kind, codec fingerprint, expiry, payload. 2: tag stamps added.
   * A reader accepts only its own version, so two deploys that share an L2 treat each other's
   * frames as misses instead of misreading them.
   */
  private static final byte VERSION = 2;
  private static final byte KIND_VALUE = 0;
  private static final byte KIND_NULL = 1;

  private Envelope() {}

  /**
   * The fingerprint of values of {@code typeName} written by codec {@code codecId}.
   *
   * @param codecId the {@link Codec#id()} of the codec that wrote the values
   * @param typeName the declared type's name
   * @return a hash of both names, stored in every frame
   */
  public static int fingerprint(String codecId, String typeName) {
    return (codecId + '|' + typeName).hashCode();
  }

  /**
   * Frames a payload with no tags; a null payload frames a null result.
   *
   * @param payload the encoded value, or null for a null result
   * @param fingerprint the fingerprint of the codec and type, from {@link #fingerprint}
   * @param expiresAtMillis the wall-clock expiry, in milliseconds since the epoch
   * @return the frame's bytes, to store in L2
   */
  public static byte[] wrap(byte[] payload, int fingerprint, long expiresAtMillis) {
    return wrap(payload, fingerprint, expiresAtMillis, List.of());
  }

  /**
   * Frames a payload with the versions of its tags; a null payload frames a null result.
   *
   * @param payload the encoded value, or null for a null result
   * @param fingerprint the fingerprint of the codec and type, from {@link #fingerprint}
   * @param expiresAtMillis the wall-clock expiry, in milliseconds since the epoch
   * @param stamps the versions of the entry's tags when its value was computed
   * @return the frame's bytes, to store in L2
   */
  public static byte[] wrap(byte[] payload, int fingerprint, long expiresAtMillis, List<TagStamp> stamps) {
    if (stamps.size() > 0xFFFF) {
      throw new IllegalArgumentException("an entry may have at most 65535 tags, got " + stamps.size());
    }
    List<byte[]> keys = new ArrayList<>(stamps.size());
    int length = FIXED_HEADER_LENGTH + (payload == null ? 0 : payload.length);
    for (TagStamp stamp : stamps) {
      byte[] key = stamp.key().getBytes(StandardCharsets.US_ASCII);
      keys.add(key);
      length += 2 + key.length + 8;
    }
    ByteBuffer buffer = ByteBuffer.allocate(length);
    buffer.put(MAGIC).put(VERSION).put(payload == null ? KIND_NULL : KIND_VALUE)
        .putInt(fingerprint).putLong(expiresAtMillis).putShort((short) stamps.size());
    for (int i = 0; i < stamps.size(); i++) {
      buffer.putShort((short) keys.get(i).length).put(keys.get(i)).putLong(stamps.get(i).version());
    }
    if (payload != null) {
      buffer.put(payload);
    }
    return buffer.array();
  }

  /**
   * Opens a frame.
   *
   * @param bytes the bytes read from L2
   * @param fingerprint the fingerprint of the codec and type, from {@link #fingerprint}
   * @return the contents (which may have expired: see {@link Opened#isLiveAt}), or empty if the
   *     bytes are not a frame of this fingerprint
   */
  public static Optional<Opened> open(byte[] bytes, int fingerprint) {
    if (bytes == null || bytes.length < FIXED_HEADER_LENGTH || bytes[0] != MAGIC || bytes[1] != VERSION) {
      return Optional.empty();
    }
    try {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      buffer.position(2);
      byte kind = buffer.get();
      int storedFingerprint = buffer.getInt();
      long expiresAt = buffer.getLong();
      int count = Short.toUnsignedInt(buffer.getShort());
      if (storedFingerprint != fingerprint || (kind != KIND_VALUE && kind != KIND_NULL)) {
        return Optional.empty();
      }
      List<TagStamp> stamps = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        byte[] key = new byte[Short.toUnsignedInt(buffer.getShort())];
        buffer.get(key);
        stamps.add(new TagStamp(new String(key, StandardCharsets.US_ASCII), buffer.getLong()));
      }
      byte[] payload = null;
      if (kind == KIND_VALUE) {
        payload = new byte[buffer.remaining()];
        buffer.get(payload);
      } else if (buffer.hasRemaining()) {
        return Optional.empty();
      }
      return Optional.of(new Opened(payload, expiresAt, List.copyOf(stamps)));
    } catch (BufferUnderflowException e) {
      return Optional.empty();
    }
  }

  /**
   * Reads a frame's header without knowing its type and without decoding its payload: for tools
   * that show what L2 holds (the command line's {@code inspect}).
   *
   * @param bytes the bytes read from L2
   * @return the header, or empty if the bytes are not a whole frame of this format (foreign or
   *     corrupt data)
   */
  public static Optional<Header> header(byte[] bytes) {
    if (bytes == null || bytes.length < FIXED_HEADER_LENGTH || bytes[0] != MAGIC || bytes[1] != VERSION) {
      return Optional.empty();
    }
    int fingerprint = ByteBuffer.wrap(bytes, 3, 4).getInt();
    return open(bytes, fingerprint).map(o -> new Header(o.isNull(), fingerprint, o.expiresAtMillis(),
        o.stamps(), o.payload() == null ? 0 : o.payload().length));
  }

  /**
   * A frame's header, as {@link #header} reads it.
   *
   * @param nullResult whether the frame holds a cached null result
   * @param fingerprint the fingerprint of the writer's codec and declared type (see {@link #fingerprint})
   * @param expiresAtMillis epoch milliseconds, 0 = never
   * @param stamps the versions of the entry's tags when it was computed
   * @param payloadLength the codec's bytes after the header
   */
  public record Header(boolean nullResult, int fingerprint, long expiresAtMillis, List<TagStamp> stamps,
      int payloadLength) {}

  /**
   * An opened frame.
   *
   * @param payload the codec's bytes, or null for a cached null result
   * @param expiresAtMillis epoch milliseconds, 0 = never
   * @param stamps the versions of the entry's tags when it was computed
   */
  public record Opened(byte[] payload, long expiresAtMillis, List<TagStamp> stamps) {
    /**
     * Whether the frame holds a null result.
     *
     * @return true for a cached null
     */
    public boolean isNull() {
      return payload == null;
    }

    /**
     * Whether the value is still live at {@code nowMillis}.
     *
     * @param nowMillis the wall-clock time, in milliseconds since the epoch
     * @return true if the value has not expired at {@code nowMillis}
     */
    public boolean isLiveAt(long nowMillis) {
      return expiresAtMillis == 0 || expiresAtMillis > nowMillis;
    }
  }
}
