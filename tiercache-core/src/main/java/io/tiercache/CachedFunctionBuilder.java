package io.tiercache;

import io.tiercache.backend.Backend;
import io.tiercache.backend.LeasingBackend;
import io.tiercache.codec.Codec;
import io.tiercache.internal.engine.CacheSettings;
import io.tiercache.internal.engine.AsyncCachedFunctions;
import io.tiercache.internal.engine.CachedFunctions;
import io.tiercache.internal.engine.Declarations;
import io.tiercache.internal.engine.FunctionSpec;
import io.tiercache.internal.engine.KeyValueCaches;
import io.tiercache.internal.expiry.TtlPolicy;
import io.tiercache.internal.key.L2KeyEncoder;
import io.tiercache.lease.LeasePolicy;
import io.tiercache.internal.local.LruStore;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Options of one cached function, then {@code of(...)} with the function itself. Options are
 * checked as they are set and when the function is built, never at the first call.
 *
 * <p>Defaults follow lru2cache: an L1 of 128 entries, nulls not cached, untyped arguments, the
 * {@code l2cache} or {@code default} backend, no expiry.
 *
 * @param <R> the result type
 */
public final class CachedFunctionBuilder<R> {
  private final CacheSettings settings;
  private final String name;
  private final ValueType<R> resultType;
  private long l1MaxSize = 128;
  private L1Policy l1Policy = L1Policy.LRU;
  private boolean cacheNulls;
  private boolean typed;
  private String backendAlias;
  private boolean l1Only;
  private Duration ttl;
  private Duration jitter = Duration.ZERO;
  private FunctionSpec.InstanceKey instanceKey;
  private Codec codec;
  private Function<Object[], String> key;
  private Function<Object[], String> prefix;
  private Function<Object[], ? extends Collection<String>> tags;
  private BiFunction<Object[], Object, ? extends Collection<String>> resultTags;
  private Function<Object[], Duration> computedTtl;
  private LeasePolicy lease;

  CachedFunctionBuilder(CacheSettings settings, String name, ValueType<R> resultType) {
    this.settings = settings;
    this.name = name;
    this.resultType = resultType;
  }

  /**
   * The most entries this function keeps in L1 (least recently used go first); 0 turns L1 off.
   *
   * @param l1MaxSize the bound in entries; 0 for no L1
   * @return this builder, for chaining
   * @throws IllegalArgumentException if negative (use {@link #l1Unbounded()} for no bound)
   */
  public CachedFunctionBuilder<R> l1MaxSize(long l1MaxSize) {
    if (l1MaxSize < 0) {
      throw new IllegalArgumentException("l1MaxSize of '" + name + "' must be >= 0 (0 = no L1), got "
          + l1MaxSize + "; use l1Unbounded() for an L1 without bound");
    }
    this.l1MaxSize = l1MaxSize;
    return this;
  }

  /**
   * Lets L1 grow without bound (lru2cache's {@code l1_maxsize=None}).
   *
   * @return this builder, for chaining
   */
  public CachedFunctionBuilder<R> l1Unbounded() {
    this.l1MaxSize = LruStore.UNBOUNDED;
    return this;
  }

  /**
   * Which entries a full L1 keeps: {@link L1Policy#LRU} (the default, lru2cache's exact
   * least-recently-used order) or {@link L1Policy#W_TINY_LFU} (Caffeine's admission by frequency,
   * a higher hit ratio on skewed workloads). See {@link L1Policy} for when to choose which.
   * {@code W_TINY_LFU} needs a bounded L1: combined with {@link #l1Unbounded()} or
   * {@code l1MaxSize(0)}, building the function fails, naming both options.
   *
   * @param l1Policy the eviction policy of a full L1
   * @return this builder, for chaining
   */
  public CachedFunctionBuilder<R> l1Policy(L1Policy l1Policy) {
    this.l1Policy = Objects.requireNonNull(l1Policy, "l1Policy");
    return this;
  }

  /**
   * Whether null results are stored in both layers; default false (computed again each call).
   *
   * @param cacheNulls true to store null results
   * @return this builder, for chaining
   */
  public CachedFunctionBuilder<R> cacheNulls(boolean cacheNulls) {
    this.cacheNulls = cacheNulls;
    return this;
  }

