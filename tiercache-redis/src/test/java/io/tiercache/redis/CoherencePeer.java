package io.tiercache.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.tiercache.CachedFunction1;
import io.tiercache.TierCache;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The second process of {@link RedisCoherenceTwoJvmTest}: a {@code TierCache} on Redis with one
 * cached function whose value comes from a "database" (the Redis key {@code truth:<sku>}), driven
 * by lines on standard input.
 *
 * <ul>
 *   <li>{@code get <sku>}: calls the function; prints {@code <value> <l1CurrSize>}
 *   <li>{@code inv <sku>}: invalidates the entry; prints {@code ok}
 *   <li>{@code recv}: prints how many invalidation messages it has received
 *   <li>{@code quit}: closes everything and exits
 * </ul>
 *
 * Prints {@code ready} once its invalidation channel delivers.
 */
public final class CoherencePeer {
  private CoherencePeer() {}

  public static void main(String[] args) throws Exception {
    String uri = args[0];
    String namespace = args[1];
    Duration heartbeat = Duration.ofMillis(Long.parseLong(args[2]));
    RedisClient client = RedisClient.create(uri);
    StatefulRedisConnection<String, String> db = client.connect();
    RedisBackend backend = RedisBackend.builder().uri(uri).invalidationHeartbeat(heartbeat).build();
    TierCache cache = TierCache.builder().namespace(namespace).backend(TierCache.DEFAULT, backend)
        .l2Timeout(Duration.ofSeconds(5)).build();
    CachedFunction1<Integer, String> price = cache.function("price", String.class)
        .of((Integer sku) -> "p" + sku + "@" + db.sync().get("truth:" + sku));
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!cache.coherence().delivering() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    System.out.println(cache.coherence().delivering() ? "ready" : "channel never delivered");
    System.out.flush();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      String[] words = line.split(" ");
      switch (words[0]) {
        case "get" -> {
          String value = price.apply(Integer.parseInt(words[1]));
          System.out.println(value + " " + price.cacheInfo().l1CurrSize());
        }
        case "recv" -> System.out.println(cache.coherence().received());
        case "info" -> System.out.println(cache.coherence() + " " + price.cacheInfo());
        case "inv" -> {
          price.invalidate(Integer.parseInt(words[1]));
          System.out.println("ok");
        }
        case "quit" -> {
          cache.close();
          backend.close();
          db.close();
          client.shutdown();
          System.out.println("bye");
          return;
        }
        default -> System.out.println("unknown command " + line);
      }
      System.out.flush();
    }
  }
}
