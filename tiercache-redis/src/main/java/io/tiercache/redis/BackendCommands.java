package io.tiercache.redis;

import io.lettuce.core.FlushMode;
import io.lettuce.core.KeyValue;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The Redis commands of each {@link RedisBackend} operation (see its class comment for which), with
 * the key prefix applied and the arguments checked; sent through the {@link RedisConnector}. No
 * method throws: bad input and failures complete the returned stage exceptionally.
 */
final class BackendCommands {
  /** Deletes KEYS[1] only if it holds ARGV[1]: a lease is released by its own token only. */
  static final String RELEASE_SCRIPT =
      "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
  private static final int SCAN_BATCH = 1_000;

  private final RedisConnector connector;
  private final String prefix;
  private final boolean prefixed;

  BackendCommands(RedisConnector connector, String prefix) {
    this.connector = connector;
    this.prefix = prefix;
    this.prefixed = !prefix.isEmpty();
  }

  /** {@code GET}. */
  CompletionStage<byte[]> get(String key) {
    try {
      String k = key(key);
      return connector.submit(c -> c.get(k));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** {@code MGET} (on a cluster Lettuce splits it by slot); only the keys found. */
  CompletionStage<Map<String, byte[]>> getMany(Collection<String> keys) {
    try {
      if (keys.isEmpty()) {
        return CompletableFuture.completedFuture(new HashMap<>());
      }
      String[] ks = new String[keys.size()];
      int i = 0;
      for (String key : keys) {
        ks[i++] = key(key);
      }
      return connector.submitBulk(c -> c.mget(ks).thenApply(this::present));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private Map<String, byte[]> present(List<KeyValue<String, byte[]>> values) {
    Map<String, byte[]> found = new HashMap<>();
    for (KeyValue<String, byte[]> kv : values) {
      if (kv.hasValue()) {
        found.put(unprefixed(kv.getKey()), kv.getValue());
      }
    }
    return found;
  }

  /** {@code SET}, with {@code PX} when there is a TTL. */
  CompletionStage<Void> set(String key, byte[] value, Duration ttl) {
    try {
      if (value == null || (ttl != null && ttl.isNegative())) {
        return invalid(value, ttl);
      }
      String k = key(key);
      byte[] copy = value.clone(); // the caller may reuse its array before the command is written
      long px = px(ttl);
      return connector.submitBulk(c -> (px == 0 ? c.set(k, copy) : c.set(k, copy, SetArgs.Builder.px(px)))
          .thenApply(ok -> null));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** One {@code MSET} without TTL, else one pipelined {@code SET PX} per entry. */
  CompletionStage<Void> setMany(Map<String, byte[]> entries, Duration ttl) {
    try {
      if (ttl != null && ttl.isNegative()) {
        return invalid(new byte[0], ttl);
      }
      if (entries.isEmpty()) {
        return CompletableFuture.completedFuture(null);
      }
      Map<String, byte[]> copies = new LinkedHashMap<>();
      for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
        if (entry.getValue() == null) {
          return invalid(null, ttl);
        }
        copies.put(key(entry.getKey()), entry.getValue().clone());
      }
      long px = px(ttl);
      if (px == 0) {
        return connector.submitBulk(c -> c.mset(copies).thenApply(ok -> null));
      }
      SetArgs args = SetArgs.Builder.px(px);
      return connector.submitBulk(c -> {
        CompletableFuture<?>[] all = new CompletableFuture<?>[copies.size()];
        int i = 0;
        for (Map.Entry<String, byte[]> entry : copies.entrySet()) {
          all[i++] = c.set(entry.getKey(), entry.getValue(), args).toCompletableFuture();
        }
        return CompletableFuture.allOf(all);
      });
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** {@code UNLINK}: true if the key existed. */
  CompletionStage<Boolean> delete(String key) {
    try {
      String k = key(key);
      return connector.submit(c -> c.unlink(k).thenApply(n -> n != null && n > 0));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** {@code SET key token NX PX ttl}: true if the lease was free and is now held with {@code token}. */
  CompletionStage<Boolean> tryLease(String key, String token, Duration ttl) {
    try {
      if (token == null || ttl == null || ttl.isNegative() || ttl.isZero()) {
        return CompletableFuture.failedFuture(new IllegalArgumentException(
            "tryLease needs a token and a positive ttl, got " + token + ", " + ttl));
      }
      String k = key(key);
      byte[] t = token.getBytes(StandardCharsets.UTF_8);
      SetArgs args = SetArgs.Builder.nx().px(px(ttl));
      return connector.submit(c -> c.set(k, t, args).thenApply("OK"::equals));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** One {@code EVAL} of {@link #RELEASE_SCRIPT}: deletes the lease only if it holds {@code token}. */
  CompletionStage<Boolean> releaseLease(String key, String token) {
    try {
      Objects.requireNonNull(token, "token");
      String k = key(key);
      byte[] t = token.getBytes(StandardCharsets.UTF_8);
      return connector.submit(c -> c.<Long>eval(RELEASE_SCRIPT, ScriptOutputType.INTEGER, new String[] {k}, t)
          .thenApply(n -> n != null && n > 0));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Without a key prefix {@code FLUSHDB ASYNC}; with one, {@code SCAN MATCH prefix*} and
   * {@code UNLINK} in batches of 1,000.
   */
  CompletionStage<Void> clear() {
    if (!prefixed) {
      return connector.submitBulk(c -> c.flushdb(FlushMode.ASYNC).thenApply(ok -> null));
    }
    ScanArgs match = ScanArgs.Builder.matches(globEscape(prefix) + "*").limit(SCAN_BATCH);
    return connector.submitBulk(c -> scanAndUnlink(c, ScanCursor.INITIAL, match));
  }

  /**
   * One page of the scan, then the next one. Each page is requested from a Lettuce computation
   * thread, never from the I/O thread that completed the previous one: Lettuce's cluster SCAN opens
   * the next node's connection synchronously, which would deadlock an I/O thread.
   */
  private CompletableFuture<Void> scanAndUnlink(RedisClusterAsyncCommands<String, byte[]> c,
      ScanCursor cursor, ScanArgs match) {
    return c.scan(cursor, match).toCompletableFuture().thenComposeAsync(page -> {
      List<String> keys = page.getKeys();
      CompletableFuture<?> unlinked = keys.isEmpty()
          ? CompletableFuture.completedFuture(null)
          : c.unlink(keys.toArray(new String[0])).toCompletableFuture();
      return unlinked.thenComposeAsync(ignored -> page.isFinished()
          ? CompletableFuture.<Void>completedFuture(null)
          : scanAndUnlink(c, page, match), connector.worker());
    }, connector.worker());
  }

  /** {@code PUBLISH} on the backend's connection, so it follows this process's writes in order. */
  CompletionStage<Void> publish(String channel, String message) {
    try {
      byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
      return connector.submit(c -> c.publish(channel, bytes).thenApply(receivers -> null));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private String key(String key) {
    Objects.requireNonNull(key, "key");
    return prefixed ? prefix.concat(key) : key;
  }

  private String unprefixed(String redisKey) {
    return prefixed ? redisKey.substring(prefix.length()) : redisKey;
  }

  private static long px(Duration ttl) {
    if (ttl == null || ttl.isZero()) {
      return 0;
    }
    long millis = ttl.toMillis();
    return millis == 0 ? 1 : millis; // a TTL below 1 ms still expires, as soon as Redis can
  }

  private static <T> CompletionStage<T> invalid(byte[] value, Duration ttl) {
    return CompletableFuture.failedFuture(new IllegalArgumentException(
        value == null ? "value must not be null" : "ttl must not be negative: " + ttl));
  }

  private static String globEscape(String text) {
    StringBuilder escaped = new StringBuilder(text.length() + 4);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\' || c == '^' || c == '-') {
        escaped.append('\\');
      }
      escaped.append(c);
    }
    return escaped.toString();
  }
}
