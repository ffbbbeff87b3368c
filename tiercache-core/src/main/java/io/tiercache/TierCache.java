package io.tiercache;

import io.tiercache.backend.Backend;
import io.tiercache.codec.Codec;
import io.tiercache.codec.JacksonCodec;
import io.tiercache.internal.engine.AsyncContext;
import io.tiercache.internal.engine.CacheSettings;
import io.tiercache.internal.engine.EngineRegistry;
import io.tiercache.internal.expiry.Scheduler;
import io.tiercache.internal.proxy.MethodCaches;
import io.tiercache.internal.stats.StatsPublisher;
import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The entry point: built once per application, it holds the named L2 backends, the namespace that
 * prefixes every L2 key, the codec and the clock, and it makes cached functions.
 *
 * <pre>{@code
 * TierCache cache = TierCache.builder()
 *     .namespace("shop")
 *     .backend("default", InMemoryBackend.create())
 *     .build();
 *
 * CachedFunction2<String, Integer, Quote> quote = cache.function("quote", Quote.class)
 *     .l1MaxSize(1_000)
 *     .ttl(Duration.ofMinutes(5))
 *     .of((String sku, Integer qty) -> pricing.quote(sku, qty));
 *
 * quote.apply("A-1", 3);   // computed, stored in L1 and L2
 * quote.apply("A-1", 3);   // L1 hit
 * }</pre>
 *
 * <p>A function that names no backend uses the one called {@code l2cache} if there is one, else
 * {@code default}, else it has no L2 (as lru2cache chooses). Instances share nothing with each
 * other except the backends they are given; there is no static state.
 *
 * <p>Coherent L1s: for each backend that offers an invalidation channel (Redis pub/sub, the
 * embedded store), every invalidation made here (by key, tag, prefix, {@code cacheClear()},
 * {@code refresh}) reaches the L1s of the other processes sharing that backend, and a lost channel
 * flushes this process's L1s of that backend; see {@link #coherence()}. {@link #close()} leaves the
 * channels.
 */
public final class TierCache implements AutoCloseable {
  /** The backend alias a function uses first when it names none. */
  public static final String L2CACHE = "l2cache";
  /** The backend alias a function uses when it names none and there is no {@value #L2CACHE}. */
  public static final String DEFAULT = "default";

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");

  private final String namespace;
  private final Map<String, Backend> backends;
  private final Codec codec;
  private final TimeSource time;
  private final KeyHashing keyHashing;
  private final Duration l2Timeout;
  private final Map<Class<?>, Function<Object, String>> keyEncoders;
  private final EngineRegistry registry;
  private final CacheSettings settings;
  private final MethodCaches methods = new MethodCaches(this::function);
  /** Null unless the builder asked for {@link Builder#publishStats}. */
  private final StatsPublisher statsPublisher;

  private TierCache(Builder builder) {
    this.namespace = builder.namespace;
    this.backends = Collections.unmodifiableMap(new LinkedHashMap<>(builder.backends));
    this.codec = builder.codec;
    this.time = builder.time;
    this.keyHashing = builder.keyHashing;
    this.l2Timeout = builder.l2Timeout;
    this.keyEncoders = Map.copyOf(builder.keyEncoders);
    this.registry = new EngineRegistry(namespace, l2Timeout, time);
    this.settings = new CacheSettings(namespace, backends, this::resolveBackend, registry,
        new AsyncContext(builder.executor, new Scheduler(time)), codec, time, keyHashing, l2Timeout,
        keyEncoders);
    if (builder.coherence) {
      registry.startCoherence(allBackends(), namespace);
    }
    this.statsPublisher = builder.statsPeriod == null ? null : StatsPublisher.start(registry::cacheInfos,
        allBackends(), namespace, builder.statsProcessId, builder.statsPeriod, time);
  }

  /**
   * A builder with namespace {@code tiercache}, no backends and the default codec.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts building a cached function.
   *
   * @param <R> the function's result type
   * @param name the function's identity in L2 keys: stable across deploys and JVMs, unique in
   *     this {@code TierCache} among the functions not closed (letters, digits, {@code . _ -});
   *     building a second one of the same name fails with an {@link IllegalStateException} and
   *     leaves nothing behind; a closed async function's name can be built again
   * @param resultType the declared result type; L2 values are decoded into it and nothing else
   * @return a builder for the function's options
   */
  public <R> CachedFunctionBuilder<R> function(String name, Class<R> resultType) {
    return function(name, ValueType.of(resultType));
  }

