package io.tiercache.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A plain Lettuce connection of the tests' own, beside the backend under test: to write what a
 * backend must survive (garbage, other types), to look at what it wrote, and to read the server's
 * command statistics.
 */
final class RawRedis implements AutoCloseable {
  private final RedisClient client;
  private final StatefulRedisConnection<String, byte[]> connection;

  private RawRedis(String uri) {
    RedisURI parsed = RedisURI.create(uri);
    parsed.setTimeout(Duration.ofSeconds(5));
    parsed.setClientName("test-raw");
    this.client = RedisClient.create(parsed);
    this.connection = client.connect(RedisBackend.CODEC);
  }

  static RawRedis to(String uri) {
    return new RawRedis(uri);
  }

  RedisCommands<String, byte[]> sync() {
    return connection.sync();
  }

  StatefulRedisConnection<String, byte[]> connection() {
    return connection;
  }

  /** {@code CONFIG RESETSTAT}: zeroes the command statistics. */
  void resetStats() {
    sync().configResetstat();
  }

  /**
   * Calls per command since the last reset, from {@code INFO commandstats}, without the commands
   * this connection sends to read and reset them.
   */
  Map<String, Long> commandCalls() {
    Map<String, Long> calls = new HashMap<>();
    for (String line : sync().info("commandstats").split("\r\n")) {
      if (!line.startsWith("cmdstat_")) {
        continue;
      }
      String name = line.substring("cmdstat_".length(), line.indexOf(':'));
      String fields = line.substring(line.indexOf(':') + 1);
      for (String field : fields.split(",")) {
        if (field.startsWith("calls=")) {
          calls.put(name, Long.parseLong(field.substring("calls=".length())));
        }
      }
    }
    calls.remove("info");
    calls.remove("config|resetstat");
    calls.remove("dbsize");
    return calls;
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }
}
