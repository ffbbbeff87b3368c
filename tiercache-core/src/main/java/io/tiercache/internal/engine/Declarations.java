package io.tiercache.internal.engine;

import java.time.Duration;
import java.util.Collection;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The per-call options of a cached function beyond its arguments: an explicit key, a prefix,
 * tags, and a lifetime computed from the arguments. Each function receives the call's actual
 * arguments (an instance method's receiver first). All are optional; a function with none of
 * them keeps the lean path of plain memoization.
 *
 * @param key the entry's key after the namespace (e.g. {@code users_by_state:CA}), or null for the
 *     default key built from the function name and the arguments
 * @param prefix a key prefix that is also a tag of the entry, or null
 * @param tags tags known from the arguments (their versions are read with the entry, in one round
 *     trip, and captured before computing), or null
 * @param resultTags tags derived from the arguments and the returned value, or null
 * @param ttl the lifetime of an entry from the arguments (null result: the fixed ttl), or null
 */
public record Declarations(Function<Object[], String> key, Function<Object[], String> prefix,
    Function<Object[], ? extends Collection<String>> tags,
    BiFunction<Object[], Object, ? extends Collection<String>> resultTags,
    Function<Object[], Duration> ttl) {

  /** No per-call options. */
  public static final Declarations NONE = new Declarations(null, null, null, null, null);

  /** Whether entries carry a key, prefix or tags that invalidation must find in L1. */
  boolean marksEntries() {
    return key != null || prefix != null || tags != null || resultTags != null;
  }
}
