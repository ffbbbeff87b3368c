package io.tiercache.internal.engine;

import io.tiercache.TimeSource;
import io.tiercache.backend.Backend;
import io.tiercache.codec.CodecException;
import io.tiercache.codec.Envelope;
import io.tiercache.codec.ValueCodec;
import io.tiercache.internal.tag.TagKeys;
import io.tiercache.codec.TagStamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;

/**
 * One cached function's view of its L2: framing and decoding values of the declared type,
 * checking tag versions, and shielding the caller from every backend failure. A read that fails,
 * times out, or finds bytes that are not a live value of this type is a miss, counted in
 * {@link #errorCount()} and logged at a bounded rate. A value whose tags changed since it was
 * computed is an ordinary miss.
 */
final class L2Tier<R> {
  private final String functionName;
  private final Backend backend;
  private final ValueCodec<R> codec;
  private final Class<?> rawType;
  private final int fingerprint;
  private final TimeSource time;
  private final TagKeys tagKeys;
  private final LongAdder errors = new LongAdder();
  private final GuardedBackend guarded;

  L2Tier(String functionName, Backend backend, ValueCodec<R> codec, Class<?> rawType, int fingerprint,
      Duration timeout, TimeSource time, TagKeys tagKeys) {
    this.functionName = functionName;
    this.backend = backend;
    this.codec = codec;
    this.rawType = rawType;
    this.fingerprint = fingerprint;
    this.time = time;
    this.tagKeys = tagKeys;
    this.guarded = new GuardedBackend(backend, timeout, time, "cached function '" + functionName + "'",
        errors);
  }

  /** A value found in L2; {@code value} is null for a cached null result. */
  record Found(Object value, long expiresAtMillis, List<TagStamp> stamps) {}

  /**
   * What a read learnt: the live value, if any, and the current versions of the tags it read
   * (0 for a version that is absent), which a computation that follows stamps its entry with;
   * {@code failed} when L2 could not be read at all (down, slow, refusing), as opposed to a miss.
   */
  record Read(Found found, Map<String, Long> versions, boolean failed) {
    Read(Found found, Map<String, Long> versions) {
      this(found, versions, false);
    }
  }

  /** What a read of no L2 (or of none yet) learnt: nothing, and no tag versions. */
  static Read nothing() {
    return new Read(null, new HashMap<>());
  }

  /**
   * The tag versions a computation stamps its entry with, captured before it computes: the
   * stamps of the tags known beforehand ({@code before}, empty when L2 could not tell them: the
   * entry must then not be written) and every version read so far ({@code versions}), which the
   * tags derived from the result reuse. The one place the tag-version protocol lives.
   */
  record Snapshot(Optional<List<TagStamp>> before, Map<String, Long> versions) {}

  /**
   * Reads the entry and the versions of {@code knownTagKeys} in one round trip; tags stored in
   * the entry that were not known beforehand (derived from the value) cost a second one. Every
   * backend operation is chained, none is awaited, each is bounded by the L2 timeout; the future
   * never fails: trouble of any kind is a miss ({@link Read#failed} when L2 could not be read),
   * counted.
   */
  CompletableFuture<Read> read(String key, List<String> knownTagKeys) {
    Map<String, Long> versions = new HashMap<>();
    CompletableFuture<Map<String, byte[]>> fetched;
    if (knownTagKeys.isEmpty()) {
      // an absent key is an empty map, so that null stays what it is for getMany: a failure
      fetched = guarded.guard(() -> backend.get(key)
          .thenApply(bytes -> bytes == null ? Map.<String, byte[]>of() : Map.of(key, bytes)), "read of " + key);
    } else {
      List<String> all = new ArrayList<>(knownTagKeys.size() + 1);
      all.add(key);
      all.addAll(knownTagKeys);
      fetched = guarded.guard(() -> backend.getMany(all), "read of " + key);
    }
    return fetched.thenCompose(found -> {
      if (found == null) {
        return CompletableFuture.completedFuture(new Read(null, versions, true));
      }
      for (String tagKey : knownTagKeys) {
        versions.put(tagKey, TagKeys.decode(found.get(tagKey)));
      }
      byte[] bytes = found.get(key);
      Envelope.Opened entry = bytes == null ? null : liveEntry(key, bytes);
      if (entry == null) {
        return CompletableFuture.completedFuture(new Read(null, versions));
      }
      return fetchVersions(unknownStampKeys(entry.stamps(), versions), versions)
          .thenApply(ok -> new Read(ok && stampsMatch(entry.stamps(), versions) ? decode(key, entry) : null,
              versions));
    });
  }

