package io.tiercache.internal.proxy;

import io.tiercache.AsyncCachedFunctionN;
import io.tiercache.CacheHandle;
import io.tiercache.CachedFunctionBuilder;
import io.tiercache.CachedFunctionN;
import io.tiercache.L1Policy;
import io.tiercache.ValueType;
import io.tiercache.annotation.CacheDefaults;
import io.tiercache.annotation.Cached;
import io.tiercache.annotation.CallInfo;
import io.tiercache.annotation.KeyFunction;
import io.tiercache.annotation.TagsFunction;
import io.tiercache.annotation.TtlFunction;
import io.tiercache.internal.engine.CachedFunctions;
import io.tiercache.internal.engine.FunctionSpec;
import io.tiercache.internal.template.KeyTemplate;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.lang.reflect.UndeclaredThrowableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The cached functions of one {@code TierCache}'s annotated methods, one per method, shared by every
 * proxy of that method's type. A method's function takes the receiver first, then the method's
 * arguments; it is what {@code TierCache.method(...)} hands out for invalidation and refresh.
 *
 * <p>Since one function serves every receiver, its L1 key keeps receivers apart wherever the
 * entry's key reads them (see {@code receiverIdentity} and {@link Cached}'s "Receivers").
 */
public final class MethodCaches {
  private final FunctionFactory factory;
  private final Map<Method, CacheHandle> functions = new ConcurrentHashMap<>();

  /** The methods whose cached functions {@code factory} builds (a {@code TierCache}'s). */
  public MethodCaches(FunctionFactory factory) {
    this.factory = Objects.requireNonNull(factory, "factory");
  }

  /**
   * The cached function of {@code method}, built on first use from its {@link Cached} annotation.
   *
   * @throws IllegalArgumentException if the method is not annotated, its annotation is wrong (the
   *     message names the method and what is wrong), or it returns a future (see
   *     {@link #asyncFunctionOf})
   */
  public CachedFunctionN<Object> functionOf(Method method) {
    CacheHandle handle = handleOf(method);
    if (handle instanceof AsyncCachedFunctionN<?>) {
      throw new IllegalArgumentException(describe(method)
          + " returns a future: its cached function is async, get it with asyncMethod(...)");
    }
    @SuppressWarnings("unchecked")
    CachedFunctionN<Object> function = (CachedFunctionN<Object>) handle;
    return function;
  }

  /**
   * The async cached function of {@code method}, which returns a {@link CompletableFuture} or a
   * {@link CompletionStage}.
   *
   * @throws IllegalArgumentException as {@link #functionOf}, or if the method returns no future
   */
  public AsyncCachedFunctionN<Object> asyncFunctionOf(Method method) {
    CacheHandle handle = handleOf(method);
    if (!(handle instanceof AsyncCachedFunctionN<?>)) {
      throw new IllegalArgumentException(describe(method)
          + " does not return a CompletableFuture or CompletionStage: get it with method(...)");
    }
    @SuppressWarnings("unchecked")
    AsyncCachedFunctionN<Object> function = (AsyncCachedFunctionN<Object>) handle;
    return function;
  }

  /** How a proxy calls {@code method}: through its cached function, sync or async. */
  @SuppressWarnings("unchecked")
  CachedFunctions.ReceiverCall<Object> callOf(Method method) {
    return (CachedFunctions.ReceiverCall<Object>) handleOf(method);
  }

  private CacheHandle handleOf(Method method) {
    CacheHandle existing = functions.get(method);
    if (existing != null) {
      return existing;
    }
    synchronized (functions) {
      return functions.computeIfAbsent(method, this::build);
    }
  }

  /** Wraps {@code target} in a proxy whose {@link Cached} methods are served by their functions. */
  public <T> T proxy(Class<T> type, T target) {
    return Proxies.create(type, target, this);
  }

  /** The {@link Cached} methods of {@code type}, each checked and built. */
  List<Method> cachedMethods(Class<?> type) {
    List<Method> methods = new ArrayList<>();
    for (Method method : type.getMethods()) {
      if (method.isAnnotationPresent(Cached.class)) {
        if (Modifier.isFinal(method.getModifiers()) || Modifier.isStatic(method.getModifiers())) {
          throw new IllegalArgumentException(describe(method)
              + " is @Cached but final or static: a proxy cannot intercept it");
        }
        handleOf(method);
        methods.add(method);
      }
    }
    return methods;
  }

