package io.tiercache.spring;

import io.tiercache.KeyValueCache;
import io.tiercache.spring.internal.SpringKeys;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.springframework.cache.support.AbstractValueAdaptingCache;
import org.springframework.cache.support.NullValue;

/**
 * A Spring {@link org.springframework.cache.Cache} on a tiercache {@link KeyValueCache}: L1 in this
 * process, L2 shared, coherent L1s across processes. {@code @Cacheable} looks up L1, then L2, then
 * calls the method; {@code @Cacheable(sync = true)} runs one computation per key at a time in this
 * process (and, with a lease, across processes); {@code @CachePut} stores as an invalidation
 * followed by a store (a computation that began earlier never overwrites it, and the other
 * processes drop their L1 copies); {@code @CacheEvict} removes the key, or with
 * {@code allEntries = true} every entry of the cache, in every process.
 *
 * <p>Nulls follow Spring's {@code allowNullValues}: when allowed, a null result is stored as
 * tiercache's null frame (no Spring class travels through the codec); when not, storing a null
 * fails with Spring's {@link IllegalArgumentException}. Keys go through
 * {@link SpringKeys#of}: a {@code SimpleKey} (several parameters) becomes the list of its
 * parameters, any other key is used as it is and must have a stable encoding.
 *
 * <p>Every operation that misses L1 waits for L2 (at most the {@code TierCache}'s L2 timeout)
 * on the caller's thread, except {@link #retrieve(Object)} and
 * {@link #retrieve(Object, Supplier)}, which wait on the {@code TierCache}'s executor.
 */
public class TierCacheCache extends AbstractValueAdaptingCache {
  /** What {@link #lookup} asks for when neither layer holds the key: never stored, never returned. */
  private static final Object ABSENT = new Object();

  private final KeyValueCache<Object, Object> cache;

  /**
   * A Spring cache on {@code cache}.
   *
   * @param cache the key-value cache; it must store nulls exactly when {@code allowNullValues}
   * @param allowNullValues whether null values may be stored (Spring's contract)
   */
  public TierCacheCache(KeyValueCache<Object, Object> cache, boolean allowNullValues) {
    super(allowNullValues);
    this.cache = Objects.requireNonNull(cache, "cache");
  }

  @Override
  public String getName() {
    return cache.name();
  }

  /**
   * The tiercache cache underneath, for its statistics ({@code cacheInfo()}) and operations.
   *
   * @return the key-value cache
   */
  @Override
  public KeyValueCache<Object, Object> getNativeCache() {
    return cache;
  }

  @Override
  protected Object lookup(Object key) {
    Object value = cache.getOrDefault(SpringKeys.of(key), ABSENT);
    return value == ABSENT ? null : storeForm(value);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> T get(Object key, Callable<T> valueLoader) {
    return (T) cache.get(SpringKeys.of(key), ignored -> tierForm(toStoreValue(call(key, valueLoader))));
  }

  private static <T> T call(Object key, Callable<T> valueLoader) {
    try {
      return valueLoader.call();
    } catch (Exception e) {
      throw new ValueRetrievalException(key, valueLoader, e);
    }
  }

  @Override
  public CompletableFuture<?> retrieve(Object key) {
    return cache.lookupAsync(SpringKeys.of(key)).thenApply(found -> found == null ? null
        : isAllowNullValues() ? toValueWrapper(storeForm(found.value())) : found.value());
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> CompletableFuture<T> retrieve(Object key, Supplier<CompletableFuture<T>> valueLoader) {
    Objects.requireNonNull(valueLoader, "valueLoader");
    return (CompletableFuture<T>) cache.getAsync(SpringKeys.of(key),
        ignored -> valueLoader.get().thenApply(value -> tierForm(toStoreValue(value))));
  }

  @Override
  public void put(Object key, Object value) {
    cache.put(SpringKeys.of(key), tierForm(toStoreValue(value)));
  }

  /**
   * Stores {@code value} unless the key holds one; atomic in this process (it goes through the
   * same single flight as a load), as with {@code get(key, loader)}.
   */
  @Override
  public ValueWrapper putIfAbsent(Object key, Object value) {
    Object stored = tierForm(toStoreValue(value));
    boolean[] absent = {false};
    Object current = cache.get(SpringKeys.of(key), ignored -> {
      absent[0] = true;
      return stored;
    });
    return absent[0] ? null : toValueWrapper(storeForm(current));
  }

  @Override
  public void evict(Object key) {
    cache.invalidate(SpringKeys.of(key));
  }

  @Override
  public boolean evictIfPresent(Object key) {
    return cache.invalidate(SpringKeys.of(key));
  }

  @Override
  public void clear() {
    cache.invalidateAll();
  }

  /**
   * As {@link #clear()}, which is already immediate here.
   *
   * @return false: whether other processes held entries is not known here
   */
  @Override
  public boolean invalidate() {
    cache.invalidateAll();
    return false;
  }

  /** Spring's form of what tiercache holds: a null is {@link NullValue#INSTANCE}. */
  private static Object storeForm(Object value) {
    return value == null ? NullValue.INSTANCE : value;
  }

  /** tiercache's form of what Spring stores: {@link NullValue#INSTANCE} is a null. */
  private static Object tierForm(Object storeValue) {
    return storeValue == NullValue.INSTANCE ? null : storeValue;
  }

  @Override
  public String toString() {
    return "TierCacheCache[" + cache.name() + ", " + cache.cacheInfo() + "]";
  }
}
