package io.tiercache.engine;

import io.tiercache.TimeSource;
import io.tiercache.backend.Backend;
import io.tiercache.tag.TagKeys;
import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The engines of one {@code TierCache}, and the invalidations that reach across them: by tag, by
 * prefix, by explicit key. Each is O(1) backend commands per backend (a new tag version, or one
 * delete), followed by a sweep of this process's L1s.
 *
 * <p>In-process safety: every invalidation advances an epoch before it sweeps L1. A declarative
 * entry is stored in L1 only if the epoch has not moved since its computation began (checked under
 * L1's lock, which the sweep also takes), so a computation that began before an invalidation never
 * leaves its result in this process's L1 after the invalidation returned. In L2, such a result is
 * stamped with the tag versions read before it was computed and so is never served either.
 */
public final class EngineRegistry {
  private final CopyOnWriteArrayList<CacheEngine<?>> engines = new CopyOnWriteArrayList<>();
  private final CopyOnWriteArrayList<AsyncCacheEngine<?>> asyncEngines = new CopyOnWriteArrayList<>();
  private final AtomicLong epoch = new AtomicLong();
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
    this.namespaceHead = io.tiercache.key.L2KeyEncoder.namespaceHead(namespace);
    this.timeout = timeout;
    this.time = time;
  }

  void register(CacheEngine<?> engine) {
    engines.add(engine);
  }

  void register(AsyncCacheEngine<?> engine) {
    asyncEngines.add(engine);
  }

  void unregister(AsyncCacheEngine<?> engine) {
    asyncEngines.remove(engine);
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
   * from every L1 of this process.
   *
   * @return whether every backend took every new version (if not, entries in that backend may be
   *     served until they expire; the failure is logged and counted)
   */
  public boolean invalidateTagKeys(Collection<Backend> backends, Set<String> keys) {
    epoch.incrementAndGet();
    boolean all = true;
    for (Backend backend : backends) {
      GuardedBackend guarded = guard(backend);
      for (String key : keys) {
        byte[] version = TagKeys.encode(tagKeys.newVersion());
        all &= guarded.awaitDone(() -> backend.set(key, version, Backend.NO_EXPIRY), "invalidation of " + key);
      }
    }
    for (CacheEngine<?> engine : engines) {
      engine.dropTagged(keys);
    }
    for (AsyncCacheEngine<?> engine : asyncEngines) {
      engine.dropTagged(keys);
    }
    return all;
  }

  /**
   * Deletes an explicit key on every backend and drops it from every L1 of this process.
   *
   * @return whether an entry existed in some L1 or backend
   */
  public boolean invalidateL2Key(Collection<Backend> backends, String l2Key) {
    epoch.incrementAndGet();
    boolean existed = false;
    for (Backend backend : backends) {
      existed |= Boolean.TRUE.equals(guard(backend).await(() -> backend.delete(l2Key), "delete of " + l2Key));
    }
    for (CacheEngine<?> engine : engines) {
      existed |= engine.dropL2Key(l2Key);
    }
    for (AsyncCacheEngine<?> engine : asyncEngines) {
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
    return io.tiercache.key.L2KeyEncoder.explicitKey(namespaceHead, null, key);
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
