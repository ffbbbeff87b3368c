package io.tiercache.memcached;

import com.dynatrace.hash4j.hashing.Hasher64;
import com.dynatrace.hash4j.hashing.Hashing;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Consistent hashing of keys onto servers, ketama style: each server owns
 * {@value #POINTS_PER_SERVER} points on a ring of 64-bit hashes, and a key belongs to the server of
 * the first point at or after the key's hash (wrapping around). Adding a server to a pool of n
 * moves only about 1/(n+1) of the keys, all of them to the new server; removing one moves only
 * its own keys.
 *
 * <p>Points are the XXH3-64 hashes of {@code "<host:port>-<i>"}, keys are hashed by XXH3-64 of
 * their bytes, so the routing depends only on the set of server names: every process given the
 * same servers, in any order, sends a key to the same server. A ring is immutable; it never skips
 * a server that is down (see {@link MemcachedBackend} for why).
 *
 * @param <T> what a server is represented by (its name, or its connection)
 */
final class KetamaRing<T> {
  /** Points per server: enough for an even spread (about 8% standard deviation of the share). */
  static final int POINTS_PER_SERVER = 160;

  private static final Hasher64 HASH = Hashing.xxh3_64();

  private final long[] points;
  private final Object[] owners;

  /**
   * @param names the servers' names ({@code host:port}), distinct
   * @param servers what each name stands for, in the same order
   */
  KetamaRing(List<String> names, List<T> servers) {
    if (names.isEmpty() || names.size() != servers.size()) {
      throw new IllegalArgumentException("need one server per name, at least one: " + names
          + " / " + servers.size() + " servers");
    }
    Set<String> distinct = new HashSet<>(names);
    if (distinct.size() != names.size()) {
      throw new IllegalArgumentException("server names must be distinct: " + names);
    }
    List<Point> all = new ArrayList<>(names.size() * POINTS_PER_SERVER);
    for (int s = 0; s < names.size(); s++) {
      String name = names.get(s);
      for (int i = 0; i < POINTS_PER_SERVER; i++) {
        all.add(new Point(hash((name + "-" + i).getBytes(StandardCharsets.UTF_8)), name, s));
      }
    }
    // Ties (two servers on one hash) go to the smaller name, whatever the order servers came in.
    all.sort(Comparator.comparingLong(Point::hash).thenComparing(Point::name));
    points = new long[all.size()];
    owners = new Object[all.size()];
    for (int i = 0; i < all.size(); i++) {
      points[i] = all.get(i).hash();
      owners[i] = servers.get(all.get(i).server());
    }
  }

  /** The server that owns a key, given as the bytes sent to memcached. */
  @SuppressWarnings("unchecked")
  T ownerOf(byte[] key) {
    long h = hash(key);
    int i = Arrays.binarySearch(points, h);
    if (i < 0) {
      i = -i - 1; // the first point above h
    } else {
      while (i > 0 && points[i - 1] == h) {
        i--; // the first of equal points, as sorted
      }
    }
    return (T) owners[i == points.length ? 0 : i];
  }

  /** XXH3-64 of {@code bytes}; package-private so that a test pins it (a change moves keys). */
  static long hash(byte[] bytes) {
    return HASH.hashBytesToLong(bytes);
  }

  private record Point(long hash, String name, int server) {}
}
