package io.tiercache;

/**
 * Every interleaving of {@link InvalidationInterleavingTest} with a W-TinyLFU L1 (Caffeine's
 * store): its conditional store and its removals must be ordered exactly as {@code LruStore}'s, or
 * one of these cases stores a value computed before an invalidation.
 */
class InvalidationInterleavingWTinyLfuTest extends InvalidationInterleavingTest {
  @Override
  public L1Policy l1Policy() {
    return L1Policy.W_TINY_LFU;
  }
}
