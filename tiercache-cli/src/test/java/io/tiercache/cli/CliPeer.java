package io.tiercache.cli;

import io.tiercache.CachedFunction1;
import io.tiercache.TierCache;
import io.tiercache.redis.RedisBackend;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A process of {@link CliTwoProcessTest}: a {@code TierCache} on Redis (namespace {@code args[1]})
 * with one function tagged {@code sku:<n>}, whose values count its computations, driven by lines on
 * standard input.
 *
 * <ul>
 *   <li>{@code get <sku>}: calls the function; prints {@code <value> <l1CurrSize>}
 *   <li>{@code quit}: closes everything and exits
 * </ul>
 *
 * Prints {@code ready} once its invalidation channel delivers.
 */
public final class CliPeer {
  private CliPeer() {}

  public static void main(String[] args) throws Exception {
    RedisBackend backend = RedisBackend.connect(args[0]);
    TierCache cache = TierCache.builder().namespace(args[1]).backend(TierCache.DEFAULT, backend).build();
    AtomicInteger computed = new AtomicInteger();
    CachedFunction1<Integer, String> price = cache.function("price", String.class)
        .tags(a -> List.of("sku:" + a[0]))
        .of((Integer sku) -> "p" + sku + "#" + computed.incrementAndGet());
    System.out.println(Waits.delivering(cache, Duration.ofSeconds(10)) ? "ready" : "channel never delivered");
    System.out.flush();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      String[] words = line.split(" ");
      if (words[0].equals("get")) {
        String value = price.apply(Integer.parseInt(words[1]));
        System.out.println(value + " " + price.cacheInfo().l1CurrSize());
      } else if (words[0].equals("quit")) {
        cache.close();
        backend.close();
        System.out.println("bye");
        System.out.flush();
        return;
      } else {
        System.out.println("unknown command " + line);
      }
      System.out.flush();
    }
  }
}
