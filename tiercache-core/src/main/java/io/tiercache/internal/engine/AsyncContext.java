package io.tiercache.internal.engine;

import io.tiercache.internal.expiry.Scheduler;
import java.util.concurrent.Executor;

/**
 * What the async engines of one {@code TierCache} share.
 *
 * @param executor where a computation continues after an L2 read that did not complete at once
 *     (never on a backend's I/O thread)
 * @param scheduler the one scheduler that expires L1 entries at their deadlines
 */
public record AsyncContext(Executor executor, Scheduler scheduler) {}
