package io.tiercache.internal.engine;

import io.tiercache.CoherenceInfo;
import io.tiercache.TimeSource;
import io.tiercache.backend.Backend;
import io.tiercache.coherence.InvalidationChannel;
import io.tiercache.coherence.InvalidationMessage;
import io.tiercache.internal.log.ThrottledLog;
import io.tiercache.internal.tag.TagKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/**
 * The engines of one {@code TierCache}, and the invalidations that reach across them: by tag, by
 * prefix, by explicit key. Each is O(1) backend commands per backend (a new tag version, or one
 * delete), followed by a sweep of this process's L1s.
 *
 * <p>In-process safety: every invalidation fences what it covers twice, before its backend
 * command and after that command landed (the tag epoch for tags and prefixes, the stripe of
 * {@link #keyEpoch} for keys), then sweeps L1. A computation stores its result in L1, starts its L2
 * write, or is joined by a later call only while nothing it recorded before reading has moved (see
 * {@link L1Admission}), so a computation that began before an invalidation never leaves its result
 * anywhere in this process after the invalidation returned, nor hands it to a call that started
 * after. In L2, a result that raced a tag invalidation is stamped with the tag versions read before
 * it was computed and so is never served either. The protocol: {@code docs/architecture.md}.
 *
 * <p>Across processes ({@link #startCoherence}): each invalidation is published, after its backend
 * command completed, on the backend's {@link InvalidationChannel}; a message from another process
 * advances the epoch (tags, prefixes) or the key's stripe of {@link #keyEpoch} (keys) before it
 * drops the L1 entries it covers, so a computation in this process that began before it never
 * stores its result either. A lost channel flushes the L1s of its backend's functions, which then
 * store nothing until it delivers again.
 */
public final class EngineRegistry {
  private static final int KEY_STRIPES = 256;

