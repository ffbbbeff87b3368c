package io.tiercache.testkit;

import io.tiercache.backend.*;

import io.tiercache.ManualTimeSource;
import io.tiercache.testkit.LeaseSuite;
import java.time.Duration;

/** The lease suite on {@link InMemoryBackend}, on a manual clock: every "process" shares the store. */
class InMemoryLeaseTest extends LeaseSuite {
  private final ManualTimeSource clock = new ManualTimeSource();
  private InMemoryBackend store;

  @Override
  protected LeasingBackend createBackend() {
    if (store == null) {
      store = InMemoryBackend.builder().timeSource(clock).build();
    }
    return store; // one store, as processes share one server
  }

  @Override
  protected void advanceTime(Duration duration) {
    clock.advance(duration);
  }
}
