package io.tiercache.annotation;

/**
 * Computes the key of a call of a {@link Cached} method; must return the same key for equal calls.
 * It may read the receiver ({@link CallInfo#receiver()}) only through what the method's
 * {@link Cached#instanceKey()} names, which the method must declare: L1 tells receivers apart by
 * that instance key alone, since it cannot see what the function reads
 * ({@link Cached#SHARED_RECEIVERS} for a function that does not read the receiver).
 */
public interface KeyFunction {
  /**
   * The key of this call (the part after the namespace and prefix).
   *
   * @param call the method, receiver and arguments of the call
   * @return the key; must not be null
   */
  String key(CallInfo call);
}
