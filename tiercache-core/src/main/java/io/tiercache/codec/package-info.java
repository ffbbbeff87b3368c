/**
 * The codec SPI, which turns results into bytes for L2 and back, bound to the declared result type;
 * the default {@link io.tiercache.codec.JacksonCodec}; and the envelope every stored value is
 * framed in.
 */
package io.tiercache.codec;
