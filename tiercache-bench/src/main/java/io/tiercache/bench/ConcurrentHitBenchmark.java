package io.tiercache.bench;

import org.openjdk.jmh.annotations.Threads;

/**
 * {@link HitBenchmark}'s calls on two threads against one shared store of each kind: async-lru's
 * "concurrent cache hits". What threads share (recency stamps, counters, locks) shows here; on a
 * two-core machine the two threads fill it.
 */
@Scenario("The same hits on two threads sharing each store (async-lru's *concurrent cache hits*).")
@Threads(2)
public class ConcurrentHitBenchmark extends HitBenchmark {}
