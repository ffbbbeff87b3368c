package io.tiercache.annotation;

import java.time.Duration;

/** Computes the lifetime of a {@link Cached} method's entry from the call (easy_cache's dynamic timeout). */
public interface TtlFunction {
  /**
   * The lifetime, or null for the method's fixed ttl.
   *
   * @param call the method, receiver and arguments of the call
   * @return the entry's lifetime, or null
   */
  Duration ttl(CallInfo call);
}
