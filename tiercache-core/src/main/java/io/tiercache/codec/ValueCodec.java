package io.tiercache.codec;

/**
 * Encodes and decodes the values of one declared type. Must be thread-safe.
 *
 * @param <T> the declared type
 */
public interface ValueCodec<T> {

  /**
   * The bytes of a non-null value.
   *
   * @param value the value to encode, not null
   * @return the encoded bytes
   * @throws CodecException if the value cannot be encoded (it is then not stored in L2)
   */
  byte[] encode(T value) throws CodecException;

  /**
   * The value of bytes this codec wrote for this type.
   *
   * @param bytes the bytes of an encoded value
   * @return the decoded value
   * @throws CodecException if the bytes are not such a value (the read is then a miss)
   */
  T decode(byte[] bytes) throws CodecException;
}