  /**
   * Starts building a cached function with a generic result type, e.g.
   * {@code function("friends", new ValueType<List<User>>() {})}.
   *
   * @param <R> the function's result type
   * @param name the function's identity in L2 keys, as for {@link #function(String, Class)}
   * @param resultType the declared result type, with its type arguments
   * @return a builder for the function's options
   */
  public <R> CachedFunctionBuilder<R> function(String name, ValueType<R> resultType) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(resultType, "resultType");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("function name '" + name
          + "' must be non-empty and use only letters, digits, '.', '_' and '-'");
    }
    return new CachedFunctionBuilder<>(settings, name, resultType);
  }

  /**
   * Wraps {@code target} in a proxy of {@code type} whose {@link io.tiercache.annotation.Cached}
   * methods are cached in two layers; every other method goes straight to the target. An interface
   * gets a JDK proxy; a class gets a generated subclass (it needs a no-argument constructor and
   * public, non-final cached methods). Annotations and templates are checked now: a template that
   * names a parameter the method does not have fails here, with the method and the name.
   *
   * @param <T> the proxied type
   * @param type the interface or class to proxy
   * @param target the object the calls go to on a miss and for methods not cached
   * @return the caching proxy, an instance of {@code type}
   */
  public <T> T proxy(Class<T> type, T target) {
    return methods.proxy(type, target);
  }

  /**
   * The cached function behind a {@link io.tiercache.annotation.Cached} method, shared by all its
   * proxies: call {@code invalidate(receiver, args...)}, {@code invalidateTags(receiver, args...)},
   * {@code refresh(...)} or {@code cacheInfo()} on it. Its arguments are the receiver, then the
   * method's arguments.
   *
   * @param <R> the function's result type
   * @param type the class or interface that declares the annotated method
   * @param name the method's name
   * @param parameterTypes the method's parameter types, to pick among overloads
   * @return the cached function shared by the method's proxies
   * @throws IllegalArgumentException if there is no such public method or it is not annotated
   */
  @SuppressWarnings("unchecked")
  public <R> CachedFunctionN<R> method(Class<?> type, String name, Class<?>... parameterTypes) {
    java.lang.reflect.Method method;
    try {
      method = type.getMethod(name, parameterTypes);
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException("no public method " + type.getName() + "." + name
          + java.util.Arrays.toString(parameterTypes), e);
    }
    return (CachedFunctionN<R>) (CachedFunctionN<?>) methods.functionOf(method);
  }

  /**
   * The async cached function behind a {@link io.tiercache.annotation.Cached} method that returns a
   * {@link java.util.concurrent.CompletableFuture} or {@link java.util.concurrent.CompletionStage}:
   * call {@code invalidate(receiver, args...)}, {@code cacheInfo()} or {@code close()} on it.
   *
   * @param <R> the function's result type
   * @param type the class or interface that declares the annotated method
   * @param name the method's name
   * @param parameterTypes the method's parameter types, to pick among overloads
   * @return the async cached function shared by the method's proxies
   * @throws IllegalArgumentException if there is no such public method, it is not annotated, or it
   *     does not return a future
   */
  @SuppressWarnings("unchecked")
  public <R> AsyncCachedFunctionN<R> asyncMethod(Class<?> type, String name, Class<?>... parameterTypes) {
    java.lang.reflect.Method method;
    try {
      method = type.getMethod(name, parameterTypes);
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException("no public method " + type.getName() + "." + name
          + java.util.Arrays.toString(parameterTypes), e);
    }
    return (AsyncCachedFunctionN<R>) (AsyncCachedFunctionN<?>) methods.asyncFunctionOf(method);
  }

  /**
   * Every cached function of this {@code TierCache} that is not closed, in the order they were
   * built: those built with {@link #function}, and those behind {@link io.tiercache.annotation.Cached}
   * methods of {@link #proxy proxies} (the handles {@link #method} and {@link #asyncMethod} return).
   * For monitoring and administration: their names, {@link CacheHandle#stats() statistics} and
   * clearing. Cast to {@link AsyncCacheHandle} to close an async one.
   *
   * @return an unmodifiable snapshot; functions built or closed later do not change it
   */
  public List<CacheHandle> functions() {
    return registry.functions();
  }

  /**
   * The namespace every L2 key starts with.
   *
   * @return the L2 key namespace
   */
  public String namespace() {
    return namespace;
  }

  /**
   * The backends by alias, in the order they were added.
   *
   * @return an unmodifiable map from alias to backend
   */
  public Map<String, Backend> backends() {
    return backends;
  }

  /**
   * The backend a function uses when it names {@code alias}, or names none when {@code alias} is
   * null; null when it names none and there is no backend (an L1-only function).
   *
   * @param alias the backend alias a function names, or null for none
   * @return the backend, or null for an L1-only function
   * @throws IllegalArgumentException for an alias that was not configured
   */
  public Backend resolveBackend(String alias) {
    if (alias == null) {
      Backend chosen = backends.get(L2CACHE);
      return chosen != null ? chosen : backends.get(DEFAULT);
    }
    Backend backend = backends.get(alias);
    if (backend == null) {
      throw new IllegalArgumentException("no backend named '" + alias + "'; configured: "
          + backends.keySet());
    }
    return backend;
  }

  /**
   * Invalidates every entry tagged with any of {@code tags}, in every backend of this
   * {@code TierCache}, with one backend command per tag and backend, and drops them from the L1s of
   * this process at once.
   *
   * <p>A tag is plain text, any character ({@code "user:ann@example.com"}, {@code "Жук"},
   * {@code "50%"}): it names the same tag as that text in a tag template (each value written as its
   * own text), from a tags function or given as {@code tags("...")}; see {@code docs/tags.md}.
   *
   * @param tags the tags to invalidate, plain text
   * @return whether every backend took the invalidation (a failure is logged and counted)
   */
  public boolean invalidateTags(String... tags) {
    return invalidateTags(allBackends(), List.of(tags));
  }

  /**
   * Invalidates every entry under {@code prefix} (a function's {@code prefix(...)}, or the text a
   * prefix template renders with each value written as its own text), in every backend, with one
   * backend command per backend. A prefix is plain text, as a tag is (see
   * {@link #invalidateTags}).
   *
   * @param prefix the prefix to invalidate, plain text
   * @return whether every backend took the invalidation
   */
  public boolean invalidatePrefix(String prefix) {
    return invalidatePrefix(allBackends(), prefix);
  }

  /**
   * Removes the entry under a key from every backend and from this process's L1s. The key is the
   * entry's key after the namespace: an explicit key as a function's {@code key(...)} returns it
   * or a key template renders it ({@link KeyParts#join} builds that by hand), with its prefix:
   * {@code "<prefix>:<key>"}; or a default key, {@code "<function>:<arguments>"} as docs/functions.md's
   * Keys section writes it ({@code "quote:sA-42,n3"}). Escapes already written in the text ({@code %40}) are kept,
   * other characters outside the key alphabet are escaped ({@code "user:ann@example.com"}).
   * An L1 copy of a default-keyed entry is found by its L2 key hash where L1 indexes entries by
   * it (functions whose backend has an invalidation channel).
   *
   * @param key the entry's key after the namespace
   * @return whether an entry existed anywhere
   */
  public boolean invalidateKey(String key) {
    return invalidateKey(allBackends(), key);
  }

  /**
   * The same invalidations, on one named backend only.
   *
   * @param backendAlias the alias of the only backend the invalidations go to
   * @return the invalidations on that backend
   */
  public Invalidations on(String backendAlias) {
    List<Backend> one = List.of(resolveBackend(Objects.requireNonNull(backendAlias, "backendAlias")));
    return new Invalidations() {
      @Override
      public boolean invalidateTags(String... tags) {
        return TierCache.this.invalidateTags(one, List.of(tags));
      }

      @Override
      public boolean invalidatePrefix(String prefix) {
        return TierCache.this.invalidatePrefix(one, prefix);
      }

      @Override
      public boolean invalidateKey(String key) {
        return TierCache.this.invalidateKey(one, key);
      }
    };
  }

  /** Invalidations restricted to one backend; see {@link TierCache#on(String)}. */
  public interface Invalidations {
    /**
     * As {@link TierCache#invalidateTags(String...)}, on this backend.
     *
     * @param tags the tags to invalidate, plain text
     * @return whether the backend took the invalidation
     */
    boolean invalidateTags(String... tags);

    /**
     * As {@link TierCache#invalidatePrefix(String)}, on this backend.
     *
     * @param prefix the prefix to invalidate, plain text
     * @return whether the backend took the invalidation
     */
    boolean invalidatePrefix(String prefix);

    /**
     * As {@link TierCache#invalidateKey(String)}, on this backend.
     *
     * @param key the entry's key after the namespace
     * @return whether an entry existed there
     */
    boolean invalidateKey(String key);
  }

  private boolean invalidateTags(List<Backend> targets, List<String> tags) {
    Set<String> keys = new LinkedHashSet<>();
    for (String tag : tags) {
      keys.add(registry.tagKey(Objects.requireNonNull(tag, "tag")));
    }
    return registry.invalidateTagKeys(targets, keys);
  }

  private boolean invalidatePrefix(List<Backend> targets, String prefix) {
    return registry.invalidateTagKeys(targets, Set.of(registry.prefixKey(Objects.requireNonNull(prefix, "prefix"))));
  }

  private boolean invalidateKey(List<Backend> targets, String key) {
    return registry.invalidateL2Key(targets, registry.explicitKey(Objects.requireNonNull(key, "key")));
  }

  private List<Backend> allBackends() {
    Set<Backend> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
    distinct.addAll(backends.values());
    return List.copyOf(distinct);
  }

  /**
   * How this {@code TierCache}'s L1s are kept coherent with the other processes sharing its
   * backends: which backends offer a channel, the staleness bound, whether every channel delivers
   * now, and counts of messages and flushes.
   *
   * @return a snapshot of the coherence state and its counters
   */
  public CoherenceInfo coherence() {
    return registry.coherenceInfo();
  }

  /**
   * Leaves the backends' invalidation channels and stops publishing statistics (the backends
   * themselves are the application's to close). Cached functions keep working; what functions on a backend with a channel store in
   * L1 from then on lives at most the channel's staleness bound, since invalidations made
   * elsewhere no longer reach it. Idempotent. Close a {@code TierCache} you discard while its
   * backends live on: until then its channel subscriptions keep it reachable and receiving.
   */
  @Override
  public void close() {
    if (statsPublisher != null) {
      statsPublisher.close();
    }
    registry.stopCoherence();
  }

  @Override
  public String toString() {
    return "TierCache[namespace=" + namespace + ", backends=" + backends.keySet() + "]";
  }

  /** Configures a {@link TierCache}. */
  public static final class Builder {
    private String namespace = "tiercache";
    private final Map<String, Backend> backends = new LinkedHashMap<>();
    private Codec codec = JacksonCodec.create();
    private TimeSource time = TimeSource.system();
    private KeyHashing keyHashing = KeyHashing.XXH3_128;
    private Duration l2Timeout = Duration.ofMillis(100);
    private final Map<Class<?>, Function<Object, String>> keyEncoders = new LinkedHashMap<>();
    private Executor executor = ForkJoinPool.commonPool();
    private boolean coherence = true;
    private Duration statsPeriod;
    private String statsProcessId;

    private Builder() {}

    /**
     * Publishes every cached function's statistics ({@link CacheInfo}) to each backend every
     * {@code period} (at least 100 ms), under {@code <namespace>:#s:<pid>@<host>} with a TTL of three
     * periods, so that {@code tiercache stats} can show the hit ratios of every running process.
     * Off by default. One small write per backend and period; a failed write is skipped.
     *
     * @param period how often statistics are written; at least 100 ms
     * @return this builder, for chaining
     */
    public Builder publishStats(Duration period) {
      return publishStats(period, StatsPublisher.defaultProcessId());
    }

    /**
     * {@link #publishStats(Duration)} under a process id of your choice (1-100 letters, digits,
     * {@code . _ @ -}), e.g. the pod name: two {@code TierCache}s with the same namespace and id
     * overwrite each other's statistics.
     *
     * @param period how often statistics are written; at least 100 ms
     * @param processId the id the statistics are published under
     * @return this builder, for chaining
     */
    public Builder publishStats(Duration period, String processId) {
      this.statsPeriod = StatsPublisher.checkPeriod(period);
      this.statsProcessId = StatsPublisher.checkProcessId(processId);
      return this;
    }

    /**
     * Where async cached functions continue after an L2 read that did not answer at once (decoding,
     * then starting the function on a miss), so that none of it runs on a backend's I/O thread;
     * default {@link ForkJoinPool#commonPool()}.
     *
     * @param executor the executor async functions continue on
     * @return this builder, for chaining
     */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Whether invalidations made by this {@code TierCache} reach the L1s of the other processes
     * sharing a backend, and theirs reach this one's (default true), for every backend that offers
     * an invalidation channel. With false, a process serves its L1 copy of an entry invalidated
     * elsewhere until it expires or is evicted.
     *
     * @param coherence false to keep L1s from hearing of other processes' invalidations
     * @return this builder, for chaining
     */
    public Builder coherence(boolean coherence) {
      this.coherence = coherence;
      return this;
    }

    /**
     * The prefix of every L2 key, so one server can hold many applications' caches (letters,
     * digits, {@code . _ -}); default {@code tiercache}.
     *
     * @param namespace the prefix of every L2 key
     * @return this builder, for chaining
     */
    public Builder namespace(String namespace) {
      Objects.requireNonNull(namespace, "namespace");
      if (!NAME.matcher(namespace).matches()) {
        throw new IllegalArgumentException("namespace '" + namespace
            + "' must be non-empty and use only letters, digits, '.', '_' and '-'");
      }
      this.namespace = namespace;
      return this;
    }

    /**
     * Adds an L2 backend under {@code alias} (e.g. {@value TierCache#DEFAULT}, {@value TierCache#L2CACHE}).
     *
     * @param alias the name functions use to choose this backend
     * @param backend the L2 store
     * @return this builder, for chaining
     */
    public Builder backend(String alias, Backend backend) {
      Objects.requireNonNull(alias, "alias");
      Objects.requireNonNull(backend, "backend");
      if (backends.putIfAbsent(alias, backend) != null) {
        throw new IllegalArgumentException("backend alias '" + alias + "' is already configured");
      }
      return this;
    }

    /**
     * The codec for L2 values; default {@link JacksonCodec#create()}.
     *
     * @param codec the codec for L2 values of functions that choose none
     * @return this builder, for chaining
     */
    public Builder codec(Codec codec) {
      this.codec = Objects.requireNonNull(codec, "codec");
      return this;
    }

    /**
     * The clock for expiry; default the system's.
     *
     * @param time the clock expiry reads
     * @return this builder, for chaining
     */
    public Builder timeSource(TimeSource time) {
      this.time = Objects.requireNonNull(time, "time");
      return this;
    }

    /**
     * How L2 keys longer than 250 characters are shortened; default {@link KeyHashing#XXH3_128}.
     *
     * @param keyHashing the hash that shortens long L2 keys
     * @return this builder, for chaining
     */
    public Builder keyHashing(KeyHashing keyHashing) {
      this.keyHashing = Objects.requireNonNull(keyHashing, "keyHashing");
      return this;
    }

    /**
     * The longest a call waits for an L2 read or delete before it treats L2 as missing; default
     * 100 ms.
     *
     * @param l2Timeout the longest wait for L2; positive
     * @return this builder, for chaining
     */
    public Builder l2Timeout(Duration l2Timeout) {
      Objects.requireNonNull(l2Timeout, "l2Timeout");
      if (l2Timeout.isNegative() || l2Timeout.isZero()) {
        throw new IllegalArgumentException("l2Timeout must be positive, got " + l2Timeout);
      }
      this.l2Timeout = l2Timeout;
      return this;
    }

    /**
     * Teaches keys an argument type they do not know: {@code encoder} must return the same text
     * for equal values in every JVM, and different text for different values.
     *
     * @param <T> the argument type
     * @param type the argument type the encoder is for
     * @param encoder the function that writes a value of {@code type} as key text
     * @return this builder, for chaining
     */
    @SuppressWarnings("unchecked")
    public <T> Builder keyEncoder(Class<T> type, Function<? super T, String> encoder) {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(encoder, "encoder");
      keyEncoders.put(type, value -> Objects.requireNonNull(((Function<Object, String>) encoder).apply(value),
          () -> "key encoder for " + type.getName() + " returned null"));
      return this;
    }

    /**
     * Builds the {@link TierCache}.
     *
     * @return the new {@code TierCache}
     */
    public TierCache build() {
      return new TierCache(this);
    }
  }
}
