package io.tiercache.proxy;

import io.tiercache.CachedFunctionN;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
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
    Map<Method, CachedFunctionN<Object>> byMethod = new HashMap<>();
    for (Method method : cached) {
      byMethod.put(method, caches.functionOf(method));
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
    private final Map<Method, CachedFunctionN<Object>> functions;

    Handler(Object target, Map<Method, CachedFunctionN<Object>> functions) {
      this.target = target;
      this.functions = functions;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) {
      CachedFunctionN<Object> function = functions.get(method);
      int n = args == null ? 0 : args.length;
      if (function == null) {
        return MethodCaches.invoke(method, target, args);
      }
      Object[] withReceiver = new Object[n + 1];
      withReceiver[0] = target;
      if (n > 0) {
        System.arraycopy(args, 0, withReceiver, 1, n);
      }
      return function.apply(withReceiver);
    }
  }
}
