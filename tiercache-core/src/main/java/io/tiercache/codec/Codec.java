package io.tiercache.codec;

import io.tiercache.ValueType;

/**
 * Turns values into bytes and back. A codec is asked once per cached function, when it is built,
 * for a {@link ValueCodec} bound to that function's declared result type; decoding never produces
 * anything but that type, and never loads a class named inside the data unless the type allows it.
 */
public interface Codec {

  /**
   * A short, stable name stored with every value (with the declared type) so that data written by
   * another codec or for another type is recognised as foreign and treated as a miss.
   *
   * @return the codec's stable name
   */
  String id();

  /**
   * The encoder/decoder for one declared type.
   *
   * @param <T> the declared type
   * @param type the declared result type of a cached function
   * @return the encoder/decoder of values of {@code type}
   * @throws IllegalArgumentException if this codec cannot handle the type; thrown when the cached
   *     function is built, not when it is first called
   */
  <T> ValueCodec<T> forType(ValueType<T> type);
}