  /**
   * Whether numbers of different types are different arguments. Default false: 3, 3L, 3.0 and
   * {@code BigDecimal("3.00")} share one entry, as in Python's {@code lru_cache}, also inside
   * lists, sets, maps, optionals, arrays and records ({@code List.of(3)} and {@code List.of(3L)}):
   * two calls share an L1 entry exactly when they share an L2 key. An array's component type
   * stays part of its key ({@code int[]} and {@code long[]} differ).
   *
   * @param typed true to keep numbers of different types apart in keys
   * @return this builder, for chaining
   */
  public CachedFunctionBuilder<R> typed(boolean typed) {
    this.typed = typed;
    return this;
  }

  /**
   * Uses the backend configured under {@code alias} as this function's L2.
   *
   * @param alias the alias the backend was added under in {@link TierCache.Builder#backend}
   * @return this builder, for chaining
   */
  public CachedFunctionBuilder<R> backend(String alias) {
    this.backendAlias = Objects.requireNonNull(alias, "alias");
    this.l1Only = false;
    return this;
  }

  /**
   * Gives this function no L2, whatever backends the {@link TierCache} has.
   *
   * @return this builder, for chaining
   */
  public CachedFunctionBuilder<R> l1Only() {
    this.l1Only = true;
    this.backendAlias = null;
    return this;
  }

  /**
   * How long entries live in both layers; default forever (until evicted or invalidated).
   *
   * @param ttl the entries' lifetime; positive
   * @return this builder, for chaining
   */
  public CachedFunctionBuilder<R> ttl(Duration ttl) {
    this.ttl = Objects.requireNonNull(ttl, "ttl");
    return this;
  }

  /**
   * A random extra lifetime in {@code [0, jitter]} per entry, so entries written together do not
   * expire together. Needs a {@link #ttl(Duration)}.
   *
   * @param jitter the most extra lifetime added at random; not negative
   * @return this builder, for chaining
   */
  public CachedFunctionBuilder<R> jitter(Duration jitter) {
    this.jitter = Objects.requireNonNull(jitter, "jitter");
    return this;
  }

  /**
   * Makes this an instance method's cache: the first argument is the receiver, and keys hold
   * {@code key.apply(receiver)} in its place, so two receivers with the same instance key share
   * entries (lru2cache's {@code inst_attr}). Invalidate with the receiver as first argument.
   *
   * @param <S> the receiver's type
   * @param receiverType the receiver's class; other first arguments are refused with a clear error
   * @param key the receiver's identity, e.g. {@code User::id}; must not return null
   * @return this builder, for chaining
   */
  @SuppressWarnings("unchecked")
  public <S> CachedFunctionBuilder<R> instanceKey(Class<S> receiverType, Function<? super S, ?> key) {
    Objects.requireNonNull(receiverType, "receiverType");
    Objects.requireNonNull(key, "key");
    this.instanceKey = new FunctionSpec.InstanceKey(receiverType, (Function<Object, ?>) key);
    return this;
  }

  /**
   * A lifetime computed from each call's arguments (easy_cache's dynamic timeouts), e.g. a longer
   * one for a slow-changing group; null from the function means the fixed {@link #ttl(Duration)}.
   * {@link #jitter(Duration)} applies on top.
   *
   * @param ttlOfArgs the lifetime for a call's arguments, or null for the fixed ttl
   * @return this builder, for chaining
   */
  public CachedFunctionBuilder<R> ttl(Function<Object[], Duration> ttlOfArgs) {
    this.computedTtl = Objects.requireNonNull(ttlOfArgs, "ttlOfArgs");
    return this;
  }

  /**
   * The entry's key, chosen from the call's arguments instead of the function name and arguments:
   * {@code <namespace>:[<prefix>:]<key>}. Calls with equal keys share an entry, even across
   * functions: the key is the identity. Invalidate one with {@link TierCache#invalidateKey}, which
   * reads its text by the same rule (characters outside {@code [A-Za-z0-9._-:/~,='()[]{}]}
   * are written {@code %XX} per UTF-8 byte; an escape already in the text is kept).
   *
   * @param keyOfArgs the key for a call's arguments; must not return null
   * @return this builder, for chaining
   */
  public CachedFunctionBuilder<R> key(Function<Object[], String> keyOfArgs) {
    this.key = Objects.requireNonNull(keyOfArgs, "keyOfArgs");
    return this;
  }

