package io.tiercache.cli;

import io.tiercache.CoherenceInfo;
import io.tiercache.TierCache;
import io.tiercache.memcached.MemcachedBackend;
import io.tiercache.redis.RedisBackend;
import picocli.CommandLine.Command;

/**
 * {@code tiercache health}: whether the backend is reachable and takes the credentials, and whether
 * the namespace's invalidation channel delivers; exits non-zero when anything is degraded.
 */
@Command(name = "health", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Check reachability, credentials and the coherence channel of a namespace.",
    exitCodeListHeading = "%nExit codes:%n", exitCodeList = {
        "0:healthy",
        "1:degraded (a memcached server down, a channel that does not deliver)",
        "2:usage error", "3:authentication failed", "4:server unreachable"})
final class HealthCommand extends CommandBase {
  @Override
  int run(ConnectionOptions.Target target) {
    boolean healthy = true;
    if (target.backend() instanceof RedisBackend redis) {
      out().println("backend    " + redis.describe() + ": " + redis.health().status() + ", "
          + redis.health().message());
      healthy = redis.health().isUp();
    } else if (target.backend() instanceof MemcachedBackend memcached) {
      int up = memcached.connectedServers().size();
      int all = memcached.servers().size();
      out().println("backend    " + memcached.describe() + ": " + up + " of " + all + " servers connected"
          + (up < all ? " (down: " + String.join(", ", down(memcached)) + ")" : ""));
      healthy = up == all;
    }
    out().println("namespace  " + target.namespace());
    try (TierCache cache = TierCache.builder().namespace(target.namespace())
        .backend(TierCache.DEFAULT, target.backend()).build()) {
      boolean delivering = Waits.delivering(cache, connection.timeout);
      CoherenceInfo info = cache.coherence();
      if (info.coherentBackends().isEmpty()) {
        out().println("channel    none: this backend has no invalidation channel; other processes' L1"
            + " copies live until their TTL");
      } else if (delivering) {
        out().println("channel    delivering; other processes' L1s drop invalidated entries within "
            + Durations.text(info.stalenessBound()));
      } else {
        healthy = false;
        out().println("channel    NOT delivering within " + Durations.text(connection.timeout)
            + (info.lastFlushReason() == null ? "" : ": " + info.lastFlushReason()));
      }
    }
    out().println("status     " + (healthy ? "healthy" : "DEGRADED"));
    return healthy ? ExitCodes.OK : ExitCodes.DEGRADED_OR_NOT_FOUND;
  }

  private static java.util.List<String> down(MemcachedBackend memcached) {
    java.util.List<String> down = new java.util.ArrayList<>(memcached.servers());
    down.removeAll(memcached.connectedServers());
    return down;
  }
}
