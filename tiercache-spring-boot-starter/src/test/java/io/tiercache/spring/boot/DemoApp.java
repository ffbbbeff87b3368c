package io.tiercache.spring.boot;

import io.tiercache.CachedFunction1;
import io.tiercache.TierCache;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Spring Boot web application with the starter and Actuator, as the tests run it in their own
 * process and in a second one: {@code GET /greet/{name}} and {@code GET /shelf/{name}} call cached
 * functions whose results name the process ({@code demo.tag}) and count its computations.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
@Import(DemoApp.Calls.class)
public class DemoApp {

  /** Started as a second process: prints {@code PORT=n}, runs until its standard input closes. */
  public static void main(String[] args) throws IOException {
    ConfigurableApplicationContext context = SpringApplication.run(DemoApp.class, args);
    System.out.println("PORT=" + context.getEnvironment().getProperty("local.server.port"));
    System.out.flush();
    while (System.in.read() >= 0) {
      // runs until the test closes our standard input
    }
    context.close();
  }

  @RestController
  static class Calls {
    private final AtomicInteger computed = new AtomicInteger();
    private final CachedFunction1<String, String> greet;
    private final CachedFunction1<String, String> shelf;

    Calls(TierCache cache, TierCacheCacheOverrides overrides, Environment environment) {
      String tag = environment.getProperty("demo.tag", "A");
      greet = overrides.apply("greet", cache.function("greet", String.class))
          .of(name -> name + "@" + tag + computed.incrementAndGet());
      shelf = overrides.apply("shelf", cache.function("shelf", String.class).prefix("shelf")
          .tags("catalog")).of(name -> name + "@" + tag + computed.incrementAndGet());
    }

    @GetMapping("/greet/{name}")
    String greet(@PathVariable String name) {
      return greet.apply(name);
    }

    @GetMapping("/shelf/{name}")
    String shelf(@PathVariable String name) {
      return shelf.apply(name);
    }
  }
}
