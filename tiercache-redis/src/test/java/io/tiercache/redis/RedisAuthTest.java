package io.tiercache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.CacheInfo;
import io.tiercache.CachedFunction1;
import io.tiercache.TierCache;
import io.tiercache.testkit.RedisServerLauncher;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Authentication through the URI against a redis-server that requires it: an ACL user with its
 * password, the default user's {@code requirepass} password, and wrong or missing credentials,
 * which are logged once as an error that names the problem, exposed by {@code health()}, and leave
 * every cached call working (computed).
 *
 * <p>The server is started without a password and given one with {@code CONFIG SET requirepass}
 * and {@code ACL SETUSER}: the testkit launcher's readiness probe sends an unauthenticated PING.
 */
class RedisAuthTest {
  private static final String DEFAULT_PASSWORD = "default-s3cret";
  private static final String APP_PASSWORD = "app-s3cret";

  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();

  /** Runs once the extension has started the server and opened its connection. */
  @BeforeAll
  static void requirePasswords() {
    redis.raw().sync().aclSetuser("app", io.lettuce.core.AclSetuserArgs.Builder.on()
        .addPassword(APP_PASSWORD).allKeys().allCommands());
    // the extension's connection, open from before, stays authenticated
    redis.raw().sync().configSet("requirepass", DEFAULT_PASSWORD);
  }

  private static String uri(String userInfo) {
    return "redis://" + userInfo + "@" + redis.address();
  }

  @Test
  void aclUserAndPasswordInTheUriAuthenticateAsThatUser() {
    try (RedisBackend a = RedisBackend.connect(uri("app:" + APP_PASSWORD));
        RedisBackend b = RedisBackend.connect(uri("app:" + APP_PASSWORD))) {
      assertThat(a.awaitUp(Duration.ofSeconds(10))).isTrue();
      assertThat(b.awaitUp(Duration.ofSeconds(10))).isTrue();
      assertThat(redis.raw().sync().clientList().lines()
          .filter(l -> l.contains(" name=tiercache ") && l.contains(" user=app ")).count())
          .isEqualTo(2);
      assertL2IsShared(a, b, "acl");
      assertThat(a.describe()).doesNotContain(APP_PASSWORD).doesNotContain("app:");
    }
  }

  @Test
  void thePasswordOfTheDefaultUserInTheUriWorks() {
    try (RedisBackend a = RedisBackend.connect(uri(":" + DEFAULT_PASSWORD));
        RedisBackend b = RedisBackend.connect(uri(":" + DEFAULT_PASSWORD))) {
      assertThat(a.awaitUp(Duration.ofSeconds(10))).isTrue();
      assertThat(b.awaitUp(Duration.ofSeconds(10))).isTrue();
      assertL2IsShared(a, b, "default-user");
    }
  }

  @Test
  void aWrongPasswordIsLoggedOnceAsAClearErrorIsExposedAndCallsStillComputeTheirValues() {
    try (LogCapture log = new LogCapture();
        RedisBackend backend = RedisBackend.connect(uri("app:not-the-password"))) {
      Eventually.waitFor("health AUTH_FAILED", Duration.ofSeconds(10),
          () -> backend.health().status() == RedisHealth.Status.AUTH_FAILED);
      RedisHealth health = backend.health();
      assertThat(health.message())
          .contains("Redis at " + redis.address() + " refused the credentials of its URI")
          .contains("WRONGPASS")
          .contains("check the user name and password")
          .doesNotContain("not-the-password");
      assertThat(health.lastError()).isNotNull();

      AtomicInteger computed = new AtomicInteger();
      CachedFunction1<Integer, String> f = TierCache.builder().namespace("auth")
          .backend(TierCache.DEFAULT, backend).build()
          .function("f", String.class).of((Integer x) -> {
            computed.incrementAndGet();
            return "value " + x;
          });
      for (int x = 1; x <= 3; x++) {
        assertThat(f.apply(x)).isEqualTo("value " + x);
        assertThat(f.apply(x)).isEqualTo("value " + x);
      }
      assertThat(computed).hasValue(3);
      assertThat(f.cacheInfo()).isEqualTo(new CacheInfo(3, 3, 0, 3, 128, 3));
      assertThat(f.l2ErrorCount()).as("reads and writes refused").isGreaterThanOrEqualTo(3);

      Eventually.sleep(Duration.ofMillis(500)); // several more attempts (50, 100, 200 ms ... apart)
      assertThat(log.linesContaining("ERROR", RedisBackend.class.getName() + " - ", "refused the credentials of its URI", "WRONGPASS"))
          .as("the credentials problem, logged once although retried:\n" + log.text())
          .isEqualTo(1);
      assertThat(log.text()).doesNotContain("not-the-password");
    }
  }