  /** The live frame in {@code bytes}, or null (counted when the bytes are not a frame of ours). */
  private Envelope.Opened liveEntry(String key, byte[] bytes) {
    Optional<Envelope.Opened> opened = Envelope.open(bytes, fingerprint);
    if (opened.isEmpty()) {
      return failed("read foreign or corrupt data under " + key, null);
    }
    Envelope.Opened entry = opened.get();
    return entry.isLiveAt(time.currentTimeMillis()) ? entry : null; // expired: an ordinary miss
  }

  /** The value of a live, current frame; null (counted) if it cannot be decoded. */
  private Found decode(String key, Envelope.Opened entry) {
    if (entry.isNull()) {
      return new Found(null, entry.expiresAtMillis(), entry.stamps());
    }
    try {
      R value = codec.decode(entry.payload());
      if (value == null || !rawType.isInstance(value)) {
        return failed("decoded a " + (value == null ? "null" : value.getClass().getName())
            + " under " + key + " where a " + rawType.getName() + " was declared", null);
      }
      return new Found(value, entry.expiresAtMillis(), entry.stamps());
    } catch (CodecException | RuntimeException e) {
      return failed("could not decode the value under " + key, e);
    }
  }

  private static List<String> unknownStampKeys(List<TagStamp> stamps, Map<String, Long> versions) {
    List<String> unknown = new ArrayList<>();
    for (TagStamp stamp : stamps) {
      if (!versions.containsKey(stamp.key())) {
        unknown.add(stamp.key());
      }
    }
    return unknown;
  }

  /** Whether every stamp still has its tag's current version (a changed one: an ordinary miss). */
  private static boolean stampsMatch(List<TagStamp> stamps, Map<String, Long> versions) {
    for (TagStamp stamp : stamps) {
      Long current = versions.get(stamp.key());
      if (current == null || current != stamp.version()) {
        return false;
      }
    }
    return true;
  }

  private CompletableFuture<Boolean> fetchVersions(Collection<String> keys, Map<String, Long> into) {
    if (keys.isEmpty()) {
      return CompletableFuture.completedFuture(true);
    }
    return guarded.guard(() -> backend.getMany(keys), "read of tags " + keys).thenApply(found -> {
      if (found == null) {
        return false;
      }
      for (String key : keys) {
        into.put(key, TagKeys.decode(found.get(key)));
      }
      return true;
    });
  }

  /**
   * The snapshot a computation takes before it computes: the stamps of {@code knownTagKeys}, with
   * the versions {@code read} learnt (those it did not learn are read now, absent ones created).
   * Never fails.
   */
  CompletableFuture<Snapshot> snapshot(List<String> knownTagKeys, Read read) {
    Map<String, Long> versions = read.versions();
    return stamps(knownTagKeys, versions).thenApply(before -> new Snapshot(before, versions));
  }

  /**
   * The stamps to write with an entry whose tags are {@code tagKeys} (the known ones and those
   * derived from the result): the snapshot's, followed by the versions of the derived tags; empty
   * if any version could not be read or created (the entry must then not be written: it could not
   * be invalidated by that tag). Never fails.
   */
  CompletableFuture<Optional<List<TagStamp>>> stampsFor(Snapshot snapshot, List<String> knownTagKeys,
      Collection<String> tagKeys) {
    if (snapshot.before().isEmpty()) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    List<String> derived = new ArrayList<>(tagKeys);
    derived.removeAll(knownTagKeys);
    return stamps(derived, snapshot.versions()).thenApply(after -> after.map(stamps -> {
      List<TagStamp> all = new ArrayList<>(snapshot.before().get());
      all.addAll(stamps);
      return all;
    }));
  }

