package dev.tracepipe.latency;

import dev.tracepipe.avro.LatencySummary;
import dev.tracepipe.avro.SpanKind;
import dev.tracepipe.platform.Durations;
import dev.tracepipe.platform.InstanceQueries;
import dev.tracepipe.platform.http.HttpApi;
import dev.tracepipe.platform.http.HttpException;
import dev.tracepipe.platform.http.HttpRequest;
import dev.tracepipe.platform.http.HttpResponse;
import dev.tracepipe.platform.time.OpenWindows;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * {@code GET /api/latency?service=&operation=&kind=&window=&endTs=&lookback=[&dim.NAME=VALUE]}: the windows of one
 * operation from the instance that owns it, asked at {@link #INTERNAL_PATH} when that is another instance.
 */
final class LatencyQueries {

  /** Where the owner of an operation is asked for its windows. */
  static final String INTERNAL_PATH = "/internal/latency-alerts/latency";
  private static final String DIM_PREFIX = "dim.";

  private final KafkaStreams streams;
  private final Map<String, Duration> levels = new LinkedHashMap<>();
  private final InstanceQueries instances;

  LatencyQueries(KafkaStreams streams, LatencySettings settings, InstanceQueries instances) {
    this.streams = streams;
    this.instances = instances;
    settings.levels().forEach(level -> levels.put(LatencySettings.label(level), level));
  }

  void register(HttpApi http) {
    http.get("/api/latency", this::handle);
    http.get(INTERNAL_PATH, request -> HttpResponse.json(200, local(parse(request))));
  }

  /** One query's parameters, its end time fixed once so that the owner answers for the range the caller meant. */
  private record Query(String service, String operation, SpanKind kind, String label, Duration level, long endTs,
      Duration lookback, Map<String, String> filter) {
    String key() {
      return new OperationKey(service, operation, kind).encode();
    }

    String store() {
      return LatencyTopology.windowStore(level);
    }
  }

  private Query parse(HttpRequest request) {
    String service = required(request, "service");
    String operation = required(request, "operation");
    SpanKind kind = parseKind(request.query("kind").orElse("SERVER"));
    String label = request.query("window").orElse(levels.keySet().iterator().next());
    Duration level = levels.get(label);
    if (level == null) {
      throw new HttpException(400, "window must be one of " + levels.keySet() + ": " + label);
    }
    // A request without endTs asks about now: the one place this stage reads the wall clock outside punctuation.
    long endTs = request.query("endTs").map(v -> parseLong("endTs", v)).orElseGet(System::currentTimeMillis);
    Duration lookback = request.query("lookback").map(v -> parseDuration("lookback", v)).orElse(Duration.ofHours(1));
    Map<String, String> filter = new TreeMap<>();
    request.queryParams().forEach((k, v) -> {
      if (k.startsWith(DIM_PREFIX)) {
        filter.put(k.substring(DIM_PREFIX.length()), v);
      }
    });
    return new Query(service, operation, kind, label, level, endTs, lookback, filter);
  }

  private HttpResponse handle(HttpRequest request) throws Exception {
    Query q = parse(request);
    String remote = PinnedQuery.of(INTERNAL_PATH, request, q.endTs());
    byte[] body = instances.askOwner(q.store(), q.key(), Serdes.String().serializer(), remote,
            () -> Optional.of(HttpApi.JSON.writeValueAsBytes(local(q))))
        .orElseThrow(() -> new HttpException(503, "the owner of " + q.key() + " did not answer; retry"));
    return HttpResponse.of(200, HttpResponse.JSON_TYPE, body);
  }

  private Map<String, Object> local(Query q) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("service", q.service());
    body.put("operation", q.operation());
    body.put("kind", q.kind().name());
    body.put("window", q.label());
    body.put("dimensions", q.filter());
    body.put("points", points(q.store(), q.key(), q.level(), q.endTs() - q.lookback().toMillis(), q.endTs(),
        q.filter()));
    return body;
  }

  private List<Map<String, Object>> points(String storeName, String key, Duration level, long from, long to,
      Map<String, String> filter) {
    ReadOnlyWindowStore<String, LatencyAccumulator> store;
    try {
      store = streams.store(StoreQueryParameters.fromNameAndType(storeName, QueryableStoreTypes.windowStore()));
    } catch (InvalidStateStoreException e) {
      throw new HttpException(503, "store " + storeName + " is not queryable right now (" + e.getMessage() + ")");
    }
    ReadOnlyKeyValueStore<Bytes, byte[]> open = openWindows(LatencyTopology.openWindowsStore(level));
    byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
    List<Map<String, Object>> points = new ArrayList<>();
    try (WindowStoreIterator<LatencyAccumulator> it = store.fetch(key, Instant.ofEpochMilli(from - level.toMillis()),
        Instant.ofEpochMilli(to))) {
      while (it.hasNext()) {
        var entry = it.next();
        long start = entry.key;
        long end = start + level.toMillis();
        if (end <= from || start >= to) {
          continue;
        }
        boolean partial = OpenWindows.isOpen(open, keyBytes, start);
        if (filter.isEmpty()) {
          points.add(point(start, end, Map.of(), entry.value.total(), partial));
        } else {
          entry.value.byDimensions().forEach((dims, cell) -> {
            if (dims.entrySet().containsAll(filter.entrySet())) {
              points.add(point(start, end, dims, cell, partial));
            }
          });
        }
      }
    }
    return points;
  }

  /** The open windows of a level: a window found there is still collecting spans. */
  static ReadOnlyKeyValueStore<Bytes, byte[]> openWindowsOf(KafkaStreams streams, String storeName) {
    try {
      return streams.store(StoreQueryParameters.fromNameAndType(storeName, QueryableStoreTypes.keyValueStore()));
    } catch (InvalidStateStoreException e) {
      throw new HttpException(503, "store " + storeName + " is not queryable right now (" + e.getMessage() + ")");
    }
  }

  private ReadOnlyKeyValueStore<Bytes, byte[]> openWindows(String storeName) {
    return openWindowsOf(streams, storeName);
  }

  private static Map<String, Object> point(long start, long end, Map<String, String> dims,
      LatencyAccumulator.Cell cell, boolean partial) {
    LatencySummary s = cell.sketch.toSummary();
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("windowStartMillis", start);
    p.put("windowEndMillis", end);
    p.put("dimensions", dims);
    p.put("count", s.getCount());
    p.put("errorCount", cell.errors);
    p.put("minNanos", s.getMinNanos());
    p.put("maxNanos", s.getMaxNanos());
    p.put("meanNanos", s.getMeanNanos());
    p.put("p50Nanos", s.getP50Nanos());
    p.put("p75Nanos", s.getP75Nanos());
    p.put("p90Nanos", s.getP90Nanos());
    p.put("p95Nanos", s.getP95Nanos());
    p.put("p99Nanos", s.getP99Nanos());
    p.put("p999Nanos", s.getP999Nanos());
    p.put("relativeAccuracy", s.getRelativeAccuracy());
    // Still open: more spans may join it before it closes and is written to operation-latency.
    p.put("partial", partial);
    return p;
  }

  private static String required(HttpRequest request, String name) {
    return request.query(name).filter(v -> !v.isBlank())
        .orElseThrow(() -> new HttpException(400, "query parameter " + name + " is required"));
  }

  private static SpanKind parseKind(String text) {
    try {
      return SpanKind.valueOf(text.trim().toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new HttpException(400, "kind must be one of " + java.util.Arrays.toString(SpanKind.values()) + ": " + text);
    }
  }

  private static long parseLong(String name, String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new HttpException(400, name + " must be epoch milliseconds: " + value);
    }
  }

  private static Duration parseDuration(String name, String value) {
    try {
      return Durations.parse(value);
    } catch (RuntimeException e) {
      throw new HttpException(400, name + " must be a duration such as 15m or 1h: " + value);
    }
  }
}