  /**
   * Refused, then unreachable, then refused again: the credentials problem is still the one already
   * reported, so it is not logged a second time (an unrelated failed attempt in between once made
   * it log twice); the outage in between is logged once as a warning.
   */
  @Test
  void aCredentialsProblemInterruptedByAnOutageIsNotLoggedAgain() {
    try (RedisServerLauncher server = RedisServerLauncher.builder()
            .extraArgs("--user", "app", "on", ">" + APP_PASSWORD, "~*", "&*", "+@all").build().start();
        LogCapture log = new LogCapture();
        RedisBackend backend = RedisBackend.connect(
            "redis://app:not-the-password@" + server.address())) {
      Eventually.waitFor("health AUTH_FAILED", Duration.ofSeconds(10),
          () -> backend.health().status() == RedisHealth.Status.AUTH_FAILED);
      server.stop();
      Eventually.waitFor("health UNREACHABLE", Duration.ofSeconds(10),
          () -> backend.health().status() == RedisHealth.Status.UNREACHABLE);
      server.start();
      Eventually.waitFor("health AUTH_FAILED again", Duration.ofSeconds(10),
          () -> backend.health().status() == RedisHealth.Status.AUTH_FAILED);

      String logger = RedisBackend.class.getName() + " - ";
      assertThat(log.linesContaining("ERROR", logger, "refused the credentials of its URI"))
          .as("the credentials problem, logged once:\n" + log.text()).isEqualTo(1);
      assertThat(log.linesContaining("WARN", logger, "cannot connect to Redis at " + server.address()))
          .as("the outage, logged once:\n" + log.text()).isEqualTo(1);
    }
  }

  @Test
  void noCredentialsForAServerThatRequiresThemIsReportedAsAnAuthenticationProblem() {
    try (RedisBackend backend = RedisBackend.connect("redis://" + redis.address())) {
      Eventually.waitFor("health AUTH_FAILED", Duration.ofSeconds(10),
          () -> backend.health().status() == RedisHealth.Status.AUTH_FAILED);
      assertThat(backend.health().message()).contains("NOAUTH");
      CachedFunction1<Integer, Integer> f = TierCache.builder().namespace("auth")
          .backend(TierCache.DEFAULT, backend).build()
          .function("g", Integer.class).of((Integer x) -> x * 2);
      assertThat(f.apply(21)).isEqualTo(42);
    }
  }

  private static void assertL2IsShared(RedisBackend a, RedisBackend b, String namespace) {
    AtomicInteger computed = new AtomicInteger();
    CachedFunction1<Integer, String> fa = TierCache.builder().namespace(namespace)
        .backend(TierCache.DEFAULT, a).build()
        .function("f", String.class).of((Integer x) -> {
          computed.incrementAndGet();
          return "value " + x;
        });
    CachedFunction1<Integer, String> fb = TierCache.builder().namespace(namespace)
        .backend(TierCache.DEFAULT, b).build()
        .function("f", String.class).of((Integer x) -> {
          computed.incrementAndGet();
          return "value " + x;
        });
    assertThat(fa.apply(1)).isEqualTo("value 1");
    Eventually.waitFor("entry written", Duration.ofSeconds(10),
        () -> redis.raw().sync().keys(namespace + ":f:*").size() == 1);
    assertThat(fb.apply(1)).isEqualTo("value 1");
    assertThat(fb.cacheInfo()).isEqualTo(new CacheInfo(0, 1, 1, 0, 128, 1));
    assertThat(computed).hasValue(1);
    assertThat(fa.l2ErrorCount() + fb.l2ErrorCount()).isZero();
  }
}