  /**
   * The stamps of {@code keys}: the versions from {@code known} or read now; a version that does
   * not exist yet is created. Empty if a version could not be read or created. Never fails.
   */
  private CompletableFuture<Optional<List<TagStamp>>> stamps(Collection<String> keys, Map<String, Long> known) {
    if (keys.isEmpty()) {
      return CompletableFuture.completedFuture(Optional.of(List.of()));
    }
    List<String> unknown = new ArrayList<>();
    for (String key : keys) {
      if (!known.containsKey(key)) {
        unknown.add(key);
      }
    }
    return fetchVersions(unknown, known).thenCompose(ok -> {
      if (!ok) {
        return CompletableFuture.completedFuture(Optional.<List<TagStamp>>empty());
      }
      List<CompletableFuture<Boolean>> creations = new ArrayList<>();
      List<TagStamp> stamps = new ArrayList<>(keys.size());
      for (String key : keys) {
        long version = known.get(key);
        if (version == 0) {
          long created = tagKeys.newVersion();
          version = created;
          known.put(key, created);
          creations.add(guarded.guard(() -> backend.set(key, TagKeys.encode(created), Backend.NO_EXPIRY)
              .thenApply(ignored -> Boolean.TRUE), "creation of tag version " + key));
        }
        stamps.add(new TagStamp(key, version));
      }
      return CompletableFuture.allOf(creations.toArray(new CompletableFuture<?>[0])).thenApply(ignored -> {
        for (CompletableFuture<Boolean> creation : creations) {
          if (creation.join() == null) {
            return Optional.<List<TagStamp>>empty();
          }
        }
        return Optional.of(stamps);
      });
    });
  }

  /**
   * Writes a value (null for a null result) without waiting for the backend.
   *
   * @return a stage that completes, always normally, once the write is done or failed; null if
   *     nothing was written (the value could not be encoded)
   */
  CompletableFuture<?> write(String key, R value, Duration ttl, long expiresAtMillis, List<TagStamp> stamps) {
    byte[] framed = frame(key, value, expiresAtMillis, stamps);
    if (framed == null) {
      return null;
    }
    return guarded.start(() -> backend.set(key, framed, ttl == null ? Backend.NO_EXPIRY : ttl),
        "write of " + key);
  }

  private byte[] frame(String key, R value, long expiresAtMillis, List<TagStamp> stamps) {
    byte[] payload = null;
    if (value != null) {
      try {
        payload = codec.encode(value);
      } catch (CodecException | RuntimeException e) {
        failed("could not encode the result for " + key + "; not stored in L2", e);
        return null;
      }
    }
    return Envelope.wrap(payload, fingerprint, expiresAtMillis, stamps);
  }

  /**
   * Starts deleting the value under {@code key}: completes, never exceptionally, when the backend
   * has answered, with whether a value was there (false after a failure, which is counted).
   */
  CompletableFuture<Boolean> startDelete(String key) {
    return guarded.start(() -> backend.delete(key), "delete of " + key)
        .thenApply(Boolean.TRUE::equals);
  }

  /**
   * Waits at most the L2 timeout for a command started here ({@link #write}, {@link #startDelete});
   * false (counted and logged) if it had not completed by then.
   */
  boolean awaitLanding(CompletionStage<?> started, String what) {
    return guarded.awaitStarted(started.toCompletableFuture(), what);
  }

  /** Deletes the value under {@code key} without waiting; a failure is counted and logged. */
  void deleteQuietly(String key) {
    guarded.start(() -> backend.delete(key), "delete of " + key);
  }

  long errorCount() {
    return errors.sum();
  }

  Backend backend() {
    return backend;
  }

  private <T> T failed(String message, Throwable cause) {
    return guarded.failed(message, cause);
  }
}
