package io.tiercache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.TierCache;
import io.tiercache.coherence.ChannelLag;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The lag of the Redis channel on a real redis-server: each message of this process that comes
 * back on the subscription is timed once. The heartbeat is a minute long, so after the first one
 * the only messages are the test's; a loss declared on purpose makes "delivers again" mean
 * exactly "the message published after it came back", which Redis delivers after every earlier
 * message of the same connection: a point where nothing of this process is in flight.
 */
class RedisChannelLagTest {
  private static final Duration QUIET = Duration.ofMinutes(1);
  private static final String NAMESPACE = "lag";

  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();

  private final List<TierCache> caches = new ArrayList<>();
  private int settles;

  @AfterEach
  void closeCaches() {
    caches.forEach(TierCache::close);
  }

  private TierCache process() {
    RedisBackend backend = redis.closeAfterTest(
        RedisBackend.builder().uri(redis.uri()).invalidationHeartbeat(QUIET).build());
    TierCache cache = TierCache.builder().namespace(NAMESPACE).backend(TierCache.DEFAULT, backend)
        .l2Timeout(Duration.ofSeconds(5)).build();
    caches.add(cache);
    return cache;
  }

  /** Declares a loss, publishes one invalidation, and waits until that very message came back. */
  private void settle(TierCache cache, RedisInvalidationChannel channel) {
    channel.lose("test: a known point in the sequence");
    cache.invalidateKey(NAMESPACE + ":settle" + settles++);
    Eventually.waitFor("the message after the loss came back", Duration.ofSeconds(10),
        channel::isDelivering);
  }

  @Test
  void everyOwnMessageThatCameBackIsTimedOnce() {
    TierCache processA = process();
    TierCache processB = process();
    RedisInvalidationChannel channel = (RedisInvalidationChannel) processA.backends()
        .get(TierCache.DEFAULT).invalidationChannel(NAMESPACE).orElseThrow();
    Eventually.waitFor("both processes subscribed", Duration.ofSeconds(10),
        () -> redis.raw().sync().pubsubNumsub(NAMESPACE + ":#inv").get(NAMESPACE + ":#inv") == 2L);

    settle(processA, channel);
    ChannelLag before = channel.lag();
    assertThat(before.count()).isBetween(1L, 2L); // the settling message, and the first heartbeat if it was subscribed in time
    assertThat(processA.coherence().lag()).isEqualTo(before);
    Eventually.waitFor("B received the settling message", Duration.ofSeconds(10),
        () -> processB.coherence().received() >= 1);
    assertThat(processB.coherence().received()).isEqualTo(1); // heartbeats are not invalidations

    processA.invalidateKey(NAMESPACE + ":k1");
    processA.invalidateTags("t1");
    processA.invalidatePrefix("p1");
    settle(processA, channel);

    ChannelLag after = channel.lag();
    assertThat(after.count()).isEqualTo(before.count() + 4); // three invalidations and the settling one
    assertThat(after.total()).isGreaterThan(before.total());
    assertThat(after.max()).isPositive().isLessThanOrEqualTo(after.total());
    assertThat(processA.coherence().lag()).isEqualTo(after);
    // the peer saw the same four messages through the same server
    Eventually.waitFor("B received the four messages", Duration.ofSeconds(10),
        () -> processB.coherence().received() >= 5);
    assertThat(processB.coherence().received()).isEqualTo(5);
    // and timed none of them: B's lag is of its own messages, at most its first heartbeat
    assertThat(processB.coherence().lag().count()).isLessThanOrEqualTo(1);
  }
}
