package dev.tracepipe.tracestore;

import dev.tracepipe.platform.Setting;
import dev.tracepipe.platform.TracepipeConfig;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Tuning of the trace store stage.
 *
 * @param retention how long a trace stays after it was stored (or after its own timestamp, when that is earlier)
 * @param expiryInterval how often expired traces and names are deleted
 * @param autocompleteKeys tag keys whose values are kept for autocomplete ({@code /api/v2/autocompleteValues})
 * @param maxValuesPerKey cap on distinct remembered values of one autocomplete key, per partition
 * @param maxCandidates cap on index entries one search reads per instance before it stops
 * @param queryTimeout how long a query waits for another instance's answer
 * @param dependenciesUrl base URL of the dependency graph stage's API, which Lens's dependency page asks through
 *     this stage; empty when both stages share one HTTP server (the all-in-one launcher)
 */
public record TraceStoreSettings(Duration retention, Duration expiryInterval, List<String> autocompleteKeys,
    int maxValuesPerKey, int maxCandidates, Duration queryTimeout, String dependenciesUrl) {

  public static final Setting RETENTION = Setting.of("trace-store.retention", Duration.ofHours(24),
      "how long a trace stays after it was stored (or after its own timestamp, when that is earlier)");
  public static final Setting EXPIRY_INTERVAL = Setting.of("trace-store.expiry.interval", Duration.ofMinutes(1),
      "how often expired traces and names are deleted");
  public static final Setting AUTOCOMPLETE_KEYS = Setting.of("trace-store.autocomplete.keys",
      "http.method,http.route,http.status_code,error",
      "comma-separated tag keys whose values are kept for autocomplete (/api/v2/autocompleteValues)");
  public static final Setting MAX_VALUES_PER_KEY = Setting.of("trace-store.autocomplete.max.values", 500,
      "distinct remembered values of one autocomplete key, per partition; more are dropped and counted");
  public static final Setting MAX_CANDIDATES = Setting.of("trace-store.search.max.candidates", 100_000,
      "index entries one search reads per instance before it stops");
  public static final Setting QUERY_TIMEOUT = Setting.of("trace-store.query.timeout", Duration.ofSeconds(10),
      "how long a query waits for another instance's answer");
  public static final Setting DEPENDENCIES_URL = Setting.of("trace-store.dependencies.url", "",
      "base URL of the dependency graph stage's API, which Lens's dependency page asks through this stage; empty when"
          + " both stages share one HTTP server");
  /** Every key, in the order the configuration reference lists them. */
  public static final List<Setting> ALL = List.of(RETENTION, EXPIRY_INTERVAL, AUTOCOMPLETE_KEYS, MAX_VALUES_PER_KEY,
      MAX_CANDIDATES, QUERY_TIMEOUT, DEPENDENCIES_URL);

  public TraceStoreSettings {
    requirePositive(retention, "retention");
    requirePositive(expiryInterval, "expiryInterval");
    requirePositive(queryTimeout, "queryTimeout");
    autocompleteKeys = List.copyOf(Objects.requireNonNull(autocompleteKeys, "autocompleteKeys == null"));
    if (maxValuesPerKey < 1) throw new IllegalArgumentException("maxValuesPerKey < 1: " + maxValuesPerKey);
    if (maxCandidates < 1) throw new IllegalArgumentException("maxCandidates < 1: " + maxCandidates);
    dependenciesUrl = Objects.requireNonNull(dependenciesUrl, "dependenciesUrl == null").replaceAll("/+$", "");
  }

  public static TraceStoreSettings defaults() {
    return from(TracepipeConfig.load(null, java.util.Map.of()));
  }

  public static TraceStoreSettings from(TracepipeConfig config) {
    return new TraceStoreSettings(RETENTION.duration(config), EXPIRY_INTERVAL.duration(config),
        keys(AUTOCOMPLETE_KEYS.string(config)), MAX_VALUES_PER_KEY.integer(config), MAX_CANDIDATES.integer(config),
        QUERY_TIMEOUT.duration(config), DEPENDENCIES_URL.string(config));
  }

  /** Comma-separated tag keys; Zipkin keeps tag keys as sent, so only blanks are trimmed. */
  static List<String> keys(String text) {
    return Arrays.stream(text.split(",")).map(String::trim).filter(k -> !k.isEmpty())
        .distinct().toList();
  }

  private static void requirePositive(Duration value, String name) {
    Objects.requireNonNull(value, name + " == null");
    if (value.isNegative() || value.isZero()) throw new IllegalArgumentException(name + " <= 0: " + value);
  }
}
