package io.tiercache.engine;

import io.tiercache.TimeSource;
import io.tiercache.backend.Backend;
import io.tiercache.codec.CodecException;
import io.tiercache.codec.Envelope;
import io.tiercache.codec.ValueCodec;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.slf4j.LoggerFactory;

/**
 * One cached function's view of its L2: framing and decoding values of the declared type, and
 * shielding the caller from every backend failure. A read that fails, times out, or finds bytes
 * that are not a live value of this type is a miss, counted in {@link #errorCount()} and logged
 * at a bounded rate.
 */
final class L2Tier<R> {
  private final String functionName;
  private final Backend backend;
  private final ValueCodec<R> codec;
  private final Class<?> rawType;
  private final int fingerprint;
  private final long timeoutNanos;
  private final TimeSource time;
  private final LongAdder errors = new LongAdder();
  private final ThrottledLog log;

  L2Tier(String functionName, Backend backend, ValueCodec<R> codec, Class<?> rawType, int fingerprint,
      Duration timeout, TimeSource time) {
    this.functionName = functionName;
    this.backend = backend;
    this.codec = codec;
    this.rawType = rawType;
    this.fingerprint = fingerprint;
    this.timeoutNanos = timeout.toNanos();
    this.time = time;
    this.log = new ThrottledLog(LoggerFactory.getLogger(L2Tier.class), time, Duration.ofSeconds(10));
  }

  /** A value found in L2; {@code value} is null for a cached null result. */
  record Found(Object value, long expiresAtMillis) {}

  /** The live value under {@code key}, or null on a miss of any kind. */
  Found read(String key) {
    byte[] bytes = await(backend::get, key, "read");
    if (bytes == null) {
      return null;
    }
    Optional<Envelope.Opened> opened = Envelope.open(bytes, fingerprint);
    if (opened.isEmpty()) {
      return failed("read foreign or corrupt data under " + key, null);
    }
    Envelope.Opened entry = opened.get();
    if (!entry.isLiveAt(time.currentTimeMillis())) {
      return null; // expired by our clock before the backend dropped it: an ordinary miss
    }
    if (entry.isNull()) {
      return new Found(null, entry.expiresAtMillis());
    }
    try {
      R value = codec.decode(entry.payload());
      if (value == null || !rawType.isInstance(value)) {
        return failed("decoded a " + (value == null ? "null" : value.getClass().getName())
            + " under " + key + " where a " + rawType.getName() + " was declared", null);
      }
      return new Found(value, entry.expiresAtMillis());
    } catch (CodecException | RuntimeException e) {
      return failed("could not decode the value under " + key, e);
    }
  }

  /** Writes a value (null for a null result) without waiting for the backend. */
  void write(String key, R value, Duration ttl, long expiresAtMillis) {
    byte[] payload = null;
    if (value != null) {
      try {
        payload = codec.encode(value);
      } catch (CodecException | RuntimeException e) {
        failed("could not encode the result for " + key + "; not stored in L2", e);
        return;
      }
    }
    byte[] framed = Envelope.wrap(payload, fingerprint, expiresAtMillis);
    try {
      backend.set(key, framed, ttl == null ? Backend.NO_EXPIRY : ttl).whenComplete((ok, failure) -> {
        if (failure != null) {
          failed("could not write " + key, failure);
        }
      });
    } catch (RuntimeException e) {
      failed("could not write " + key, e);
    }
  }

  /** Deletes the value under {@code key}, waiting for the backend; true if one was there. */
  boolean delete(String key) {
    Boolean existed = await(backend::delete, key, "delete");
    return Boolean.TRUE.equals(existed);
  }

  long errorCount() {
    return errors.sum();
  }

  private <T> T await(Function<String, CompletionStage<T>> operation, String key,
      String what) {
    try {
      return operation.apply(key).toCompletableFuture().get(timeoutNanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return failed("interrupted during L2 " + what + " of " + key, null);
    } catch (TimeoutException e) {
      return failed("L2 " + what + " of " + key + " timed out after "
          + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms on " + backend.describe(), null);
    } catch (ExecutionException e) {
      return failed("L2 " + what + " of " + key + " failed on " + backend.describe(), e.getCause());
    } catch (RuntimeException e) {
      return failed("L2 " + what + " of " + key + " failed on " + backend.describe(), e);
    }
  }

  private <T> T failed(String message, Throwable cause) {
    errors.increment();
    log.warn("cached function '" + functionName + "': " + message, cause);
    return null;
  }
}
