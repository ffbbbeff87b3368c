package io.tiercache.spring;

import io.tiercache.TierCache;
import io.tiercache.annotation.Cached;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.util.ClassUtils;

/**
 * Replaces each bean that has {@link Cached} methods by a caching proxy of
 * {@link TierCache#proxy(Class, Object)}, after the bean is initialised. Which type is proxied:
 *
 * <ul>
 *   <li>the bean's class, when its own public methods carry {@code @Cached}: a generated subclass
 *       (the class needs a no-argument constructor and public, non-final cached methods; calls go
 *       to the bean itself, so its constructor-injected fields are the bean's). The proxy is an
 *       instance of the class, so injection by class keeps working;</li>
 *   <li>otherwise the one interface of the bean whose methods carry {@code @Cached}: a JDK proxy of
 *       that interface only, so inject the bean by that interface (as with Spring's own JDK
 *       proxies). Two such interfaces fail at startup, naming both.</li>
 * </ul>
 *
 * <p>A bean with no {@code @Cached} method is left as it is. A bean that cannot be proxied (a final
 * class, no no-argument constructor, a final or static cached method) fails its creation with the
 * bean's name and tiercache's reason.
 */
public final class CachedBeanPostProcessor implements BeanPostProcessor {
  private final ObjectProvider<TierCache> tierCache;

  /**
   * A post-processor that proxies with the {@code TierCache} the provider gives, asked only when a
   * bean with {@code @Cached} methods appears.
   *
   * @param tierCache gives the {@code TierCache} that caches the methods
   */
  public CachedBeanPostProcessor(ObjectProvider<TierCache> tierCache) {
    this.tierCache = Objects.requireNonNull(tierCache, "tierCache");
  }

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
    if (bean instanceof TierCache) {
      return bean;
    }
    Class<?> type;
    try {
      type = proxiedType(ClassUtils.getUserClass(bean));
    } catch (IllegalArgumentException e) {
      throw new BeanCreationException(beanName, e.getMessage(), e);
    }
    if (type == null) {
      return bean;
    }
    try {
      return tierCache.getObject().proxy((Class) type, bean);
    } catch (IllegalArgumentException e) {
      throw new BeanCreationException(beanName, "cannot cache the @Cached methods of " + type.getName()
          + ": " + e.getMessage(), e);
    }
  }

  /** The class or interface to proxy, or null if nothing is {@code @Cached}. */
  static Class<?> proxiedType(Class<?> beanClass) {
    if (hasCachedMethod(beanClass)) {
      return beanClass;
    }
    List<Class<?>> annotated = new ArrayList<>();
    for (Class<?> type : ClassUtils.getAllInterfacesForClassAsSet(beanClass)) {
      if (hasCachedMethod(type)) {
        annotated.add(type);
      }
    }
    if (annotated.size() > 1) {
      throw new IllegalArgumentException(beanClass.getName() + " has @Cached methods in several interfaces "
          + annotated.stream().map(Class::getName).toList() + ": a proxy serves one; put @Cached on the "
          + "class's own methods (a class proxy) or on one interface");
    }
    return annotated.isEmpty() ? null : annotated.get(0);
  }

  private static boolean hasCachedMethod(Class<?> type) {
    for (Method method : type.getMethods()) {
      if (method.isAnnotationPresent(Cached.class)) {
        return true;
      }
    }
    return false;
  }

  /** What {@link EnableTierCache} imports: the post-processor, as an infrastructure bean. */
  @Configuration(proxyBeanMethods = false)
  @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
  static class Registrar {
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static CachedBeanPostProcessor tierCacheCachedBeanPostProcessor(ObjectProvider<TierCache> tierCache) {
      return new CachedBeanPostProcessor(tierCache);
    }
  }
}
