package io.tiercache.codec;

/**
 * A value could not be encoded, or bytes could not be decoded into the declared type. The engine
 * never passes it to a caller: an undecodable entry is a miss, an unencodable value is not stored.
 */
public class CodecException extends Exception {

  /**
   * Creates the exception.
   *
   * @param message what could not be encoded or decoded, and why
   * @param cause the underlying failure, or null
   */
  public CodecException(String message, Throwable cause) {
    super(message, cause);
  }
}
