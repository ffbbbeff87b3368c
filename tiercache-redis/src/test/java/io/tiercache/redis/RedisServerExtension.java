package io.tiercache.redis;

import io.tiercache.testkit.RedisServerLauncher;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real redis-server for all the tests of a class, set up here once instead of in every test
 * class, so that a test class states only what it tests: the server ({@link RedisServerLauncher})
 * starts before the class's first test and is closed after its last; the database is emptied
 * ({@code FLUSHDB}) before each test, so that no test sees the keys of another; and the backends a
 * test opens are closed after it, whatever its outcome, so that none keeps connections or threads.
 *
 * <pre>{@code
 * @RegisterExtension static final RedisServerExtension redis = new RedisServerExtension();
 *
 * @Test void something() {
 *   RedisBackend backend = redis.closeAfterTest(RedisBackend.connect(redis.uri()));
 *   ...
 *   assertThat(redis.raw().sync().dbsize()).isEqualTo(1);
 * }
 * }</pre>
 *
 * <p>Register it on a {@code static} field: JUnit calls {@code beforeAll} and {@code afterAll} only
 * on extensions of static fields. Its {@code beforeAll} runs before the class's own
 * {@code @BeforeAll} methods, which can therefore configure the running server through
 * {@link #raw()} (users, passwords); its {@code beforeEach} runs before the class's
 * {@code @BeforeEach} methods, and its {@code afterEach} after the class's {@code @AfterEach}
 * methods, so a class that closes its own {@code TierCache}s there closes them before their
 * backends. A test may stop and restart the server through {@link #launcher()}: the
 * {@link #raw()} connection reconnects by itself, as Lettuce connections do.
 */
final class RedisServerExtension
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
  private final List<RedisBackend> toCloseAfterTest = new ArrayList<>();
  private RedisServerLauncher launcher;
  private RawRedis raw;

  @Override
  public void beforeAll(ExtensionContext context) {
    launcher = new RedisServerLauncher().start();
    raw = RawRedis.to(launcher.uri());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    try {
      if (raw != null) {
        raw.close();
      }
    } finally {
      if (launcher != null) {
        launcher.close();
      }
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    raw().sync().flushdb();
  }

  /**
   * Closes every backend given to {@link #closeAfterTest} during the test, in that order
   * ({@link RedisBackend#close()} logs a failure to close, it does not throw).
   */
  @Override
  public void afterEach(ExtensionContext context) {
    toCloseAfterTest.forEach(RedisBackend::close);
    toCloseAfterTest.clear();
  }

  /** Has {@code backend} closed after the current test, whatever its outcome; returns it. */
  RedisBackend closeAfterTest(RedisBackend backend) {
    toCloseAfterTest.add(backend);
    return backend;
  }

  /** {@code redis://127.0.0.1:N}. */
  String uri() {
    return launcher().uri();
  }

  /** {@code 127.0.0.1:N}. */
  String address() {
    return launcher().address();
  }

  /** The server itself: to stop, start or signal it. */
  RedisServerLauncher launcher() {
    if (launcher == null) {
      throw new IllegalStateException(
          "the redis-server is not started: register RedisServerExtension on a static field");
    }
    return launcher;
  }

  /** The tests' own connection to the server, open from before the first test to after the last. */
  RawRedis raw() {
    launcher(); // fails with the explanation when the server was never started
    return raw;
  }
}
