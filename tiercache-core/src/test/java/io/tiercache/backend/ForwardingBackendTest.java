package io.tiercache.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.coherence.InvalidationChannel;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * Every {@link Backend} method of a {@link ForwardingBackend}, the default ones included, reaches
 * the delegate once, with the very arguments it was given, and returns the delegate's very answer.
 */
class ForwardingBackendTest {
  private final Recorder delegate = new Recorder();
  private final Backend forwarding = new ForwardingBackend(delegate) {};

  /** A call the delegate received: the method and its arguments, as given. */
  record Call(String method, Object... args) {}

  /** Records each call and answers with stages and values made for this test, never computed. */
  static final class Recorder implements LeasingBackend {
    final List<Call> calls = new ArrayList<>();
    final CompletionStage<byte[]> getAnswer = CompletableFuture.completedFuture(new byte[] {7});
    final CompletionStage<Map<String, byte[]>> getManyAnswer =
        CompletableFuture.completedFuture(Map.of("a", new byte[] {1}));
    final CompletionStage<Void> setAnswer = new CompletableFuture<>();
    final CompletionStage<Void> setManyAnswer = new CompletableFuture<>();
    final CompletionStage<Boolean> deleteAnswer = CompletableFuture.completedFuture(true);
    final CompletionStage<Void> clearAnswer = new CompletableFuture<>();
    final Optional<InvalidationChannel> channel = Optional.of(new InvalidationChannel() {
      @Override
      public Subscription subscribe(Listener listener) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Duration stalenessBound() {
        return Duration.ofSeconds(3);
      }
    });

    @Override
    public CompletionStage<byte[]> get(String key) {
      return answer(getAnswer, "get", key);
    }

    @Override
    public CompletionStage<Map<String, byte[]>> getMany(Collection<String> keys) {
      return answer(getManyAnswer, "getMany", keys);
    }

    @Override
    public CompletionStage<Void> set(String key, byte[] value, Duration ttl) {
      return answer(setAnswer, "set", key, value, ttl);
    }

    @Override
    public CompletionStage<Void> setMany(Map<String, byte[]> entries, Duration ttl) {
      return answer(setManyAnswer, "setMany", entries, ttl);
    }

    @Override
    public CompletionStage<Boolean> delete(String key) {
      return answer(deleteAnswer, "delete", key);
    }

    @Override
    public CompletionStage<Void> clear() {
      return answer(clearAnswer, "clear");
    }

    @Override
    public Optional<InvalidationChannel> invalidationChannel(String namespace) {
      return answer(channel, "invalidationChannel", namespace);
    }

    @Override
    public String describe() {
      return answer("recorder(3 calls deep)", "describe");
    }

    /** Notes the call and returns {@code answer}. */
    private <T> T answer(T answer, String method, Object... args) {
      calls.add(new Call(method, args));
      return answer;
    }

    @Override
    public CompletionStage<Boolean> tryLease(String key, String token, Duration ttl) {
      throw new AssertionError("not forwarded");
    }

    @Override
    public CompletionStage<Boolean> releaseLease(String key, String token) {
      throw new AssertionError("not forwarded");
    }
  }

  /** The one call the delegate received, checked to be {@code method} with these very arguments. */
  private void assertOneCall(String method, Object... args) {
    assertThat(delegate.calls).hasSize(1);
    Call call = delegate.calls.get(0);
    assertThat(call.method()).isEqualTo(method);
    assertThat(call.args()).hasSameSizeAs(args);
    for (int i = 0; i < args.length; i++) {
      assertThat(call.args()[i]).as("argument %d of %s", i, method).isSameAs(args[i]);
    }
  }

  @Test
  void getForwardsTheKeyAndReturnsTheDelegatesStage() {
    String key = "ns:f:n1";

    assertThat(forwarding.get(key)).isSameAs(delegate.getAnswer);
    assertOneCall("get", key);
  }