  /**
   * A key prefix that is also a tag of every entry under it, so {@link TierCache#invalidatePrefix}
   * drops them all in one backend command. The prefix is plain text: any character, named the same
   * way by {@code invalidatePrefix} (see {@code docs/tags.md}, "One tag, one text").
   *
   * @param prefix the prefix of every entry's key, plain text
   * @return this builder, for chaining
   */
  public CachedFunctionBuilder<R> prefix(String prefix) {
    Objects.requireNonNull(prefix, "prefix");
    return prefix(args -> prefix);
  }

  /**
   * A prefix computed from the arguments, e.g. {@code args -> "shop:" + ((Shop) args[0]).id()}.
   *
   * @param prefixOfArgs the prefix for a call's arguments
   * @return this builder, for chaining
   */
  public CachedFunctionBuilder<R> prefix(Function<Object[], String> prefixOfArgs) {
    this.prefix = Objects.requireNonNull(prefixOfArgs, "prefixOfArgs");
    return this;
  }

  /**
   * Fixed tags of every entry: {@link TierCache#invalidateTags} with any of them drops them all,
   * in one backend command per tag. A tag is plain text, any character: the same text names the
   * same tag on every path (see {@code docs/tags.md}, "One tag, one text").
   *
   * @param tags the tags of every entry, plain text
   * @return this builder, for chaining
   */
  public CachedFunctionBuilder<R> tags(String... tags) {
    List<String> fixed = List.of(tags);
    return tags(args -> fixed);
  }

  /**
   * Tags computed from the arguments. Their versions are read with the entry in one round trip and
   * captured before computing, so an invalidation during the computation is never missed.
   *
   * @param tagsOfArgs the tags for a call's arguments
   * @return this builder, for chaining
   */
  public CachedFunctionBuilder<R> tags(Function<Object[], ? extends Collection<String>> tagsOfArgs) {
    this.tags = Objects.requireNonNull(tagsOfArgs, "tagsOfArgs");
    return this;
  }

  /**
   * Tags computed from the arguments and the returned value (one tag per book in a list of books).
   * Their versions can only be read after computing: an invalidation of such a tag while the
   * value is being computed may be missed by that one entry. Reading an entry with such tags costs
   * a second round trip to check them.
   *
   * @param tagsOf the tags for a call's arguments and its result
   * @return this builder, for chaining
   */
  @SuppressWarnings("unchecked")
  public CachedFunctionBuilder<R> resultTags(BiFunction<Object[], ? super R, ? extends Collection<String>> tagsOf) {
    Objects.requireNonNull(tagsOf, "tagsOf");
    this.resultTags = (BiFunction<Object[], Object, ? extends Collection<String>>) tagsOf;
    return this;
  }

  /**
   * Guards misses against stampedes across processes: when several processes miss the same entry
   * at once, the first takes a lease on it in L2 and computes; the others wait up to {@code wait}
   * for its result to appear in L2 (polling with growing pauses), and compute themselves if it has
   * not by then. The lease lasts {@value LeasePolicy#DEFAULT_TTL_FACTOR} times {@code wait} unless
   * released first (see {@link #lease(Duration, Duration)}). Within one process, callers of the
   * same arguments already share one computation without a lease.
   *
   * <p>The backend must offer leases ({@link io.tiercache.backend.LeasingBackend}: the in-memory,
   * Redis and memcached backends do); otherwise building the function fails, naming the backend.
   *
   * @param wait how long a process that did not get the lease waits for the leader's result
   * @return this builder, for chaining
   * @throws IllegalArgumentException if {@code wait} is below 1 ms
   */
  public CachedFunctionBuilder<R> lease(Duration wait) {
    this.lease = leasePolicy(() -> LeasePolicy.of(wait));
    return this;
  }

  /**
   * As {@link #lease(Duration)}, with the lease's lifetime: how long a holder that never releases
   * it (its process died, or its computation runs longer) keeps others waiting before one of them
   * takes over. Choose it above the function's usual computing time.
   *
   * @param wait how long a process that did not get the lease waits for the leader's result
   * @param ttl how long a lease lasts unless released; at least {@code wait}
   * @return this builder, for chaining
   * @throws IllegalArgumentException if {@code wait} or {@code ttl} is below 1 ms, or {@code ttl}
   *     is shorter than {@code wait}
   */
  public CachedFunctionBuilder<R> lease(Duration wait, Duration ttl) {
    this.lease = leasePolicy(() -> new LeasePolicy(wait, ttl));
    return this;
  }

