package io.tiercache.annotation;

import java.util.Collection;

/**
 * Computes tags of a {@link Cached} method's entry from the call and the returned value (one tag
 * per book in a list of favourite books).
 */
public interface TagsFunction {
  /**
   * The tags of this call's entry; {@code result} is what the method returned.
   *
   * @param call the method, receiver and arguments of the call
   * @param result the method's return value, possibly null
   * @return the tags, plain text; empty for none
   */
  Collection<String> tags(CallInfo call, Object result);
}
