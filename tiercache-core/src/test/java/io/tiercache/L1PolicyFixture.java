package io.tiercache;

/**
 * For a test class whose cases run under each {@link L1Policy}: every function it builds through
 * {@link #function} gets {@link #l1Policy()}, which a subclass overrides to run the same cases
 * against the other store.
 */
interface L1PolicyFixture {
  /** The L1 policy of every function the test builds; {@link L1Policy#LRU} unless overridden. */
  default L1Policy l1Policy() {
    return L1Policy.LRU;
  }

  /** {@code in.function(name, type)} with the test's L1 policy. */
  default <R> CachedFunctionBuilder<R> function(TierCache in, String name, Class<R> type) {
    return in.function(name, type).l1Policy(l1Policy());
  }

  /** {@code in.function(name, type)} with the test's L1 policy. */
  default <R> CachedFunctionBuilder<R> function(TierCache in, String name, ValueType<R> type) {
    return in.function(name, type).l1Policy(l1Policy());
  }
}
