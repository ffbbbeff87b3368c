package io.tiercache.internal.proxy;

import io.tiercache.internal.engine.CachedFunctions;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.implementation.InvocationHandlerAdapter;
import net.bytebuddy.matcher.ElementMatchers;

/**
 * Makes the proxies: a JDK proxy for an interface, a ByteBuddy subclass for a class. Both forward
 * every call to the target, and {@code @Cached} calls through the method's cached function.
 */
final class Proxies {
  private Proxies() {}

  static <T> T create(Class<T> type, T target, MethodCaches caches) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(target, "target");
    if (!type.isInstance(target)) {
      throw new IllegalArgumentException("target " + target.getClass().getName() + " is not a " + type.getName());
    }
    List<Method> cached = caches.cachedMethods(type);
    Map<Method, CachedFunctions.ReceiverCall<Object>> byMethod = new HashMap<>();
    for (Method method : cached) {
      byMethod.put(method, caches.callOf(method));
    }
    InvocationHandler handler = new Handler(target, Map.copyOf(byMethod));
    if (type.isInterface()) {
      return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
    }
    return subclass(type, handler);
  }

  private static <T> T subclass(Class<T> type, InvocationHandler handler) {
    if (Modifier.isFinal(type.getModifiers())) {
      throw new IllegalArgumentException(type.getName()
          + " is final: a proxy cannot extend it; cache through an interface it implements");
    }
    try {
      Class<? extends T> proxyType = new ByteBuddy()
          .subclass(type)
          .method(ElementMatchers.isPublic().and(ElementMatchers.not(ElementMatchers.isFinal()))
              .and(ElementMatchers.not(ElementMatchers.isDeclaredBy(Object.class))))
          .intercept(InvocationHandlerAdapter.of(handler))
          .make()
          .load(type.getClassLoader())
          .getLoaded();
      return proxyType.getDeclaredConstructor().newInstance();
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException(type.getName()
          + " needs a no-argument constructor to be proxied (or cache through an interface)", e);
    } catch (ReflectiveOperationException e) {
      throw new IllegalArgumentException("cannot proxy " + type.getName() + ": " + e, e);
    }
  }

  /** Routes one proxy's calls: cached methods through their functions, the rest to the target. */
  private static final class Handler implements InvocationHandler {
    private final Object target;
    private static final Object[] NO_ARGS = {};
    private final Map<Method, CachedFunctions.ReceiverCall<Object>> functions;

    Handler(Object target, Map<Method, CachedFunctions.ReceiverCall<Object>> functions) {
      this.target = target;
      this.functions = functions;
    }

    /**
     * The routes learned so far, keyed by the very {@link Method} instances the proxy passes (a
     * proxy class keeps one per method), so a call finds its route by identity in a short scan
     * instead of hashing with {@code Method.equals}. Copied on write: a route is learned once.
     */
    private volatile Route[] routes = {};
    private static final int MAX_ROUTES = 64;

    /** Where calls of one method go: its cached function, or null for the target itself. */
    private record Route(Method method, CachedFunctions.ReceiverCall<Object> function) {}

    private CachedFunctions.ReceiverCall<Object> lookup(Method method) {
      Route[] known = routes;
      for (Route route : known) {
        if (route.method == method) {
          return route.function;
        }
      }
      return learn(method);
    }

    private synchronized CachedFunctions.ReceiverCall<Object> learn(Method method) {
      CachedFunctions.ReceiverCall<Object> function = functions.get(method);
      Route[] known = routes;
      for (Route route : known) {
        if (route.method == method) {
          return route.function;
        }
      }
      if (known.length >= MAX_ROUTES) {
        return function; // a proxy that passes a new Method per call: never grow without bound
      }
      Route[] grown = Arrays.copyOf(known, known.length + 1);
      grown[known.length] = new Route(method, function);
      routes = grown;
      return function;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) {
      CachedFunctions.ReceiverCall<Object> function = lookup(method);
      if (function == null) {
        return MethodCaches.invoke(method, target, args);
      }
      return function.callWithReceiver(target, args == null ? NO_ARGS : args);
    }
  }
}
