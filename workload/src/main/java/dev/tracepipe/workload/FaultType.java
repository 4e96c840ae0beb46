package dev.tracepipe.workload;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The kinds of trouble the simulated system can be put into; each is aimed at one service. */
public enum FaultType {
  /** One host of the service does its own work about ten times slower (a noisy neighbour, a bad disk). */
  SLOW_HOST,
  /** Every host running the service's new version does its own work about four times slower. */
  SLOW_RELEASE,
  /** Each operation skips its last call into the service, e.g. checkout's second call from frontend to auth. */
  MISSING_CALL,
  /** Most calls into the service fail fast with an error, and callers often fail in turn. */
  FAILING_DEPENDENCY;

  /** The name used on the command line, e.g. {@code slow-host}. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Parses {@code slow-host}, {@code SLOW_HOST} or {@code slow_host}. */
  public static FaultType parse(String text) {
    String normalized = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    try {
      return valueOf(normalized);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown fault type '" + text + "', expected one of "
          + Arrays.stream(values()).map(FaultType::cliName).collect(Collectors.joining(", ")), e);
    }
  }
}
