package io.tiercache.coherence;

import java.util.List;
import java.util.Objects;

/**
 * One invalidation made by a process, as its peers receive it: which L1 entries they must drop.
 * Keys are L2 keys as tiercache builds them (printable ASCII, no spaces, at most 250 characters),
 * without any backend key prefix.
 *
 * @param kind what was invalidated
 * @param keys the L2 keys ({@link Kind#KEY}, {@link Kind#REFRESH}), tag keys ({@link Kind#TAGS})
 *     or prefix keys ({@link Kind#PREFIX}); empty for {@link Kind#CLEAR}
 * @param function for {@link Kind#CLEAR}, the cached function whose L1 is emptied, or null for
 *     every function; null otherwise
 */
public record InvalidationMessage(Kind kind, List<String> keys, String function) {

  /** What a message invalidates. */
  public enum Kind {
    /** Entries by L2 key: a handle's {@code invalidate(args)}, or {@code invalidateKey}. */
    KEY,
    /** Entries carrying any of these tag keys: {@code invalidateTags}. */
    TAGS,
    /** Entries under these prefix keys: {@code invalidatePrefix}. */
    PREFIX,
    /** A function's L1 (or every L1): {@code cacheClear()}. */
    CLEAR,
    /** Entries by L2 key whose value was computed anew: {@code refresh(args)}. */
    REFRESH
  }

  /**
   * Checks and copies the fields.
   *
   * @param kind what was invalidated; not null
   * @param keys the keys, none for {@link Kind#CLEAR} and at least one otherwise; copied
   * @param function the function a {@link Kind#CLEAR} empties, or null
   * @throws IllegalArgumentException if the keys do not fit the kind
   */
  public InvalidationMessage {
    Objects.requireNonNull(kind, "kind");
    keys = List.copyOf(keys);
    if (kind == Kind.CLEAR ? !keys.isEmpty() : keys.isEmpty()) {
      throw new IllegalArgumentException(kind == Kind.CLEAR ? "a CLEAR message carries no keys"
          : "a " + kind + " message needs at least one key");
    }
    if (kind != Kind.CLEAR && function != null) {
      throw new IllegalArgumentException("only a CLEAR message names a function");
    }
  }

  /**
   * Entries by L2 key.
   *
   * @param l2Key the entry's full L2 key
   * @return the message
   */
  public static InvalidationMessage key(String l2Key) {
    return new InvalidationMessage(Kind.KEY, List.of(l2Key), null);
  }

  /**
   * Entries by L2 key, recomputed by the sender.
   *
   * @param l2Key the entry's full L2 key
   * @return the message
   */
  public static InvalidationMessage refresh(String l2Key) {
    return new InvalidationMessage(Kind.REFRESH, List.of(l2Key), null);
  }

  /**
   * Entries carrying any of {@code tagKeys}.
   *
   * @param tagKeys the full L2 keys of the tags
   * @return the message
   */
  public static InvalidationMessage tags(List<String> tagKeys) {
    return new InvalidationMessage(Kind.TAGS, tagKeys, null);
  }

  /**
   * Entries under {@code prefixKey}.
   *
   * @param prefixKey the full L2 key of the prefix
   * @return the message
   */
  public static InvalidationMessage prefix(String prefixKey) {
    return new InvalidationMessage(Kind.PREFIX, List.of(prefixKey), null);
  }

  /**
   * The L1 of {@code function}, or of every function when null.
   *
   * @param function the function's name, or null for all
   * @return the message
   */
  public static InvalidationMessage clear(String function) {
    return new InvalidationMessage(Kind.CLEAR, List.of(), function);
  }
}