  private CacheHandle build(Method method) {
    Cached cached = method.getAnnotation(Cached.class);
    if (cached == null) {
      throw new IllegalArgumentException(describe(method) + " has no @Cached annotation");
    }
    if (method.getReturnType() == void.class) {
      throw new IllegalArgumentException(describe(method) + " is @Cached but returns void");
    }
    CacheDefaults defaults = method.getDeclaringClass().getAnnotation(CacheDefaults.class);
    String where = describe(method);
    Type futureValue = futureValueType(method);
    @SuppressWarnings("unchecked")
    CachedFunctionBuilder<Object> builder = factory.function(functionName(method, cached),
        (ValueType<Object>) ValueType.ofType(futureValue != null ? futureValue : method.getGenericReturnType()));

    long l1MaxSize = cached.l1MaxSize() != Cached.INHERIT ? cached.l1MaxSize()
        : defaults != null ? defaults.l1MaxSize() : Cached.INHERIT;
    if (l1MaxSize == Cached.UNBOUNDED) {
      builder.l1Unbounded();
    } else if (l1MaxSize != Cached.INHERIT) {
      builder.l1MaxSize(l1MaxSize);
    }
    L1Policy[] l1Policy = cached.l1Policy().length > 0 ? cached.l1Policy()
        : defaults != null ? defaults.l1Policy() : new L1Policy[0];
    if (l1Policy.length > 1) {
      throw new IllegalArgumentException(where + ": l1Policy takes at most one policy, got "
          + Arrays.toString(l1Policy));
    }
    if (l1Policy.length == 1) {
      builder.l1Policy(l1Policy[0]);
    }
    builder.cacheNulls(cached.cacheNulls()).typed(cached.typed());
    String backend = firstSet(cached.backend(), defaults == null ? "" : defaults.backend());
    if (cached.l1Only()) {
      builder.l1Only();
    } else if (!backend.isEmpty()) {
      builder.backend(backend);
    }

    Duration ttl = Durations.parse(firstSet(cached.ttl(), defaults == null ? "" : defaults.ttl()), where + " ttl");
    if (ttl != null) {
      builder.ttl(ttl);
    }
    Duration jitter = Durations.parse(firstSet(cached.jitter(), defaults == null ? "" : defaults.jitter()),
        where + " jitter");
    if (jitter != null) {
      builder.jitter(jitter);
    }
    String leaseText = firstSet(cached.lease(), defaults == null ? "" : defaults.lease());
    String leaseTtlText = firstSet(cached.leaseTtl(), defaults == null ? "" : defaults.leaseTtl());
    if (leaseText.trim().equalsIgnoreCase("none")) {
      if (!cached.leaseTtl().isEmpty()) {
        throw new IllegalArgumentException(where + ": leaseTtl '" + cached.leaseTtl()
            + "' given with lease \"none\"");
      }
    } else {
      Duration lease = Durations.parse(leaseText, where + " lease");
      Duration leaseTtl = Durations.parse(leaseTtlText, where + " leaseTtl");
      if (lease == null && leaseTtl != null) {
        throw new IllegalArgumentException(where + ": leaseTtl '" + leaseTtlText
            + "' needs a lease (the wait), e.g. lease = \"200ms\"");
      }
      if (lease != null) {
        try {
          if (leaseTtl == null) {
            builder.lease(lease);
          } else {
            builder.lease(lease, leaseTtl);
          }
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
      }
    }
    if (cached.ttlFunction() != TtlFunction.class) {
      TtlFunction ttlFunction = instantiate(cached.ttlFunction(), method);
      builder.ttl(args -> ttlFunction.ttl(call(method, args)));
    }

    int keyForms = (cached.key().isEmpty() ? 0 : 1) + (cached.keyParams().length == 0 ? 0 : 1)
        + (cached.keyFunction() == KeyFunction.class ? 0 : 1);
    if (keyForms > 1) {
      throw new IllegalArgumentException(where + ": give at most one of key, keyParams and keyFunction");
    }
    String prefix = firstSet(cached.prefix(), defaults == null ? "" : defaults.prefix());
    KeyTemplate prefixTemplate = prefix.isEmpty() ? null : KeyTemplate.parse(prefix, method);
    KeyTemplate keyTemplate = !cached.key().isEmpty() ? KeyTemplate.parse(cached.key(), method)
        : cached.keyParams().length > 0 ? KeyTemplate.ofParameterNames(List.of(cached.keyParams()), method)
        : null;
    List<KeyTemplate> tagTemplates = new ArrayList<>();
    if (defaults != null) {
      for (String tag : defaults.tags()) {
        tagTemplates.add(KeyTemplate.parse(tag, method));
      }
    }
    for (String tag : cached.tags()) {
      tagTemplates.add(KeyTemplate.parse(tag, method));
    }

    List<KeyTemplate> receiverReaders = new ArrayList<>();
    if (keyTemplate != null) {
      receiverReaders.add(keyTemplate);
    }
    if (prefixTemplate != null) {
      receiverReaders.add(prefixTemplate);
    }
    receiverReaders.addAll(tagTemplates);
    String instanceKey = firstSet(cached.instanceKey(), defaults == null ? "" : defaults.instanceKey());
    builder.instanceKey(Object.class, receiverIdentity(method, instanceKey,
        cached.keyFunction() == KeyFunction.class ? null : cached.keyFunction(), receiverReaders));

    if (prefixTemplate != null) {
      builder.prefix(textRendering(prefixTemplate)); // a prefix is plain text, as invalidatePrefix takes it
    }
    if (keyTemplate != null) {
      builder.key(rendering(keyTemplate));
    } else if (cached.keyFunction() != KeyFunction.class) {
      KeyFunction keyFunction = instantiate(cached.keyFunction(), method);
      builder.key(args -> keyFunction.key(call(method, args)));
    }

    if (!tagTemplates.isEmpty()) {
      builder.tags(args -> {
        Set<String> tags = new LinkedHashSet<>();
        Object[] params = params(args);
        for (KeyTemplate template : tagTemplates) {
          tags.add(template.renderText(args[0], params)); // a tag is plain text, as invalidateTags takes it
        }
        return tags;
      });
    }
    if (cached.tagsFunction() != TagsFunction.class) {
      TagsFunction tagsFunction = instantiate(cached.tagsFunction(), method);
      builder.resultTags((args, result) -> tagsFunction.tags(call(method, args), result));
    }

    int arity = method.getParameterCount() + 1;
    if (futureValue != null) {
      return builder.ofAsyncArgs(arity, args -> future(method, invoke(method, args[0], params(args))));
    }
    return builder.ofArgs(arity, args -> invoke(method, args[0], params(args)));
  }

  /**
   * The value type of a method that returns a {@link CompletableFuture} or {@link CompletionStage}
   * (its result is then cached asynchronously), or null for any other method.
   *
   * @throws IllegalArgumentException for a future of no declared value type, or another kind of
   *     stage (the proxy returns a {@code CompletableFuture}, which it could not be)
   */
  private static Type futureValueType(Method method) {
    Class<?> raw = method.getReturnType();
    if (raw != CompletableFuture.class && raw != CompletionStage.class) {
      if (CompletionStage.class.isAssignableFrom(raw)) {
        throw new IllegalArgumentException(describe(method) + " returns a " + raw.getName()
            + ": a cached async method must return CompletableFuture<T> or CompletionStage<T>");
      }
      return null;
    }
    Type generic = method.getGenericReturnType();
    if (generic instanceof ParameterizedType parameterized
        && !(parameterized.getActualTypeArguments()[0] instanceof WildcardType)
        && !(parameterized.getActualTypeArguments()[0] instanceof TypeVariable<?>)) {
      return parameterized.getActualTypeArguments()[0];
    }
    throw new IllegalArgumentException(describe(method) + " returns " + generic.getTypeName()
        + ": declare the value type, e.g. CompletableFuture<Book>, so L2 values can be decoded");
  }

  @SuppressWarnings("unchecked")
  private static CompletionStage<Object> future(Method method, Object returned) {
    if (returned == null) {
      throw new NullPointerException(describe(method) + " returned null instead of a future");
    }
    return (CompletionStage<Object>) returned;
  }

  private static Function<Object[], String> rendering(KeyTemplate template) {
    return args -> template.render(args[0], params(args));
  }

  /** The plain text a tag or prefix template names (see {@link KeyTemplate#renderText}). */
  private static Function<Object[], String> textRendering(KeyTemplate template) {
    return args -> template.renderText(args[0], params(args));
  }

  /** The method's arguments, without the receiver in front. */
  private static Object[] params(Object[] args) {
    return Arrays.copyOfRange(args, 1, args.length);
  }

  private static CallInfo call(Method method, Object[] args) {
    return new CallInfo(method, args[0], params(args));
  }

  /** Calls the target; its own exceptions go to the caller as they are. */
  static Object invoke(Method method, Object target, Object[] args) {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw MethodCaches.<RuntimeException>sneaky(e.getCause());
    } catch (IllegalAccessException e) {
      throw new UndeclaredThrowableException(e, "cannot call " + describe(method)
          + ": make the type and method public");
    }
  }

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> E sneaky(Throwable t) throws E {
    throw (E) t;
  }

