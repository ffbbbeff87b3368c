package io.tiercache;

/**
 * Which entries a bounded L1 keeps when it is full: the choice between lru2cache's exact order
 * and a higher hit ratio. Set per function with {@link CachedFunctionBuilder#l1Policy(L1Policy)}
 * or {@code @Cached(l1Policy = ...)}; the default is {@link #LRU}.
 *
 * <p>Neither policy changes what a call returns, what L2 holds, or how invalidations work: an
 * invalidation by handle, key, tag or prefix, a refresh and {@code cacheClear} reach L1 the same
 * way under both. They differ only in which entry a full L1 lets go, and so in how often a call is
 * an L1 hit.
 */
public enum L1Policy {
  /**
   * Exact least-recently-used order (lru2cache's contract): with a bound of 2, the calls 1, 2, 3, 1
   * make the last one a miss, and every new entry is admitted. Choose it when callers rely on that
   * order (tests that count computations, a port of lru2cache code), when the working set fits in
   * L1 anyway, or when recent keys are the likely next ones (scans of new data, sessions). The
   * default.
   */
  LRU,

  /**
   * Caffeine's W-TinyLFU: a small LRU window for new entries, then an admission filter that keeps
   * an entry only if it was asked for more often (by a compact frequency sketch) than the one it
   * would push out. On skewed workloads (a few keys asked for far more often than the rest) it
   * keeps more of the hot keys and hits several points more often than exact LRU (see
   * {@code docs/l1-policy.md}); a one-off key may then not be kept at all, so the order of
   * evictions is not LRU's. Choose it for large, skewed key spaces where the hit ratio pays (each
   * miss is an L2 round trip or a computation). It needs a bounded L1 ({@code l1MaxSize} of at
   * least 1): building a function with this policy and {@code l1Unbounded()} or
   * {@code l1MaxSize(0)} fails, naming the options.
   */
  W_TINY_LFU
}
