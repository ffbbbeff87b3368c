package io.tiercache.internal.engine;

import io.tiercache.KeyValueCache;
import io.tiercache.internal.key.ArgsKey;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * The handle of a {@link KeyValueCache}: a synchronous engine of one argument (the key) whose
 * computation is the caller's loader, given per call, or the value a {@code put} brings. A put is
 * the engine's refresh (fence, detach the flight, store in L2, then L1 with a second fence,
 * published as a refresh); {@code invalidateAll} is the invalidation of the prefix every entry
 * carries (the cache's name). Nothing here is on a function's hit path.
 */
public final class KeyValueCaches {
  private KeyValueCaches() {}

  /**
   * A key-value cache on a new engine of {@code spec}, whose entries all carry one constant prefix.
   *
   * @param executor runs the asynchronous look-ups and loads that miss L1
   */
  public static <K, V> KeyValueCache<K, V> of(FunctionSpec<V> spec, Executor executor) {
    return new Handle<>(spec, spec.newEngine(), executor);
  }

  private static final class Handle<K, V> extends ArityHandles.Of1<K, V> implements KeyValueCache<K, V> {
    /** The arguments that name the constant prefix: it reads none of them. */
    private static final Object[] ANY_KEY = {null};

    private final CacheEngine<V> engine;
    private final Executor executor;
    private final boolean storesNulls;

    Handle(FunctionSpec<V> spec, CacheEngine<V> engine, Executor executor) {
      super(spec, engine);
      this.engine = engine;
      this.executor = executor;
      this.storesNulls = spec.cacheNulls();
    }

    private K checked(K key) {
      if (key == null) { // no message supplier to capture: this is on the hit path
        throw new NullPointerException("key of cache '" + name() + "'");
      }
      return key;
    }

    @Override
    public Found<V> lookup(K key) {
      Object stored = find(key);
      return stored == CacheEngine.ABSENT ? null : new Found<>(CacheEngine.unmask(stored));
    }

    @Override
    public V getOrDefault(K key, V defaultValue) {
      Object stored = find(key);
      return stored == CacheEngine.ABSENT ? defaultValue : CacheEngine.unmask(stored);
    }

    /** L1, then L2: the stored value or {@code ABSENT}; an L1 hit allocates nothing here. */
    private Object find(K key) {
      ArgsKey argsKey = key(checked(key));
      Object stored = engine.getIfPresent(argsKey);
      return stored != CacheEngine.ABSENT ? stored : engine.lookupMissed(argsKey, new Object[] {key});
    }

    @Override
    public CompletableFuture<Found<V>> lookupAsync(K key) {
      Object stored = engine.getIfPresent(key(checked(key)));
      if (stored != CacheEngine.ABSENT) {
        return CompletableFuture.completedFuture(new Found<>(CacheEngine.unmask(stored)));
      }
      return CompletableFuture.supplyAsync(() -> lookup(key), executor);
    }

    @Override
    public V get(K key, Function<? super K, ? extends V> loader) {
      Objects.requireNonNull(loader, "loader");
      Object stored = engine.getIfPresent(key(checked(key)));
      return stored != CacheEngine.ABSENT
          ? CacheEngine.unmask(stored) : engine.load(key(key), new Object[] {key}, () -> loader.apply(key));
    }

    @Override
    public CompletableFuture<V> getAsync(K key, Function<? super K, ? extends CompletionStage<V>> loader) {
      Objects.requireNonNull(loader, "loader");
      Object stored = engine.getIfPresent(key(checked(key)));
      if (stored != CacheEngine.ABSENT) {
        return CompletableFuture.completedFuture(CacheEngine.unmask(stored));
      }
      // the miss path waits for each stage; here it waits on the executor, not the caller's thread
      return CompletableFuture.supplyAsync(() -> engine.load(key(key), new Object[] {key},
          () -> loader.apply(key).toCompletableFuture().join()), executor);
    }

    @Override
    public void put(K key, V value) {
      ArgsKey argsKey = key(checked(key));
      if (value == null && !storesNulls) {
        throw new IllegalArgumentException("cache '" + name() + "' does not store nulls (built without "
            + "cacheNulls(true)): put a value, or invalidate(key)");
      }
      engine.refresh(argsKey, new Object[] {key}, () -> value);
    }

    @Override
    public boolean invalidateAll() {
      return engine.invalidatePrefixOf(ANY_KEY);
    }
  }
}