  private static <T> T instantiate(Class<T> type, Method method) {
    try {
      return type.getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalArgumentException(describe(method) + ": cannot create " + type.getName()
          + "; it needs a public no-argument constructor", e);
    }
  }

  private String functionName(Method method, Cached cached) {
    if (!cached.name().isEmpty()) {
      return cached.name();
    }
    String name = method.getDeclaringClass().getSimpleName() + "." + method.getName();
    long overloads = Arrays.stream(method.getDeclaringClass().getMethods())
        .filter(m -> m.getName().equals(method.getName()) && m.isAnnotationPresent(Cached.class)).count();
    return overloads > 1 ? name + "-" + method.getParameterCount() : name;
  }

  /**
   * What identifies a receiver in the L1 key of {@code method}'s entries (issue 12, case 9): L1 must
   * keep two receivers apart wherever their L2 keys differ, or one receiver's value is served to
   * another from L1. The identity is the declared instance key followed by every {@code {this...}}
   * placeholder that {@code readers} (the key, prefix and tag templates) use and the instance key
   * does not, rendered as a template over the receiver alone; the placeholders are separated by
   * {@code :}, so the rendering is injective. With neither, or with a constant instance key such as
   * {@link Cached#SHARED_RECEIVERS}, receivers share entries ({@link FunctionSpec.InstanceKey#SHARED},
   * which keeps the hit path free of any rendering).
   *
   * @param declared the method's or the class's instance key template, or empty
   * @param keyFunction the method's key function, or null: it is given the whole receiver, and what
   *     it reads of it cannot be seen, so it needs a declared instance key
   * @throws IllegalArgumentException if the instance key reads parameters, or a key function comes
   *     without an instance key; the message names the method and the fix
   */
  private static Function<Object, ?> receiverIdentity(Method method, String declared,
      Class<? extends KeyFunction> keyFunction, List<KeyTemplate> readers) {
    String where = describe(method);
    Set<String> placeholders = new LinkedHashSet<>();
    StringBuilder identity = new StringBuilder();
    if (!declared.isEmpty()) {
      KeyTemplate template = KeyTemplate.parse(declared, method);
      if (!template.parameterNamesUsed().isEmpty()) {
        throw new IllegalArgumentException(where + ": instanceKey '" + declared
            + "' may use only {this...}, not parameters");
      }
      if (!template.isConstant()) {
        identity.append(declared);
        placeholders.addAll(template.receiverPlaceholders());
      }
    } else if (keyFunction != null) {
      throw new IllegalArgumentException(where + ": keyFunction " + keyFunction.getName()
          + " is given the receiver, and L1 cannot see what it reads of it; declare instanceKey with"
          + " what it reads, e.g. instanceKey = \"{this.tenant}\", or instanceKey ="
          + " Cached.SHARED_RECEIVERS if the key does not depend on the receiver");
    }
    for (KeyTemplate reader : readers) {
      for (String placeholder : reader.receiverPlaceholders()) {
        if (placeholders.add(placeholder)) {
          identity.append(identity.length() == 0 ? "" : ":").append(placeholder);
        }
      }
    }
    if (identity.length() == 0) {
      return FunctionSpec.InstanceKey.SHARED;
    }
    KeyTemplate template = KeyTemplate.parse(identity.toString(), method);
    Object[] noParams = new Object[method.getParameterCount()]; // the template reads only {this}
    return receiver -> template.render(receiver, noParams);
  }

  private static String firstSet(String own, String inherited) {
    return own.isEmpty() ? inherited : own;
  }

  static String describe(Method method) {
    StringBuilder sb = new StringBuilder(method.getDeclaringClass().getName()).append('.')
        .append(method.getName()).append('(');
    Class<?>[] types = method.getParameterTypes();
    for (int i = 0; i < types.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(types[i].getSimpleName());
    }
    return sb.append(')').toString();
  }

  /** Every function built so far, for tests and tools. */
  Collection<CacheHandle> functions() {
    return functions.values();
  }
}
