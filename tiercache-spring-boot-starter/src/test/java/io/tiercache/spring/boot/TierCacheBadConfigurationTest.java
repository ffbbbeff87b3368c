package io.tiercache.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.spring.boot.internal.TierCacheFailureAnalyzer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.NestedExceptionUtils;

/**
 * Each wrong {@code tiercache.*} configuration fails startup with a message that names the
 * property; the failure analyzer prints it with what to do.
 */
class TierCacheBadConfigurationTest {
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(TierCacheAutoConfiguration.class));

  static Stream<Arguments> wrongConfigurations() {
    return Stream.of(
        Arguments.of(new String[] {"tiercache.backends.main.redis.uri=redis://127.0.0.1:1",
            "tiercache.backends.main.embedded.enabled=true"},
            "tiercache.backends.main: set only one of embedded, redis and memcached, not embedded and redis"),
        Arguments.of(new String[] {"tiercache.caches.users.backend=nope"},
            "tiercache.caches.users.backend: no backend named 'nope'; configured: [default]"),
        Arguments.of(new String[] {"tiercache.backends.main.redis.uri=http://user:pw@127.0.0.1:1"},
            "tiercache.backends.main.redis.uri: not a Redis URI: it must start with redis://, rediss:// or redis-sentinel://"),
        Arguments.of(new String[] {"tiercache.backends.main.redis.uri=redis://127.0.0.1:1",
            "tiercache.backends.main.redis.cluster.nodes=127.0.0.1:2"},
            "tiercache.backends.main.redis: set only one of uri, cluster.nodes and sentinel.nodes"),
        Arguments.of(new String[] {"tiercache.backends.main.redis.cluster.nodes=127.0.0.1:2,nohost"},
            "tiercache.backends.main.redis.cluster.nodes[1]: not host:port: 'nohost'"),
        Arguments.of(new String[] {"tiercache.backends.main.redis.sentinel.nodes=127.0.0.1:26379"},
            "tiercache.backends.main.redis.sentinel.master: name the master the Sentinels monitor"),
        Arguments.of(new String[] {"tiercache.backends.main.redis.uri=redis://127.0.0.1:1",
            "tiercache.backends.main.redis.command-timeout=-5ms"},
            "tiercache.backends.main.redis.command-timeout: must be positive, got PT-0.005S"),
        Arguments.of(new String[] {"tiercache.backends.main.redis.uri=redis://127.0.0.1:1",
            "tiercache.backends.main.redis.ssl.ca-certificate=/no/such/ca.pem"},
            "tiercache.backends.main.redis.ssl.ca-certificate: trusted certificates file is not readable: /no/such/ca.pem"),
        Arguments.of(new String[] {"tiercache.backends.main.redis.uri=rediss://127.0.0.1:1",
            "tiercache.backends.main.redis.ssl.bundle=nope"},
            "tiercache.backends.main.redis.ssl.bundle: no SSL bundles are configured (spring.ssl.bundle.*)"),
        Arguments.of(new String[] {"tiercache.backends.mc.memcached.servers="},
            "tiercache.backends.mc.memcached.servers: list at least one server"),
        Arguments.of(new String[] {"tiercache.coherence.heartbeat=-1s"},
            "tiercache.coherence.heartbeat: must be positive, got PT-1S"),
        Arguments.of(new String[] {"tiercache.backends.main.redis.uri=redis://127.0.0.1:1",
            "tiercache.coherence.heartbeat=5ms"},
            "tiercache.coherence.heartbeat: invalidationHeartbeat must be at least 10 ms, got PT0.005S"),
        Arguments.of(new String[] {"tiercache.l2-timeout=0s"},
            "tiercache.l2-timeout: must be positive, got PT0S"),
        Arguments.of(new String[] {"tiercache.namespace=my shop"},
            "tiercache.namespace: namespace 'my shop' must be non-empty and use only letters, digits, '.', '_' and '-'"),
        Arguments.of(new String[] {"tiercache.backends.x.embedded.max-entries=0"},
            "tiercache.backends.x.embedded.max-entries: maxEntries must be positive, got 0"),
        Arguments.of(new String[] {"tiercache.caches.users.ttl=-1s"},
            "tiercache.caches.users.ttl: must be positive, got PT-1S"),
        Arguments.of(new String[] {"tiercache.caches.users.jitter=5s"},
            "tiercache.caches.users.jitter: needs tiercache.caches.users.ttl"),
        Arguments.of(new String[] {"tiercache.caches.users.l1-max-size=-1"},
            "tiercache.caches.users.l1-max-size: must be >= 0 (0 = no L1), got -1"),
        Arguments.of(new String[] {"tiercache.caches.users.lease.max-wait=2s",
            "tiercache.caches.users.lease.ttl=1s"},
            "tiercache.caches.users.lease.ttl: must be at least tiercache.caches.users.lease.max-wait (PT2S), got PT1S"),
        Arguments.of(new String[] {"tiercache.caches.users.lease.ttl=1s"},
            "tiercache.caches.users.lease.max-wait: set how long a process waits for the leader's result"));
  }

  @ParameterizedTest
  @MethodSource("wrongConfigurations")
  void startupFailsNamingTheProperty(String[] properties, String message) {
    runner.withPropertyValues(properties).run(context -> {
      assertThat(context).hasFailed();
      Throwable root = NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure());
      assertThat(root).isInstanceOf(TierCacheConfigurationException.class).hasMessage(message);
    });
  }

  @Test
  void theFailureAnalyzerPrintsThePropertyAndWhatToDo() {
    runner.withPropertyValues("tiercache.caches.users.backend=nope").run(context -> {
      FailureAnalysis analysis = new TierCacheFailureAnalyzer().analyze(context.getStartupFailure());
      assertThat(analysis.getDescription()).isEqualTo("Invalid tiercache configuration:"
          + " tiercache.caches.users.backend: no backend named 'nope'; configured: [default]");
      assertThat(analysis.getAction()).isEqualTo("Update the property 'tiercache.caches.users.backend'"
          + " (see docs/spring-boot.md for every tiercache.* property and its allowed values).");
    });
  }

  @Test
  void aMisspelledPropertyFailsInBootsBindingNamingIt() {
    runner.withPropertyValues("tiercache.backends.main.redsi.uri=redis://127.0.0.1:1").run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause()
          .hasMessage("The elements [tiercache.backends.main.redsi.uri] were left unbound.");
    });
  }

  @Test
  void aDurationThatIsNoDurationFailsInBootsBindingNamingTheProperty() {
    runner.withPropertyValues("tiercache.caches.users.ttl=soon").run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause()
          .hasMessageContaining("'soon' is not a valid duration");
      assertThat(context.getStartupFailure()).hasMessageContaining("tiercache");
    });
  }
}
