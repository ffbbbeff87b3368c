/**
 * Per-function statistics: the counters (internal), and their periodic publication to L2 for the
 * command line's {@code stats} ({@link io.tiercache.stats.StatsPublisher}).
 */
package io.tiercache.stats;
