package io.tiercache.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Import;

/**
 * Makes tiercache's {@link io.tiercache.annotation.Cached} work on Spring beans: every bean whose
 * class or one of whose interfaces has {@code @Cached} methods is replaced by
 * {@code tierCache.proxy(type, bean)} ({@link CachedBeanPostProcessor}), with the one
 * {@link io.tiercache.TierCache} bean of the context. Put it on a {@code @Configuration} class.
 *
 * <p>This is independent of Spring's {@code @EnableCaching}, which serves {@code @Cacheable} through
 * a {@link TierCacheManager}; an application may use both.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Import(CachedBeanPostProcessor.Registrar.class)
public @interface EnableTierCache {}
