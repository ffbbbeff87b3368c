package io.tiercache.engine;

import io.tiercache.TimeSource;
import io.tiercache.backend.Backend;
import io.tiercache.codec.CodecException;
import io.tiercache.codec.Envelope;
import io.tiercache.codec.ValueCodec;
import io.tiercache.tag.TagKeys;
import io.tiercache.tag.TagStamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
   * (0 for a version that is absent), which a computation that follows stamps its entry with.
   */
  record Read(Found found, Map<String, Long> versions) {}

  /** The live, current value under {@code key}, or null on a miss of any kind. */
  Found read(String key) {
    return read(key, List.of()).found();
  }

  /**
   * Reads the entry and the versions of {@code knownTagKeys} in one round trip; tags stored in
   * the entry that were not known beforehand (derived from the value) cost a second one.
   */
  Read read(String key, List<String> knownTagKeys) {
    Map<String, Long> versions = new HashMap<>();
    byte[] bytes;
    if (knownTagKeys.isEmpty()) {
      bytes = guarded.await(() -> backend.get(key), "read of " + key);
    } else {
      List<String> all = new ArrayList<>(knownTagKeys.size() + 1);
      all.add(key);
      all.addAll(knownTagKeys);
      Map<String, byte[]> found = guarded.await(() -> backend.getMany(all), "read of " + key);
      if (found == null) {
        return new Read(null, versions);
      }
      bytes = found.get(key);
      for (String tagKey : knownTagKeys) {
        versions.put(tagKey, TagKeys.decode(found.get(tagKey)));
      }
    }
    return new Read(bytes == null ? null : open(key, bytes, versions), versions);
  }

  private Found open(String key, byte[] bytes, Map<String, Long> versions) {
    Optional<Envelope.Opened> opened = Envelope.open(bytes, fingerprint);
    if (opened.isEmpty()) {
      return failed("read foreign or corrupt data under " + key, null);
    }
    Envelope.Opened entry = opened.get();
    if (!entry.isLiveAt(time.currentTimeMillis()) || !stampsCurrent(entry.stamps(), versions)) {
      return null; // expired, or a tag was invalidated since it was computed: an ordinary miss
    }
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

  private boolean stampsCurrent(List<TagStamp> stamps, Map<String, Long> versions) {
    if (stamps.isEmpty()) {
      return true;
    }
    List<String> unknown = new ArrayList<>();
    for (TagStamp stamp : stamps) {
      if (!versions.containsKey(stamp.key())) {
        unknown.add(stamp.key());
      }
    }
    if (!fetchVersions(unknown, versions)) {
      return false;
    }
    for (TagStamp stamp : stamps) {
      if (versions.get(stamp.key()) != stamp.version()) {
        return false;
      }
    }
    return true;
  }

  private boolean fetchVersions(Collection<String> keys, Map<String, Long> into) {
    if (keys.isEmpty()) {
      return true;
    }
    Map<String, byte[]> found = guarded.await(() -> backend.getMany(keys), "read of tags " + keys);
    if (found == null) {
      return false;
    }
    for (String key : keys) {
      into.put(key, TagKeys.decode(found.get(key)));
    }
    return true;
  }

  /**
   * The stamps to write with an entry: the versions of {@code keys}, from {@code known} or read
   * now; a version that does not exist yet is created. Empty if a version could not be read or
   * created (the entry must then not be written: it could not be invalidated by that tag).
   */
  Optional<List<TagStamp>> stamps(Collection<String> keys, Map<String, Long> known) {
    List<String> unknown = new ArrayList<>();
    for (String key : keys) {
      Long v = known.get(key);
      if (v == null) {
        unknown.add(key);
      }
    }
    if (!fetchVersions(unknown, known)) {
      return Optional.empty();
    }
    List<TagStamp> stamps = new ArrayList<>(keys.size());
    for (String key : keys) {
      long version = known.get(key);
      if (version == 0) {
        version = tagKeys.newVersion();
        long created = version;
        if (!guarded.awaitDone(() -> backend.set(key, TagKeys.encode(created), Backend.NO_EXPIRY),
            "creation of tag version " + key)) {
          return Optional.empty();
        }
        known.put(key, version);
      }
      stamps.add(new TagStamp(key, version));
    }
    return Optional.of(stamps);
  }

  /** Writes a value (null for a null result) without waiting for the backend. */
  void write(String key, R value, Duration ttl, long expiresAtMillis, List<TagStamp> stamps) {
    byte[] framed = frame(key, value, expiresAtMillis, stamps);
    if (framed != null) {
      guarded.fireAndForget(() -> backend.set(key, framed, ttl == null ? Backend.NO_EXPIRY : ttl),
          "write of " + key);
    }
  }

  /** As {@link #write}, waiting (at most the timeout) for the backend; true if it took the value. */
  boolean writeAndWait(String key, R value, Duration ttl, long expiresAtMillis, List<TagStamp> stamps) {
    byte[] framed = frame(key, value, expiresAtMillis, stamps);
    return framed != null && guarded.awaitDone(
        () -> backend.set(key, framed, ttl == null ? Backend.NO_EXPIRY : ttl), "write of " + key);
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

  /** Deletes the value under {@code key} without waiting; a failure is counted and logged. */
  void deleteInBackground(String key) {
    guarded.fireAndForget(() -> backend.delete(key), "delete of " + key);
  }

  /** Deletes the value under {@code key}, waiting for the backend; true if one was there. */
  boolean delete(String key) {
    return Boolean.TRUE.equals(guarded.await(() -> backend.delete(key), "delete of " + key));
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
