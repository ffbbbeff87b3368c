package io.tiercache.spring;

import io.tiercache.CachedFunctionBuilder;
import io.tiercache.L1Policy;
import io.tiercache.ValueType;
import java.time.Duration;
import java.util.Objects;

/**
 * The options of one Spring cache on tiercache, immutable: each {@code with}-style method returns a
 * copy. A null component means "tiercache's default" (an L1 of 128 entries, exact LRU, no expiry,
 * the {@code l2cache} or {@code default} backend, no lease). They are checked when the cache is
 * built: at {@link TierCacheManager}'s construction for the caches it is given, at the first
 * {@code getCache} for a cache created on demand, with tiercache's message naming the cache and
 * the option.
 *
 * <pre>{@code
 * TierCacheOptions books = TierCacheOptions.defaults()
 *     .valueType(Book.class)          // what L2 values are decoded into
 *     .ttl(Duration.ofMinutes(10))
 *     .l1MaxSize(10_000);
 * }</pre>
 *
 * @param valueType the type L2 values are decoded into (the codec is bound to it); {@code Object}
 *     by default, which reads JSON back as maps, lists, strings, numbers and booleans: give the
 *     cached methods' return type for anything else
 * @param allowNullValues whether null results are cached (Spring's {@code allowNullValues}); true
 *     by default. A cached null is a null frame in L2, never a Spring class, so it needs nothing
 *     from the codec
 * @param l1MaxSize the most entries in this process's L1 (0: no L1), or null for the default
 * @param l1Policy the eviction policy of a full L1, or null for exact LRU
 * @param ttl the entries' lifetime in both layers, or null for none
 * @param jitter a random extra lifetime up to this much, or null for none (needs a ttl)
 * @param backend the alias of the L2 backend in the {@code TierCache}, or null for its default
 * @param leaseWait the stampede lease's wait across processes, or null for no lease
 */
public record TierCacheOptions(ValueType<?> valueType, boolean allowNullValues, Long l1MaxSize,
    L1Policy l1Policy, Duration ttl, Duration jitter, String backend, Duration leaseWait) {

  private static final TierCacheOptions DEFAULTS =
      new TierCacheOptions(ValueType.of(Object.class), true, null, null, null, null, null, null);

  /**
   * Checks the one component that must be present.
   *
   * @param valueType as in the record's description, not null
   * @param allowNullValues as in the record's description
   * @param l1MaxSize as in the record's description
   * @param l1Policy as in the record's description
   * @param ttl as in the record's description
   * @param jitter as in the record's description
   * @param backend as in the record's description
   * @param leaseWait as in the record's description
   */
  public TierCacheOptions {
    Objects.requireNonNull(valueType, "valueType");
  }

  /**
   * Values of type {@code Object}, nulls allowed, and tiercache's defaults for everything else.
   *
   * @return the default options
   */
  public static TierCacheOptions defaults() {
    return DEFAULTS;
  }

  /**
   * A copy with another value type.
   *
   * @param type the class L2 values are decoded into
   * @return the changed copy
   */
  public TierCacheOptions valueType(Class<?> type) {
    return valueType(ValueType.of(Objects.requireNonNull(type, "valueType")));
  }

  /**
   * A copy with another value type, generic ones included ({@code new ValueType<List<Book>>() {}}).
   *
   * @param type the type L2 values are decoded into
   * @return the changed copy
   */
  public TierCacheOptions valueType(ValueType<?> type) {
    return new TierCacheOptions(type, allowNullValues, l1MaxSize, l1Policy, ttl, jitter, backend, leaseWait);
  }

  /**
   * A copy that does or does not cache null values.
   *
   * @param allow true to cache nulls, false to refuse them as Spring's contract says
   * @return the changed copy
   */
  public TierCacheOptions allowNullValues(boolean allow) {
    return new TierCacheOptions(valueType, allow, l1MaxSize, l1Policy, ttl, jitter, backend, leaseWait);
  }

  /**
   * A copy with another L1 bound.
   *
   * @param size the most L1 entries; 0 for no L1
   * @return the changed copy
   */
  public TierCacheOptions l1MaxSize(long size) {
    return new TierCacheOptions(valueType, allowNullValues, size, l1Policy, ttl, jitter, backend, leaseWait);
  }

  /**
   * A copy with another L1 eviction policy.
   *
   * @param policy the policy of a full L1
   * @return the changed copy
   */
  public TierCacheOptions l1Policy(L1Policy policy) {
    return new TierCacheOptions(valueType, allowNullValues, l1MaxSize, policy, ttl, jitter, backend, leaseWait);
  }

  /**
   * A copy with another lifetime.
   *
   * @param lifetime the entries' lifetime in both layers
   * @return the changed copy
   */
  public TierCacheOptions ttl(Duration lifetime) {
    return new TierCacheOptions(valueType, allowNullValues, l1MaxSize, l1Policy, lifetime, jitter, backend, leaseWait);
  }

  /**
   * A copy with another jitter.
   *
   * @param extra the most random extra lifetime
   * @return the changed copy
   */
  public TierCacheOptions jitter(Duration extra) {
    return new TierCacheOptions(valueType, allowNullValues, l1MaxSize, l1Policy, ttl, extra, backend, leaseWait);
  }

  /**
   * A copy on another backend.
   *
   * @param alias the backend's alias in the {@code TierCache}
   * @return the changed copy
   */
  public TierCacheOptions backend(String alias) {
    return new TierCacheOptions(valueType, allowNullValues, l1MaxSize, l1Policy, ttl, jitter, alias, leaseWait);
  }

  /**
   * A copy with a stampede lease: when processes miss one entry at once, one computes and the
   * others wait up to {@code wait} for its value in L2.
   *
   * @param wait how long the others wait for the leader's value
   * @return the changed copy
   */
  public TierCacheOptions lease(Duration wait) {
    return new TierCacheOptions(valueType, allowNullValues, l1MaxSize, l1Policy, ttl, jitter, backend, wait);
  }

  /** Applies the options that are set to a function builder. */
  <R> CachedFunctionBuilder<R> applyTo(CachedFunctionBuilder<R> builder) {
    builder.cacheNulls(allowNullValues);
    if (l1MaxSize != null) {
      builder.l1MaxSize(l1MaxSize);
    }
    if (l1Policy != null) {
      builder.l1Policy(l1Policy);
    }
    if (ttl != null) {
      builder.ttl(ttl);
    }
    if (jitter != null) {
      builder.jitter(jitter);
    }
    if (backend != null) {
      builder.backend(backend);
    }
    if (leaseWait != null) {
      builder.lease(leaseWait);
    }
    return builder;
  }
}
