package io.tiercache.internal.engine;

import io.tiercache.AsyncCacheHandle;

/** What tests of async functions look at inside: the maps that must not grow. */
public final class AsyncInternals {
  private AsyncInternals() {}

  /** Computations in flight (entries of the flight map). */
  public static int inFlight(AsyncCacheHandle handle) {
    return AsyncCachedFunctions.engineOf(handle).inFlight();
  }

  /** Entries L1 holds, expired ones not yet purged included. */
  public static int l1Held(AsyncCacheHandle handle) {
    return AsyncCachedFunctions.engineOf(handle).l1Held();
  }
}
