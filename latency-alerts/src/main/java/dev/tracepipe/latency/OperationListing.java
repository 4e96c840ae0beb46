package dev.tracepipe.latency;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tracepipe.avro.LatencySummary;
import dev.tracepipe.platform.Durations;
import dev.tracepipe.platform.InstanceQueries;
import dev.tracepipe.platform.http.HttpApi;
import dev.tracepipe.platform.http.HttpException;
import dev.tracepipe.platform.http.HttpRequest;
import dev.tracepipe.platform.http.HttpResponse;
import dev.tracepipe.platform.sketch.LatencySketch;
import dev.tracepipe.platform.time.OpenWindows;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * {@code GET /api/latency/operations?[service=]&window=&endTs=&lookback=&limit=}: every operation seen in the range, its
 * windows merged into one sketch, slowest p99 first; each instance answers for the operations it owns, and the one asked
 * gathers the others' answers.
 */
final class OperationListing {
  /** Where another instance asks for this instance's own slowest operations. */
  static final String INTERNAL_PATH = "/internal/latency-alerts/operations";
  private static final int DEFAULT_LIMIT = 50;
  private static final int MAX_LIMIT = 1_000;
  /** Slowest p99 first, ties broken by name so that every instance lists the same operations in the same order. */
  private static final Comparator<Map<String, Object>> ORDER =
      Comparator.comparingLong((Map<String, Object> r) -> ((Number) r.get("p99Nanos")).longValue()).reversed()
          .thenComparing(r -> (String) r.get("service"))
          .thenComparing(r -> (String) r.get("operation"))
          .thenComparing(r -> (String) r.get("kind"));

  private final KafkaStreams streams;
  private final Map<String, Duration> levels = new LinkedHashMap<>();
  private final InstanceQueries instances;

  OperationListing(KafkaStreams streams, LatencySettings settings, InstanceQueries instances) {
    this.streams = streams;
    this.instances = instances;
    settings.levels().forEach(level -> levels.put(LatencySettings.label(level), level));
  }

  void register(HttpApi http) {
    http.get("/api/latency/operations", this::handle);
    http.get(INTERNAL_PATH, request -> HttpResponse.json(200, local(parse(request))));
  }

  /** One listing's parameters, its end time fixed once so that every instance lists the same range. */
  private record Query(String label, Duration level, long endTs, Duration lookback, long limit,
      Optional<String> service) {
    long from() {
      return endTs - lookback.toMillis();
    }

    String store() {
      return LatencyTopology.windowStore(level);
    }
  }

