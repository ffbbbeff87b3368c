package io.tiercache.annotation;

import java.util.Collection;

/**
 * Computes tags of a {@link Cached} method's entry from the call and the returned value (one tag
 * per book in a list of favourite books).
 */
public interface TagsFunction {
  /** The tags of this call's entry; {@code result} is what the method returned. */
  Collection<String> tags(CallInfo call, Object result);
}
