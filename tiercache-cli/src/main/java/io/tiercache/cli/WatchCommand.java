package io.tiercache.cli;

import io.tiercache.coherence.InvalidationChannel;
import io.tiercache.coherence.InvalidationMessage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tiercache watch}: the namespace's invalidation channel, live: every invalidation message
 * (through the library's own channel, so exactly what the processes apply), every gap the channel
 * detects, and, with {@code --heartbeats}, each process's heartbeat (Redis).
 */
@Command(name = "watch", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Print live invalidation messages, detected gaps and (with --heartbeats) heartbeats",
        "on a namespace's invalidation channel, until interrupted or --messages/--for ends it."},
    exitCodeListHeading = "%nExit codes:%n", exitCodeList = {
        "0:watched until the end",
        "2:usage error", "3:authentication failed", "4:server unreachable",
        "5:no invalidation channel (memcached)"})
final class WatchCommand extends CommandBase {
  @Option(names = "--heartbeats", description = "also print each process's heartbeats (Redis)")
  boolean heartbeats;

  @Option(names = "--messages", paramLabel = "N", defaultValue = "0",
      description = "stop after N invalidation messages (default 0: no limit)")
  long messages;

  @Option(names = "--for", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "stop after this long (default: until interrupted)")
  java.time.Duration duration;

  @Override
  int run(ConnectionOptions.Target target) throws Exception {
    InvalidationChannel channel = target.backend().invalidationChannel(target.namespace())
        .orElseThrow(() -> new CliException(ExitCodes.UNSUPPORTED, target.backend().describe()
            + " has no invalidation channel"));
    CountDownLatch done = new CountDownLatch(1);
    AtomicLong seen = new AtomicLong();
    java.util.concurrent.atomic.AtomicBoolean started = new java.util.concurrent.atomic.AtomicBoolean();
    InvalidationChannel.Subscription subscription = channel.subscribe(new InvalidationChannel.Listener() {
      @Override
      public void onInvalidation(InvalidationMessage message) {
        print(message.kind() + " " + (message.kind() == InvalidationMessage.Kind.CLEAR
            ? (message.function() == null ? "(every function)" : message.function())
            : String.join(" ", message.keys())));
        if (messages > 0 && seen.incrementAndGet() >= messages) {
          done.countDown();
        }
      }

      @Override
      public void onLoss(String reason) {
        print("GAP " + reason);
      }

      @Override
      public void onRestored() {
        if (started.get()) { // the first delivery is announced by WATCHING
          print("RESTORED the channel delivers again");
        }
      }
    });
    AutoCloseable beats = heartbeats && target.redis() != null
        ? target.redis().subscribe(target.namespace() + ":#inv", line -> {
          String[] parts = line.split(" ");
          if (parts.length >= 4 && parts[3].equals("H")) {
            print("HEARTBEAT from " + parts[1]);
          }
        }) : () -> { };
    try (beats; subscription) {
      Waits.until(connection.timeout, subscription::isDelivering);
      print((subscription.isDelivering() ? "WATCHING " : "GAP not delivering yet, watching anyway ")
          + channel.describe() + " (bound " + Durations.text(channel.stalenessBound()) + ")");
      started.set(true);
      if (duration == null) {
        done.await();
      } else {
        done.await(duration.toMillis(), TimeUnit.MILLISECONDS);
      }
    }
    return ExitCodes.OK;
  }

  private synchronized void print(String line) {
    out().println(Durations.clock() + " " + line);
    out().flush();
  }
}