  private Query parse(HttpRequest request) {
    String label = request.query("window").orElse(levels.keySet().iterator().next());
    Duration level = levels.get(label);
    if (level == null) {
      throw new HttpException(400, "window must be one of " + levels.keySet() + ": " + label);
    }
    // A request without endTs asks about now: a query, not a processor, reads the wall clock here.
    long endTs = request.query("endTs").map(OperationListing::parseLong).orElseGet(System::currentTimeMillis);
    Duration lookback = request.query("lookback").map(Durations::parse).orElse(Duration.ofMinutes(15));
    long limit = request.query("limit").map(OperationListing::parseLong).orElse((long) DEFAULT_LIMIT);
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new HttpException(400, "limit must be between 1 and " + MAX_LIMIT + ": " + limit);
    }
    return new Query(label, level, endTs, lookback, limit, request.query("service"));
  }

  private HttpResponse handle(HttpRequest request) {
    Query q = parse(request);
    // Each instance answers with its own top rows only: the overall top `limit` is among them.
    List<Map<String, Object>> rows = new ArrayList<>();
    for (JsonNode answer : instances.gatherJson(q.store(), PinnedQuery.of(INTERNAL_PATH, request, q.endTs()),
        () -> local(q))) {
      for (JsonNode row : answer) rows.add(HttpApi.JSON.convertValue(row, Map.class));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("window", q.label());
    body.put("endTs", q.endTs());
    body.put("lookbackMillis", q.lookback().toMillis());
    body.put("operations", top(rows, q.limit()));
    return HttpResponse.json(200, body);
  }

  /**
   * This instance's slowest {@code limit} operations. Streams the store twice rather than holding every operation's
   * sketch: first the distinct operations (names only, bounded by {@code latency.max-operations} per window), then
   * each operation's windows merged and offered to a heap that keeps the slowest {@code limit}.
   */
  private List<Map<String, Object>> local(Query q) {
    String storeName = q.store();
    Duration level = q.level();
    long from = q.from();
    long to = q.endTs();
    Optional<String> service = q.service();
    long limit = q.limit();
    ReadOnlyWindowStore<String, LatencyAccumulator> store;
    try {
      store = streams.store(StoreQueryParameters.fromNameAndType(storeName, QueryableStoreTypes.windowStore()));
    } catch (InvalidStateStoreException e) {
      throw new HttpException(503, "store " + storeName + " is not queryable right now (" + e.getMessage() + ")");
    }
    ReadOnlyKeyValueStore<Bytes, byte[]> open =
        LatencyQueries.openWindowsOf(streams, LatencyTopology.openWindowsStore(level));
    Instant first = Instant.ofEpochMilli(from - level.toMillis());
    Instant last = Instant.ofEpochMilli(to);
    Set<String> keys = new TreeSet<>();
    try (KeyValueIterator<Windowed<String>, LatencyAccumulator> it = store.fetchAll(first, last)) {
      while (it.hasNext()) {
        Windowed<String> window = it.next().key;
        long start = window.window().start();
        if (start + level.toMillis() > from && start < to
            && service.map(OperationKey.decode(window.key()).service()::equals).orElse(true)) {
          keys.add(window.key());
        }
      }
    }
    PriorityQueue<Map<String, Object>> slowest = new PriorityQueue<>(ORDER.reversed());
    for (String key : keys) {
      LatencySketch sketch = new LatencySketch();
      long errors = 0;
      boolean partial = false;
      try (WindowStoreIterator<LatencyAccumulator> it = store.fetch(key, first, last)) {
        while (it.hasNext()) {
          KeyValue<Long, LatencyAccumulator> entry = it.next();
          if (entry.key + level.toMillis() <= from || entry.key >= to) continue;
          sketch.merge(entry.value.total().sketch);
          errors += entry.value.total().errors;
          partial |= OpenWindows.isOpen(open, key.getBytes(StandardCharsets.UTF_8), entry.key);
        }
      }
      slowest.add(row(OperationKey.decode(key), sketch.toSummary(), errors, partial));
      if (slowest.size() > limit) slowest.poll();
    }
    return new ArrayList<>(slowest);
  }

  private static Map<String, Object> row(OperationKey op, LatencySummary s, long errors, boolean partial) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("service", op.service());
    row.put("operation", op.operation());
    row.put("kind", op.kind().name());
    row.put("count", s.getCount());
    row.put("errorCount", errors);
    row.put("minNanos", s.getMinNanos());
    row.put("meanNanos", s.getMeanNanos());
    row.put("p50Nanos", s.getP50Nanos());
    row.put("p75Nanos", s.getP75Nanos());
    row.put("p90Nanos", s.getP90Nanos());
    row.put("p95Nanos", s.getP95Nanos());
    row.put("p99Nanos", s.getP99Nanos());
    row.put("p999Nanos", s.getP999Nanos());
    row.put("maxNanos", s.getMaxNanos());
    row.put("relativeAccuracy", s.getRelativeAccuracy());
    // True when one of the merged windows is still open: the numbers can still change.
    row.put("partial", partial);
    return row;
  }

  private static List<Map<String, Object>> top(List<Map<String, Object>> rows, long limit) {
    return rows.stream().sorted(ORDER).limit(limit).toList();
  }

  private static long parseLong(String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new HttpException(400, "not a number: " + value);
    }
  }
}
