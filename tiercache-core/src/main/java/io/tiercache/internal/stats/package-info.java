/**
 * Per-function statistics: the counters (internal), and their periodic publication to L2 for the
 * command line's {@code stats} ({@link io.tiercache.internal.stats.StatsPublisher}).
 */
package io.tiercache.internal.stats;
