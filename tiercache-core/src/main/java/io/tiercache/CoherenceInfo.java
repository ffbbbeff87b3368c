package io.tiercache;

import java.time.Duration;
import java.util.List;

/**
 * How this {@code TierCache}'s L1s are kept coherent with the other processes that share its
 * backends: see {@link TierCache#coherence()}.
 *
 * @param enabled whether the {@code TierCache} was built with coherence on (the default)
 * @param coherentBackends the backends that offer a channel, by description
 * @param incoherentBackends the backends that offer none (memcached, custom backends): their
 *     entries live in other processes' L1s until they expire or are evicted
 * @param stalenessBound the longest delay, over the channels, between an invalidation returning
 *     in one process and the other processes no longer serving the old value from L1; null when no
 *     backend offers a channel
 * @param delivering whether every channel currently delivers (while one does not, what the
 *     functions on its backend store in L1 lives at most {@code stalenessBound})
 * @param published messages this {@code TierCache} sent
 * @param publishFailures messages the channel refused (its peers learn it and flush)
 * @param received messages from other processes (or other {@code TierCache}s) applied here
 * @param entriesDropped L1 entries those messages removed
 * @param flushes how often a lost channel made this {@code TierCache} empty its L1s
 * @param lastFlushReason why the last flush happened, or null
 */
public record CoherenceInfo(boolean enabled, List<String> coherentBackends,
    List<String> incoherentBackends, Duration stalenessBound, boolean delivering, long published,
    long publishFailures, long received, long entriesDropped, long flushes, String lastFlushReason) {

  /**
   * Copies the lists.
   *
   * @param enabled whether coherence is on
   * @param coherentBackends the backends with a channel; copied
   * @param incoherentBackends the backends without one; copied
   * @param stalenessBound the longest delay until other L1s stop serving an invalidated value, or
   *   null
   * @param delivering whether every channel delivers now
   * @param published messages sent
   * @param publishFailures messages the channel refused
   * @param received messages applied from other processes
   * @param entriesDropped L1 entries those messages removed
   * @param flushes L1 flushes after a lost channel
   * @param lastFlushReason why the last flush happened, or null
   */
  public CoherenceInfo {
    coherentBackends = List.copyOf(coherentBackends);
    incoherentBackends = List.copyOf(incoherentBackends);
  }
}
