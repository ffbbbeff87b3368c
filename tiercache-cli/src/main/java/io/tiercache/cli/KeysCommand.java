package io.tiercache.cli;

import io.tiercache.internal.key.L2KeyEncoder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tiercache keys --match PATTERN}: the entry keys of a namespace, by a bounded {@code SCAN}
 * (never {@code KEYS}), with a progress line on standard error while a long scan runs. Redis only:
 * memcached cannot list its keys.
 */
@Command(name = "keys", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"List a namespace's entry keys (Redis), with a bounded SCAN.",
        "Prints each key after the namespace, as inspect and invalidate --key take it."},
    exitCodeListHeading = "%nExit codes:%n", exitCodeList = {
        "0:listed (the scan ended, or stopped at --limit)",
        "1:no key matched",
        "2:usage error", "3:authentication failed", "4:server unreachable",
        "5:memcached (cannot list keys)"})
final class KeysCommand extends CommandBase {
  @Option(names = "--match", paramLabel = "PATTERN", defaultValue = "*",
      description = "a Redis glob after the namespace, e.g. 'quote:*' (default ${DEFAULT-VALUE})")
  String match;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "1000",
      description = "stop after this many keys (default ${DEFAULT-VALUE})")
  long limit;

  @Option(names = "--count", paramLabel = "N", defaultValue = "1000",
      description = "SCAN's COUNT: keys examined per round trip (default ${DEFAULT-VALUE})")
  int count;

  @Option(names = "--progress-every", paramLabel = "N", defaultValue = "100000",
      description = "print a progress line on stderr every N keys examined (default ${DEFAULT-VALUE})")
  long progressEvery;

  @Override
  void check() {
    if (limit < 1 || count < 1 || progressEvery < 1) {
      throw new CliException(ExitCodes.USAGE, "--limit, --count and --progress-every must be at least 1");
    }
  }

  @Override
  int run(ConnectionOptions.Target target) {
    RedisTarget redis = target.requireRedis("list a namespace's entries");
    String head = L2KeyEncoder.namespaceHead(target.namespace());
    long[] found = {0};
    long[] nextProgress = {progressEvery};
    boolean ended = redis.scan(head + match, count, limit, key -> {
      // tag and prefix versions (#t:, #p:) and published stats (#s:) are not entries
      if (key.startsWith(head + "#")) {
        return false;
      }
      out().println(key.substring(head.length()));
      found[0]++;
      return true;
    }, examined -> {
      if (examined >= nextProgress[0]) {
        err().println("... about " + examined + " keys examined, " + found[0] + " matched");
        err().flush();
        nextProgress[0] = examined + progressEvery;
      }
    });
    if (!ended) {
      err().println("stopped at --limit " + limit + "; there may be more");
    }
    return found[0] > 0 ? ExitCodes.OK : ExitCodes.DEGRADED_OR_NOT_FOUND;
  }
}