  private LeasePolicy leasePolicy(Supplier<LeasePolicy> policy) {
    try {
      return policy.get();
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException("cached function '" + name + "': " + e.getMessage(), e);
    }
  }

  /**
   * The codec for this function's L2 values, instead of the {@link TierCache}'s.
   *
   * @param codec the codec that encodes and decodes this function's values
   * @return this builder, for chaining
   */
  public CachedFunctionBuilder<R> codec(Codec codec) {
    this.codec = Objects.requireNonNull(codec, "codec");
    return this;
  }

  /**
   * Builds the cached form of a function of no arguments.
   *
   * @param fn the function to cache
   * @return the cached function, ready to call
   */
  public CachedFunction0<R> of(Supplier<R> fn) {
    return CachedFunctions.of(spec(fn), fn);
  }

  /**
   * Builds the cached form of a function of one argument.
   *
   * @param <A> the type of the first argument
   * @param fn the function to cache
   * @return the cached function, ready to call
   */
  public <A> CachedFunction1<A, R> of(Function<A, R> fn) {
    return CachedFunctions.of(spec(fn), fn);
  }

  /**
   * Builds the cached form of a function of two arguments.
   *
   * @param <A> the type of the first argument
   * @param <B> the type of the second argument
   * @param fn the function to cache
   * @return the cached function, ready to call
   */
  public <A, B> CachedFunction2<A, B, R> of(BiFunction<A, B, R> fn) {
    return CachedFunctions.of(spec(fn), fn);
  }

  /**
   * Builds the cached form of a function of three arguments.
   *
   * @param <A> the type of the first argument
   * @param <B> the type of the second argument
   * @param <C> the type of the third argument
   * @param fn the function to cache
   * @return the cached function, ready to call
   */
  public <A, B, C> CachedFunction3<A, B, C, R> of(TriFunction<A, B, C, R> fn) {
    return CachedFunctions.of(spec(fn), fn);
  }

  /**
   * Builds the cached form of a function of {@code arity} arguments passed as an array (the form
   * cached methods use).
   *
   * @param arity the number of arguments every call passes
   * @param fn the function to cache
   * @return the cached function, ready to call
   */
  public CachedFunctionN<R> ofArgs(int arity, ArgsFunction<R> fn) {
    return CachedFunctions.of(spec(fn), arity, fn);
  }

  /**
   * Builds the cached form of an asynchronous function of no arguments: concurrent callers share
   * one computation, the value is cached once its future completes (the ttl counts from then), a
   * failed future is never cached. See {@link AsyncCachedFunction0}.
   *
   * @param fn the function to cache
   * @return the cached asynchronous function, ready to call
   */
  public AsyncCachedFunction0<R> ofAsync(Supplier<? extends CompletionStage<R>> fn) {
    return AsyncCachedFunctions.of(spec(fn), settings.asyncContext(), fn);
  }

  /**
   * Builds the cached form of an asynchronous function of one argument; see {@link #ofAsync(Supplier)}.
   *
   * @param <A> the type of the first argument
   * @param fn the function to cache
   * @return the cached asynchronous function, ready to call
   */
  public <A> AsyncCachedFunction1<A, R> ofAsync(Function<A, ? extends CompletionStage<R>> fn) {
    return AsyncCachedFunctions.of(spec(fn), settings.asyncContext(), fn);
  }

  /**
   * Builds the cached form of an asynchronous function of two arguments; see {@link #ofAsync(Supplier)}.
   *
   * @param <A> the type of the first argument
   * @param <B> the type of the second argument
   * @param fn the function to cache
   * @return the cached asynchronous function, ready to call
   */
  public <A, B> AsyncCachedFunction2<A, B, R> ofAsync(BiFunction<A, B, ? extends CompletionStage<R>> fn) {
    return AsyncCachedFunctions.of(spec(fn), settings.asyncContext(), fn);
  }