  @Test
  void getManyIsOneGetManyOnTheDelegateNotOneGetPerKey() {
    List<String> keys = List.of("ns:f:n1", "ns:f:n2", "ns:f:n3");

    assertThat(forwarding.getMany(keys)).isSameAs(delegate.getManyAnswer);
    assertOneCall("getMany", keys);
  }

  @Test
  void setForwardsKeyValueAndTtlAndReturnsTheDelegatesStage() {
    byte[] value = {1, 2, 3};
    Duration ttl = Duration.ofSeconds(42);

    assertThat(forwarding.set("ns:f:n1", value, ttl)).isSameAs(delegate.setAnswer);
    assertOneCall("set", "ns:f:n1", value, ttl);
  }

  @Test
  void setManyIsOneSetManyOnTheDelegateNotOneSetPerEntry() {
    Map<String, byte[]> entries = Map.of("ns:f:n1", new byte[] {1}, "ns:f:n2", new byte[] {2});
    Duration ttl = Backend.NO_EXPIRY;

    assertThat(forwarding.setMany(entries, ttl)).isSameAs(delegate.setManyAnswer);
    assertOneCall("setMany", entries, ttl);
  }

  @Test
  void deleteForwardsTheKeyAndReturnsTheDelegatesStage() {
    assertThat(forwarding.delete("ns:f:n9")).isSameAs(delegate.deleteAnswer);
    assertOneCall("delete", "ns:f:n9");
  }

  @Test
  void clearReturnsTheDelegatesStage() {
    assertThat(forwarding.clear()).isSameAs(delegate.clearAnswer);
    assertOneCall("clear");
  }

  @Test
  void invalidationChannelIsTheDelegatesChannelForTheSameNamespace() {
    assertThat(forwarding.invalidationChannel("shop")).isSameAs(delegate.channel);
    assertOneCall("invalidationChannel", "shop");
  }

  @Test
  void describeIsTheDelegatesDescription() {
    assertThat(forwarding.describe()).isEqualTo("recorder(3 calls deep)");
    assertOneCall("describe");
  }

  @Test
  void aSubclassChangesWhatItOverridesAndEverythingElseStillReachesTheDelegate() {
    List<String> written = new ArrayList<>();
    Backend recording = new ForwardingBackend(delegate) {
      @Override
      public CompletionStage<Void> set(String key, byte[] value, Duration ttl) {
        written.add(key);
        return delegate().set(key, value, ttl);
      }
    };

    assertThat(recording.set("ns:f:n1", new byte[] {1}, Backend.NO_EXPIRY)).isSameAs(delegate.setAnswer);
    assertThat(recording.get("ns:f:n1")).isSameAs(delegate.getAnswer);
    assertThat(written).containsExactly("ns:f:n1");
    assertThat(delegate.calls).extracting(Call::method).containsExactly("set", "get");
  }

  @Test
  void forwardsEveryMethodOfBackendTheDefaultOnesIncluded() throws Exception {
    // Fails when Backend gains a method this class does not forward (a default one would otherwise
    // silently run on the decorator instead of reaching the delegate).
    for (Method method : Backend.class.getMethods()) {
      if (Modifier.isStatic(method.getModifiers())) {
        continue;
      }
      Method forwarded = ForwardingBackend.class.getDeclaredMethod(method.getName(), method.getParameterTypes());
      assertThat(forwarded.getDeclaringClass()).as(method.getName()).isEqualTo(ForwardingBackend.class);
    }
  }

  @Test
  void doesNotOfferLeasesEvenWhenTheDelegateDoes() {
    assertThat(delegate).isInstanceOf(LeasingBackend.class);
    assertThat(forwarding).isNotInstanceOf(LeasingBackend.class);
  }

  @Test
  void aNullDelegateIsRefusedWhenTheDecoratorIsMade() {
    assertThatThrownBy(() -> new ForwardingBackend(null) {})
        .isInstanceOf(NullPointerException.class)
        .hasMessage("delegate");
  }
}
