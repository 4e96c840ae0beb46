package dev.tracepipe.latency;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Static latency objectives per root operation, read from properties of the form
 * {@code tracepipe.alerts.slo.<service>.<operation>=<duration>}: the service ends at the first dot (quote it,
 * {@code tracepipe.alerts.slo."web.eu".GET /x=...}, when it holds dots), the operation is the rest of the key and may
 * be {@code *} for every operation of the service. Durations are a number with a unit: ns, us, ms, s, m or h.
 */
final class SloThresholds {

  static final String PREFIX = "tracepipe.alerts.slo.";
  private static final Pattern DURATION = Pattern.compile("\\s*(\\d+(?:\\.\\d+)?)\\s*(ns|us|ms|s|m|h)\\s*");

  private final Map<CallKey, Long> thresholds;

  private SloThresholds(Map<CallKey, Long> thresholds) {
    this.thresholds = Map.copyOf(thresholds);
  }

  static SloThresholds none() {
    return new SloThresholds(Map.of());
  }

  /** Reads every property under {@link #PREFIX}; anything malformed fails with the offending key. */
  static SloThresholds fromProperties(Map<String, String> properties) {
    Objects.requireNonNull(properties, "properties == null");
    Map<CallKey, Long> thresholds = new TreeMap<>();
    for (Map.Entry<String, String> e : properties.entrySet()) {
      if (e.getKey().startsWith(PREFIX)) {
        CallKey key = parseKey(e.getKey());
        thresholds.put(key, parseDuration(e.getKey(), e.getValue()).toNanos());
      }
    }
    return new SloThresholds(thresholds);
  }

  /** The threshold in nanoseconds for a root operation: an exact entry wins over the service's {@code *}. */
  Optional<Long> thresholdNanos(String service, String operation) {
    Long exact = thresholds.get(new CallKey(service, operation));
    return Optional.ofNullable(exact != null ? exact : thresholds.get(new CallKey(service, "*")));
  }

  Map<CallKey, Long> all() {
    return thresholds;
  }

  private static CallKey parseKey(String key) {
    String rest = key.substring(PREFIX.length());
    String service;
    String operation;
    if (rest.startsWith("\"")) {
      int close = rest.indexOf('"', 1);
      if (close < 0 || close + 1 >= rest.length() || rest.charAt(close + 1) != '.') {
        throw new IllegalArgumentException("SLO key with an unclosed quoted service or no operation: " + key);
      }
      service = rest.substring(1, close);
      operation = rest.substring(close + 2);
    } else {
      int dot = rest.indexOf('.');
      if (dot <= 0) {
        throw new IllegalArgumentException("SLO key needs <service>.<operation>: " + key);
      }
      service = rest.substring(0, dot);
      operation = rest.substring(dot + 1);
    }
    if (service.isEmpty() || operation.isEmpty()) {
      throw new IllegalArgumentException("SLO key has an empty service or operation: " + key);
    }
    return new CallKey(service, operation);
  }

  static Duration parseDuration(String key, String value) {
    Matcher m = DURATION.matcher(value == null ? "" : value);
    if (!m.matches()) {
      throw new IllegalArgumentException(key + ": duration must be a number with a unit (ns, us, ms, s, m, h): "
          + value);
    }
    double amount = Double.parseDouble(m.group(1));
    long nanosPerUnit = switch (m.group(2)) {
      case "ns" -> 1L;
      case "us" -> 1_000L;
      case "ms" -> 1_000_000L;
      case "s" -> 1_000_000_000L;
      case "m" -> 60_000_000_000L;
      default -> 3_600_000_000_000L;
    };
    Duration d = Duration.ofNanos(Math.round(amount * nanosPerUnit));
    if (d.isZero()) {
      throw new IllegalArgumentException(key + ": duration must be positive: " + value);
    }
    return d;
  }
}