  /**
   * Builds the cached form of an asynchronous function of three arguments; see {@link #ofAsync(Supplier)}.
   *
   * @param <A> the type of the first argument
   * @param <B> the type of the second argument
   * @param <C> the type of the third argument
   * @param fn the function to cache
   * @return the cached asynchronous function, ready to call
   */
  public <A, B, C> AsyncCachedFunction3<A, B, C, R> ofAsync(TriFunction<A, B, C, ? extends CompletionStage<R>> fn) {
    return AsyncCachedFunctions.of(spec(fn), settings.asyncContext(), fn);
  }

  /**
   * Builds the cached form of an asynchronous function of {@code arity} arguments passed as an
   * array (the form cached methods returning a {@code CompletableFuture} use).
   *
   * @param arity the number of arguments every call passes
   * @param fn the function to cache
   * @return the cached asynchronous function, ready to call
   */
  public AsyncCachedFunctionN<R> ofAsyncArgs(int arity, ArgsFunction<? extends CompletionStage<R>> fn) {
    return AsyncCachedFunctions.of(spec(fn), settings.asyncContext(), arity, fn);
  }

  /**
   * Builds a {@link KeyValueCache} under this name instead of a function: values are stored and
   * loaded by an explicit key, with this builder's options (L1 size and policy, TTL, jitter,
   * backend, lease, nulls, codec, tags of the key). Every entry carries this name as its prefix,
   * which {@link KeyValueCache#invalidateAll()} invalidates; a key-value cache therefore takes no
   * {@code key(...)}, {@code prefix(...)} or {@code instanceKey(...)}.
   *
   * @param <K> the key type
   * @return the key-value cache, ready to use
   * @throws IllegalArgumentException if {@code key}, {@code prefix} or {@code instanceKey} was set
   */
  public <K> KeyValueCache<K, R> keyValue() {
    String refused = key != null ? "key(...)" : prefix != null ? "prefix(...)"
        : instanceKey != null ? "instanceKey(...)" : null;
    if (refused != null) {
      throw new IllegalArgumentException("key-value cache '" + name + "' takes no " + refused
          + ": its key is the one each call gives, and its prefix is its name");
    }
    String cacheName = name;
    prefix = args -> cacheName;
    try {
      return KeyValueCaches.of(spec(cacheName), settings.asyncContext().executor());
    } finally {
      prefix = null;
    }
  }

  private FunctionSpec<R> spec(Object fn) {
    Objects.requireNonNull(fn, "function");
    TtlPolicy ttlPolicy;
    try {
      ttlPolicy = new TtlPolicy(ttl, jitter, computedTtl != null);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("cached function '" + name + "': " + e.getMessage(), e);
    }
    Backend backend = l1Only ? null : settings.backendResolver().apply(backendAlias);
    if (lease != null) {
      checkLeaseBackend(backend);
    }
    Codec chosenCodec = codec != null ? codec : settings.codec();
    L2KeyEncoder keys = new L2KeyEncoder(settings.namespace(), name, typed, settings.keyHashing(),
        settings.keyEncoders());
    FunctionSpec<R> spec = new FunctionSpec<>(name, resultType, l1MaxSize, l1Policy, cacheNulls, typed,
        ttlPolicy, backend, chosenCodec, keys, instanceKey, settings.l2Timeout(), settings.time(),
        new Declarations(key, prefix, tags, resultTags, computedTtl), settings.registry(), lease);
    return spec;
  }

  private void checkLeaseBackend(Backend backend) {
    if (backend == null) {
      throw new IllegalArgumentException("cached function '" + name + "': lease needs an L2 backend, "
          + "but the function has none (" + (l1Only ? "l1Only()" : "no backend named '"
          + TierCache.L2CACHE + "' or '" + TierCache.DEFAULT + "' is configured") + ")");
    }
    if (!(backend instanceof LeasingBackend)) {
      String alias = backendAlias != null ? backendAlias
          : settings.backends().containsKey(TierCache.L2CACHE) ? TierCache.L2CACHE : TierCache.DEFAULT;
      throw new IllegalArgumentException("cached function '" + name + "': lease needs a backend that "
          + "offers leases, but backend '" + alias + "' (" + backend.describe() + ") does not implement "
          + LeasingBackend.class.getName() + "; remove lease(...) or use a backend that offers leases"
          + " (in-memory, Redis, memcached)");
    }
  }
}
