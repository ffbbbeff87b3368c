package io.tiercache.annotation;

/** Computes the key of a call of a {@link Cached} method; must return the same key for equal calls. */
public interface KeyFunction {
  /** The key of this call (the part after the namespace and prefix). */
  String key(CallInfo call);
}
