package io.tiercache.spring.boot.internal;

import io.tiercache.spring.boot.TierCacheConfigurationException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Prints a failed startup caused by a wrong {@code tiercache.*} property as the property and what
 * is wrong with it, instead of a stack trace (registered in {@code META-INF/spring.factories}).
 */
public final class TierCacheFailureAnalyzer
    extends AbstractFailureAnalyzer<TierCacheConfigurationException> {

  /** Boot creates it from {@code spring.factories}. */
  public TierCacheFailureAnalyzer() {}

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, TierCacheConfigurationException cause) {
    return new FailureAnalysis("Invalid tiercache configuration: " + cause.getMessage(),
        "Update the property '" + cause.property() + "' (see docs/spring-boot.md for every"
            + " tiercache.* property and its allowed values).", cause);
  }
}
