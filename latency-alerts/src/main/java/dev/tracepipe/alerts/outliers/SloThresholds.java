package dev.tracepipe.alerts.outliers;

import dev.tracepipe.platform.Durations;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Static latency objectives per root operation, read from properties of the form
 * {@code alerts.slo.<service>.<operation>=<duration>}: the service ends at the first dot (quote it,
 * {@code alerts.slo."web.eu".GET /x=...}, when it holds dots), the operation is the rest of the key and may
 * be {@code *} for every operation of the service. Durations are a number with a unit: ns, us, ms, s, m or h.
 */
public final class SloThresholds {

  public static final String PREFIX = "alerts.slo.";
  /** Read, with a warning, for one release after the rename to {@link #PREFIX}. */
  public static final String FORMER_PREFIX = "tracepipe.alerts.slo.";
  private static final Logger LOG = LoggerFactory.getLogger(SloThresholds.class);

  private final Map<CallKey, Long> thresholds;

  private SloThresholds(Map<CallKey, Long> thresholds) {
    this.thresholds = Map.copyOf(thresholds);
  }

  static SloThresholds none() {
    return new SloThresholds(Map.of());
  }

  /**
   * Reads every property under {@link #PREFIX} (or the former prefix, with a warning); anything malformed fails with
   * the offending key.
   */
  public static SloThresholds fromProperties(Map<String, String> properties) {
    Objects.requireNonNull(properties, "properties == null");
    Map<CallKey, Long> thresholds = new TreeMap<>();
    for (Map.Entry<String, String> e : properties.entrySet()) {
      String prefix = e.getKey().startsWith(PREFIX) ? PREFIX
          : e.getKey().startsWith(FORMER_PREFIX) ? FORMER_PREFIX : null;
      if (prefix != null) {
        if (prefix == FORMER_PREFIX) {
          LOG.warn("configuration key {} is deprecated and will be ignored in the next release; use {}", e.getKey(),
              PREFIX + e.getKey().substring(FORMER_PREFIX.length()));
        }
        CallKey key = parseKey(e.getKey(), prefix);
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

  private static CallKey parseKey(String key, String prefix) {
    String rest = key.substring(prefix.length());
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

  public static Duration parseDuration(String key, String value) {
    Duration d;
    try {
      d = Durations.parse(value == null ? "" : value);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(key + ": duration must be a number with a unit (ns, us, ms, s, m, h): "
          + value, e);
    }
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(key + ": duration must be positive: " + value);
    }
    return d;
  }
}
