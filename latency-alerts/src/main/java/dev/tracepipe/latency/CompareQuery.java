package dev.tracepipe.latency;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tracepipe.alerts.peers.PeerRanking;
import dev.tracepipe.platform.Durations;
import dev.tracepipe.platform.InstanceQueries;
import dev.tracepipe.platform.http.HttpApi;
import dev.tracepipe.platform.http.HttpException;
import dev.tracepipe.platform.http.HttpRequest;
import dev.tracepipe.platform.http.HttpResponse;
import dev.tracepipe.platform.sketch.LatencySketch;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

/**
 * {@code GET /api/latency/compare?service=&[operation=&kind=&]by=&[lookback=&endTs=&window=]}: each value of a
 * dimension with its percentiles and ratio to its peers. Each instance merges the sketches of the operations it owns;
 * the one asked gathers every instance's sketches and merges them, so a host's row covers all of its operations.
 */
final class CompareQuery {
  /** Where another instance asks for this instance's own tallies. */
  static final String INTERNAL_PATH = "/internal/latency-alerts/compare";

  private final KafkaStreams streams;
  private final Map<String, Duration> levels = new LinkedHashMap<>();
  private final InstanceQueries instances;

  CompareQuery(KafkaStreams streams, LatencySettings settings, InstanceQueries instances) {
    this.streams = streams;
    this.instances = instances;
    settings.levels().forEach(level -> levels.put(LatencySettings.label(level), level));
  }

  void register(HttpApi http) {
    http.get("/api/latency/compare", this::handle);
    http.get(INTERNAL_PATH, request -> HttpResponse.json(200, encode(local(parse(request)))));
  }

  /** One comparison's parameters, its end time fixed once so that every instance tallies the same range. */
  private record Query(String label, Duration level, long endTs, Duration lookback, Filter filter) {
    String store() {
      return LatencyTopology.windowStore(level);
    }
  }

  private Query parse(HttpRequest request) {
    String service = request.query("service").filter(v -> !v.isBlank())
        .orElseThrow(() -> new HttpException(400, "query parameter service is required"));
    String by = request.query("by").filter(v -> !v.isBlank())
        .orElseThrow(() -> new HttpException(400, "query parameter by is required, e.g. host.name or service.version"));
    String label = request.query("window").orElse(levels.keySet().iterator().next());
    Duration level = levels.get(label);
    if (level == null) {
      throw new HttpException(400, "window must be one of " + levels.keySet() + ": " + label);
    }
    // A request without endTs asks about now: a query, not a processor, reads the wall clock here.
    long endTs = request.query("endTs").map(CompareQuery::parseLong).orElseGet(System::currentTimeMillis);
    Duration lookback = request.query("lookback").map(CompareQuery::parseDuration).orElse(Duration.ofMinutes(15));
    return new Query(label, level, endTs, lookback,
        new Filter(service, request.query("operation"), request.query("kind"), by));
  }

  private HttpResponse handle(HttpRequest request) {
    Query q = parse(request);
    // A partial comparison would look complete: an instance that does not answer fails the whole query.
    Map<String, PeerRanking.Tally> tallies = new TreeMap<>();
    for (JsonNode answer : instances.gatherJson(q.store(), PinnedQuery.of(INTERNAL_PATH, request, q.endTs()),
        () -> encode(local(q)))) {
      for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) answer::fields) {
        LatencySketch sketch = LatencySketch.fromBytes(Base64.getDecoder().decode(e.getValue().get("sketch").asText()));
        tallies.computeIfAbsent(e.getKey(), v -> new PeerRanking.Tally())
            .add(sketch, e.getValue().get("errors").asLong());
      }
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("service", q.filter().service());
    q.filter().operation().ifPresent(o -> body.put("operation", o));
    body.put("by", q.filter().by());
    body.put("window", q.label());
    body.put("endTs", q.endTs());
    body.put("lookbackMillis", q.lookback().toMillis());
    body.put("values", PeerRanking.rank(tallies));
    return HttpResponse.json(200, body);
  }

  private static Map<String, Object> encode(Map<String, PeerRanking.Tally> tallies) {
    Map<String, Object> body = new LinkedHashMap<>();
    tallies.forEach((value, t) -> body.put(value, Map.of("errors", t.errors(),
        "sketch", Base64.getEncoder().encodeToString(t.sketch().toBytes()))));
    return body;
  }

  private record Filter(String service, Optional<String> operation, Optional<String> kind, String by) {
    boolean matches(OperationKey op) {
      return op.service().equals(service) && operation.map(op.operation()::equals).orElse(true)
          && kind.map(k -> op.kind().name().equalsIgnoreCase(k)).orElse(true);
    }
  }

  private Map<String, PeerRanking.Tally> local(Query q) {
    String storeName = q.store();
    Duration level = q.level();
    long from = q.endTs() - q.lookback().toMillis();
    long to = q.endTs();
    Filter filter = q.filter();
    ReadOnlyWindowStore<String, LatencyAccumulator> store;
    try {
      store = streams.store(StoreQueryParameters.fromNameAndType(storeName, QueryableStoreTypes.windowStore()));
    } catch (InvalidStateStoreException e) {
      throw new HttpException(503, "store " + storeName + " is not queryable right now (" + e.getMessage() + ")");
    }
    Map<String, PeerRanking.Tally> tallies = new TreeMap<>();
    try (KeyValueIterator<Windowed<String>, LatencyAccumulator> it =
        store.fetchAll(Instant.ofEpochMilli(from - level.toMillis()), Instant.ofEpochMilli(to))) {
      while (it.hasNext()) {
        KeyValue<Windowed<String>, LatencyAccumulator> entry = it.next();
        long start = entry.key.window().start();
        if (start + level.toMillis() <= from || start >= to || !filter.matches(OperationKey.decode(entry.key.key()))) {
          continue;
        }
        entry.value.byDimensions().forEach((dims, cell) -> {
          String value = dims.get(filter.by());
          if (PeerRanking.comparable(value)) {
            tallies.computeIfAbsent(value, v -> new PeerRanking.Tally()).add(cell.sketch, cell.errors);
          }
        });
      }
    }
    return tallies;
  }

  private static long parseLong(String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new HttpException(400, "endTs must be epoch milliseconds: " + value);
    }
  }

  private static Duration parseDuration(String value) {
    try {
      return Durations.parse(value);
    } catch (RuntimeException e) {
      throw new HttpException(400, "lookback must be a duration such as 15m or 1h: " + value);
    }
  }
}
