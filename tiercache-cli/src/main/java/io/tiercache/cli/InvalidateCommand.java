package io.tiercache.cli;

import io.tiercache.CoherenceInfo;
import io.tiercache.TierCache;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tiercache invalidate}: drops entries by key, tag or prefix through a {@link TierCache} of
 * the namespace, exactly as an application's {@code invalidateKey}, {@code invalidateTags} and
 * {@code invalidatePrefix} do: the L2 delete or new tag version, then a message on the namespace's
 * channel, so every process's L1 drops its copies within the channel's bound.
 */
@Command(name = "invalidate", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Invalidate entries by key, tag or prefix, in L2 and in every process's L1.",
        "Goes through the library's own path: version stamps, then the invalidation channel."},
    exitCodeListHeading = "%nExit codes:%n", exitCodeList = {
        "0:invalidated (a key: it existed)",
        "1:a key that existed nowhere, or L2 refused the invalidation",
        "2:usage error", "3:authentication failed", "4:server unreachable"})
final class InvalidateCommand extends CommandBase {
  @ArgGroup(exclusive = true, multiplicity = "1")
  What what;

  static final class What {
    @Option(names = "--key", paramLabel = "KEY",
        description = "an entry's key after the namespace, e.g. quote:sA-42,n3 or user:42")
    String key;

    @Option(names = "--tag", paramLabel = "TAG", description = "a tag (repeat for several)")
    List<String> tags = new ArrayList<>();

    @Option(names = "--prefix", paramLabel = "PREFIX", description = "a key prefix")
    String prefix;
  }

  @Override
  int run(ConnectionOptions.Target target) {
    try (TierCache cache = TierCache.builder().namespace(target.namespace())
        .backend(TierCache.DEFAULT, target.backend()).l2Timeout(connection.timeout).build()) {
      boolean channel = Waits.delivering(cache, connection.timeout);
      long before = cache.coherence().published();
      boolean done;
      String named;
      if (what.key != null) {
        done = cache.invalidateKey(what.key);
        named = "key '" + what.key + "'";
      } else if (!what.tags.isEmpty()) {
        done = cache.invalidateTags(what.tags.toArray(new String[0]));
        named = (what.tags.size() == 1 ? "tag '" : "tags '") + String.join("', '", what.tags) + "'";
      } else {
        done = cache.invalidatePrefix(what.prefix);
        named = "prefix '" + what.prefix + "'";
      }
      CoherenceInfo info = cache.coherence();
      if (!done) {
        out().println(what.key != null
            ? "no entry under " + named + " in namespace '" + target.namespace() + "' (" + target.backend().describe() + ")"
            : "L2 did not take the invalidation of " + named + " in namespace '" + target.namespace() + "' ("
                + target.backend().describe() + ")");
        return ExitCodes.DEGRADED_OR_NOT_FOUND;
      }
      out().println("invalidated " + named + " in namespace '" + target.namespace() + "' ("
          + target.backend().describe() + ")");
      if (info.coherentBackends().isEmpty()) {
        out().println("no invalidation channel: other processes' L1 copies live until their L1 TTL");
      } else if (info.published() > before && channel) {
        out().println("published to the other processes: their L1s drop it within "
            + Durations.text(info.stalenessBound()));
      } else {
        out().println("the channel did not take the message: the other processes flush their L1s within "
            + Durations.text(info.stalenessBound()));
      }
      return ExitCodes.OK;
    }
  }
}