  private final CopyOnWriteArrayList<RegisteredEngine> engines = new CopyOnWriteArrayList<>();
  /** The names of the registered engines; guarded by {@code this}. */
  private final Set<String> names = new java.util.HashSet<>();
  private final AtomicLong epoch = new AtomicLong();
  /** Epochs of invalidations by L2 key, striped by the key's hash. */
  private final AtomicLongArray keyEpochs = new AtomicLongArray(KEY_STRIPES);
  /**
   * One lock per stripe of {@link #keyEpochs}: a computation checks its ticket and starts its L2
   * write under it, an invalidation advances the stripe's epoch under it, so no write checked
   * before an invalidation is started after that invalidation's L2 command.
   */
  private final Object[] stripeLocks = new Object[KEY_STRIPES];
  /** Advanced by flushes: a computation that began before one keeps its result out of L1. */
  private final AtomicLong flushEpoch = new AtomicLong();
  private volatile Map<Backend, CoherenceLink> links = Map.of();
  private volatile boolean coherenceEnabled;
  private volatile List<String> incoherent = List.of();
  private final ThrottledLog coherenceLog;
  private final TagKeys tagKeys;
  private final String namespaceHead;
  private final Duration timeout;
  private final TimeSource time;
  private final LongAdder errors = new LongAdder();
  private final java.util.Map<Backend, GuardedBackend> guards =
      java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());

  /**
   * @param namespace the {@code TierCache}'s namespace
   * @param timeout the longest an invalidation waits for each backend
   * @param time the clock
   */
  public EngineRegistry(String namespace, Duration timeout, TimeSource time) {
    this.tagKeys = new TagKeys(namespace);
    this.namespaceHead = io.tiercache.internal.key.L2KeyEncoder.namespaceHead(namespace);
    this.timeout = timeout;
    this.time = time;
    this.coherenceLog = new ThrottledLog(LoggerFactory.getLogger(EngineRegistry.class), time,
        Duration.ofSeconds(10));
    for (int i = 0; i < KEY_STRIPES; i++) {
      stripeLocks[i] = new Object();
    }
  }

  /**
   * Registers a whole engine under its function's name, which must be free: names identify entries
   * in L2. Checked and claimed here, atomically with registering, so a refused duplicate leaves
   * nothing behind (no engine for every invalidation to sweep, no claimed name).
   *
   * @throws IllegalStateException if an engine of that name is registered
   */
  synchronized void register(RegisteredEngine engine) {
    if (!names.add(engine.name())) {
      throw new IllegalStateException("a cached function named '" + engine.name()
          + "' already exists in this TierCache; names identify entries in L2 and must be unique");
    }
    engines.add(engine);
  }

  /** Takes a closed engine out: invalidations no longer sweep it, and its name is free again. */
  synchronized void unregister(RegisteredEngine engine) {
    if (engines.remove(engine)) {
      names.remove(engine.name());
    }
  }

  /** The statistics of every registered function, by name, in the order they were built. */
  public java.util.Map<String, io.tiercache.CacheInfo> cacheInfos() {
    java.util.Map<String, io.tiercache.CacheInfo> infos = new java.util.LinkedHashMap<>();
    for (RegisteredEngine engine : engines) {
      infos.put(engine.name(), engine.cacheInfo());
    }
    return infos;
  }

  /**
   * The handles of every registered function (closed ones are unregistered), in the order they
   * were built; a function whose handle is not built yet is left out.
   */
  public List<io.tiercache.CacheHandle> functions() {
    List<io.tiercache.CacheHandle> handles = new ArrayList<>(engines.size());
    for (RegisteredEngine engine : engines) {
      io.tiercache.CacheHandle handle = engine.handle();
      if (handle != null) {
        handles.add(handle);
      }
    }
    return java.util.Collections.unmodifiableList(handles);
  }

  /** How many engines are registered: what every invalidation sweeps (for tests of leaks). */
  int engineCount() {
    return engines.size();
  }

  /**
   * Subscribes to the invalidation channel of each backend that offers one; called once, when the
   * {@code TierCache} is built, before any function exists.
   *
   * @param backends the distinct backends
   * @param namespace the {@code TierCache}'s namespace
   */
  public synchronized void startCoherence(Collection<Backend> backends, String namespace) {
    Map<Backend, CoherenceLink> made = new IdentityHashMap<>();
    List<String> without = new ArrayList<>();
    for (Backend backend : backends) {
      Optional<InvalidationChannel> channel;
      try {
        channel = backend.invalidationChannel(namespace);
      } catch (RuntimeException e) {
        coherenceLog.warn("tiercache: " + backend.describe() + " failed to open its invalidation"
            + " channel; its entries in other processes' L1s are not dropped on invalidation", e);
        channel = Optional.empty();
      }
      if (channel.isPresent()) {
        made.put(backend, new CoherenceLink(this, backend, channel.get()));
      } else {
        without.add(backend.describe());
      }
    }
    links = Collections.unmodifiableMap(made);
    incoherent = List.copyOf(without);
    coherenceEnabled = true;
  }

  /** Leaves every channel; L1 entries of those backends' functions live at most the bound from then on. */
  public synchronized void stopCoherence() {
    for (CoherenceLink link : links.values()) {
      link.close();
    }
  }

  /** The link to {@code backend}'s channel, or null when it has none or coherence is off. */
  CoherenceLink linkOf(Backend backend) {
    return backend == null ? null : links.get(backend);
  }

  /** The epoch of invalidations by L2 keys with hash {@code l2Hash}. */
  long keyEpoch(long l2Hash) {
    return keyEpochs.get(stripe(l2Hash));
  }

  private static int stripe(long l2Hash) {
    return (int) (l2Hash ^ (l2Hash >>> 32)) & (KEY_STRIPES - 1);
  }

  /**
   * Advances the epoch of the L2 keys with hash {@code l2Hash}: every ticket taken before is void,
   * so its computation stores nothing in L1, starts no L2 write, and is joined by no later call.
   * Taken under the stripe's lock, so an L2 write that {@link #startWriteIf passed its check} before
   * was also started before (and a backend applies one key's commands in the order started).
   */
  void fenceKey(long l2Hash) {
    int stripe = stripe(l2Hash);
    synchronized (stripeLocks[stripe]) {
      keyEpochs.incrementAndGet(stripe);
    }
  }

  /**
   * Starts {@code write} if {@code stillValid} holds, both under the lock of {@code l2Hash}'s
   * stripe (see {@link #fenceKey}).
   *
   * @return the write's stage, or null if the check failed and nothing was started
   */
  <T> T startWriteIf(long l2Hash, BooleanSupplier stillValid,
      Supplier<T> write) {
    synchronized (stripeLocks[stripe(l2Hash)]) {
      return stillValid.getAsBoolean() ? write.get() : null;
    }
  }

  /** The epoch of flushes. */
  long flushEpoch() {
    return flushEpoch.get();
  }

  /**
   * Advances the flush epoch: no computation in flight will store its result in L1 (its L2 write
   * stands: a flush says nothing about the value).
   */
  void bumpFlushEpoch() {
    flushEpoch.incrementAndGet();
  }

  /** Empties the L1 of every function on {@code backend}, keeping the computations in flight out. */
  void flush(Backend backend) {
    bumpFlushEpoch();
    for (RegisteredEngine engine : enginesOn(backend)) {
      engine.flushL1();
    }
  }

  /** The engines whose L2 is {@code backend}. */
  private List<RegisteredEngine> enginesOn(Backend backend) {
    List<RegisteredEngine> on = new ArrayList<>();
    for (RegisteredEngine engine : engines) {
      if (engine.backend() == backend) {
        on.add(engine);
      }
    }
    return on;
  }

  ThrottledLog coherenceLog() {
    return coherenceLog;
  }

  /** Publishes {@code message} on {@code backend}'s channel, if it has one; never waits or throws. */
  void publish(Backend backend, InvalidationMessage message) {
    CoherenceLink link = linkOf(backend);
    if (link != null) {
      link.publish(message);
    }
  }

  /**
   * Applies another process's invalidation to the L1s of the functions on {@code backend}.
   *
   * @return how many L1 entries it removed
   */
  int applyRemote(Backend backend, InvalidationMessage message) {
    int removed = 0;
    List<RegisteredEngine> affected = enginesOn(backend);
    switch (message.kind()) {
      case KEY, REFRESH -> {
        // a refresh elsewhere has just written the new value: never delete it again
        boolean deleteOwnWrites = message.kind() == InvalidationMessage.Kind.KEY;
        for (String l2Key : message.keys()) {
          long hash = KeyHash.of(l2Key);
          fenceKey(hash);
          boolean deletedAgain = false;
          for (RegisteredEngine engine : affected) {
            RegisteredEngine.RemoteDrop drop = engine.dropL2Hash(hash, l2Key, deleteOwnWrites);
            removed += drop == RegisteredEngine.RemoteDrop.NONE ? 0 : 1;
            deletedAgain |= drop == RegisteredEngine.RemoteDrop.DROPPED_AND_DELETED;
          }
          if (deletedAgain) {
            // a read that began between the drop and the delete may have found our late write
            fenceKey(hash);
          }
        }
      }
      case TAGS, PREFIX -> {
        epoch.incrementAndGet();
        for (RegisteredEngine engine : affected) {
          removed += engine.dropTagged(message.keys());
        }
      }
      case CLEAR -> {
        bumpFlushEpoch();
        for (RegisteredEngine engine : affected) {
          if (message.function() == null || message.function().equals(engine.name())) {
            engine.flushL1();
          }
        }
      }
      default -> throw new IllegalStateException("unknown kind " + message.kind());
    }
    return removed;
  }

  /** What {@code TierCache.coherence()} reports. */
  public CoherenceInfo coherenceInfo() {
    List<String> coherent = new ArrayList<>();
    Duration bound = null;
    boolean delivering = true;
    long published = 0;
    long failures = 0;
    long received = 0;
    long dropped = 0;
    long flushes = 0;
    String reason = null;
    for (CoherenceLink link : links.values()) {
      coherent.add(link.backend().describe());
      Duration b = link.stalenessBound();
      bound = bound == null || b.compareTo(bound) > 0 ? b : bound;
      delivering &= link.isDelivering();
      published += link.published.sum();
      failures += link.publishFailures.sum();
      received += link.received.sum();
      dropped += link.dropped.sum();
      flushes += link.flushes.get();
      if (link.lastFlushReason != null) {
        reason = link.lastFlushReason;
      }
    }
    return new CoherenceInfo(coherenceEnabled, coherent, incoherent, bound, delivering, published,
        failures, received, dropped, flushes, reason);
  }

  TagKeys tagKeys() {
    return tagKeys;
  }

  String namespaceHead() {
    return namespaceHead;
  }

  long epoch() {
    return epoch.get();
  }

  /**
   * Gives each tag key a new version on every backend, then drops the entries stamped with them
   * from every L1 of this process, and publishes the invalidation once the new versions landed.
   *
   * <p>Order: the tag epoch moves first (no computation that began before stores in L1 or is
   * joined), then the versions are written and awaited, then the epoch moves again (a computation
   * that began meanwhile may have read the old versions), then L1s are swept. A version write that
   * outlives the L2 timeout repeats the last two steps when it lands, before it is published.
   *
   * @return whether every backend took every new version in time (if not, entries in that backend
   *     may be served until the write lands or they expire; the failure is logged and counted)
   */
  public boolean invalidateTagKeys(Collection<Backend> backends, Set<String> keys) {
    epoch.incrementAndGet();
    boolean all = true;
    List<String> tags = new ArrayList<>();
    List<String> prefixes = new ArrayList<>();
    for (String key : keys) {
      (tagKeys.isPrefixKey(key) ? prefixes : tags).add(key);
    }
    for (Backend backend : backends) {
      GuardedBackend guarded = guard(backend);
      List<CompletableFuture<Boolean>> writes = new ArrayList<>();
      for (String key : keys) {
        byte[] version = TagKeys.encode(tagKeys.newVersion());
        writes.add(guarded.start(() -> backend.set(key, version, Backend.NO_EXPIRY)
            .thenApply(ignored -> Boolean.TRUE), "invalidation of " + key));
      }
      CompletableFuture<Void> landed = CompletableFuture.allOf(writes.toArray(new CompletableFuture<?>[0]));
      boolean inTime = guarded.awaitStarted(landed, "invalidation of " + keys);
      for (CompletableFuture<Boolean> write : writes) {
        all &= inTime && Boolean.TRUE.equals(write.getNow(null));
      }
      landed.whenComplete((ignored, failure) -> {
        if (!inTime) {
          epoch.incrementAndGet();
          dropTaggedEverywhere(keys);
        }
        if (!tags.isEmpty()) {
          publish(backend, InvalidationMessage.tags(tags));
        }
        for (String prefix : prefixes) {
          publish(backend, InvalidationMessage.prefix(prefix));
        }
      });
    }
    epoch.incrementAndGet();
    dropTaggedEverywhere(keys);
    return all;
  }

  private void dropTaggedEverywhere(Set<String> keys) {
    for (RegisteredEngine engine : engines) {
      engine.dropTagged(keys);
    }
  }

  /**
   * Deletes an explicit key on every backend and drops it from every L1 of this process, in the
   * order of {@link #invalidateTagKeys} with the key's own epoch ({@link #fenceKey}); publishes once
   * the delete landed.
   *
   * @return whether an entry existed in some L1 or backend
   */
  public boolean invalidateL2Key(Collection<Backend> backends, String l2Key) {
    long hash = KeyHash.of(l2Key);
    fenceKey(hash);
    boolean existed = false;
    for (Backend backend : backends) {
      GuardedBackend guarded = guard(backend);
      CompletableFuture<Boolean> deleted = guarded.start(() -> backend.delete(l2Key), "delete of " + l2Key);
      boolean inTime = guarded.awaitStarted(deleted, "delete of " + l2Key);
      existed |= Boolean.TRUE.equals(deleted.getNow(null));
      deleted.whenComplete((ignored, failure) -> {
        if (!inTime) {
          fenceKey(hash);
          dropL2KeyEverywhere(l2Key);
        }
        publish(backend, InvalidationMessage.key(l2Key));
      });
    }
    fenceKey(hash);
    return dropL2KeyEverywhere(l2Key) | existed;
  }

  private boolean dropL2KeyEverywhere(String l2Key) {
    boolean existed = false;
    for (RegisteredEngine engine : engines) {
      existed |= engine.dropL2Key(l2Key);
    }
    return existed;
  }

  /** The L2 key of a tag. */
  public String tagKey(String tag) {
    return tagKeys.tagKey(tag);
  }

  /** The L2 key of a prefix's version. */
  public String prefixKey(String prefix) {
    return tagKeys.prefixKey(prefix);
  }

  /** The L2 key of an explicit key (as a template renders it, prefix included). */
  public String explicitKey(String key) {
    return io.tiercache.internal.key.L2KeyEncoder.explicitKey(namespaceHead, null, key);
  }

  /** Backend failures met by invalidations. */
  public long errorCount() {
    return errors.sum();
  }

  private GuardedBackend guard(Backend backend) {
    return guards.computeIfAbsent(backend,
        b -> new GuardedBackend(b, timeout, time, "invalidation", errors));
  }
}
