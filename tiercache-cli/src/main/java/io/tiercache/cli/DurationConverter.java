package io.tiercache.cli;

import java.time.Duration;
import picocli.CommandLine.ITypeConverter;

/** Picocli's converter for {@link Durations#parse}. */
final class DurationConverter implements ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    return Durations.parse(value);
  }
}
