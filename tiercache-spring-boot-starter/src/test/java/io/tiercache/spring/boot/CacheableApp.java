package io.tiercache.spring.boot;

import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/**
 * A Spring Boot application as a team has it before tiercache: {@code @EnableCaching} and a
 * service with {@code @Cacheable} and {@code @CacheEvict}, nothing of tiercache's but the starter
 * and its properties. Results name the application ({@code demo.tag}) and count its computations.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
@EnableCaching
@Import(CacheableApp.Greetings.class)
public class CacheableApp {

  /** The cached service. */
  public static class Greetings {
    private final AtomicInteger computed = new AtomicInteger();
    private final String tag;

    public Greetings(Environment environment) {
      this.tag = environment.getProperty("demo.tag", "A");
    }

    @Cacheable("greetings")
    public String greet(String name) {
      return name + "@" + tag + computed.incrementAndGet();
    }

    @CacheEvict("greetings")
    public void forget(String name) {
      // the annotation does the work
    }
  }
}
