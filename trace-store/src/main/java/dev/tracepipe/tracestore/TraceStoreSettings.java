package dev.tracepipe.tracestore;

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

  public static final String RETENTION = "trace-store.retention";
  public static final String EXPIRY_INTERVAL = "trace-store.expiry.interval";
  public static final String AUTOCOMPLETE_KEYS = "trace-store.autocomplete.keys";
  public static final String MAX_VALUES_PER_KEY = "trace-store.autocomplete.max.values";
  public static final String MAX_CANDIDATES = "trace-store.search.max.candidates";
  public static final String QUERY_TIMEOUT = "trace-store.query.timeout";
  public static final String DEPENDENCIES_URL = "trace-store.dependencies.url";

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
    return new TraceStoreSettings(Duration.ofHours(24), Duration.ofMinutes(1),
        List.of("http.method", "http.route", "http.status_code", "error"), 500, 100_000, Duration.ofSeconds(10), "");
  }

  public static TraceStoreSettings from(TracepipeConfig config) {
    TraceStoreSettings d = defaults();
    return new TraceStoreSettings(
        config.duration(RETENTION, d.retention()),
        config.duration(EXPIRY_INTERVAL, d.expiryInterval()),
        config.find(AUTOCOMPLETE_KEYS).map(TraceStoreSettings::keys).orElse(d.autocompleteKeys()),
        config.integer(MAX_VALUES_PER_KEY, d.maxValuesPerKey()),
        config.integer(MAX_CANDIDATES, d.maxCandidates()),
        config.duration(QUERY_TIMEOUT, d.queryTimeout()),
        config.string(DEPENDENCIES_URL, d.dependenciesUrl()));
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
