package dev.tracepipe.latency;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tracepipe.avro.LatencySummary;
import dev.tracepipe.platform.Durations;
import dev.tracepipe.platform.http.HttpApi;
import dev.tracepipe.platform.http.HttpException;
import dev.tracepipe.platform.http.HttpRequest;
import dev.tracepipe.platform.http.Peers;
import dev.tracepipe.platform.http.HttpResponse;
import dev.tracepipe.platform.time.OpenWindows;
import dev.tracepipe.platform.sketch.LatencySketch;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

/**
 * {@code GET /api/latency/operations?[service=]&window=&endTs=&lookback=&limit=}: every operation seen in the range, its
 * windows merged into one sketch, slowest p99 first; each instance answers for the operations it owns, and the one asked
 * gathers the others' answers.
 */
final class OperationListing {
  private static final String LOCAL = "local";
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
  private final Optional<HostInfo> self;
  private final Peers peers;

  OperationListing(KafkaStreams streams, LatencySettings settings, Optional<String> applicationServer, Peers peers) {
    this.streams = streams;
    this.peers = peers;
    settings.levels().forEach(level -> levels.put(LatencySettings.label(level), level));
    this.self = applicationServer.map(HostInfo::buildFromEndpoint);
  }

  HttpResponse handle(HttpRequest request) throws IOException, InterruptedException {
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
    Optional<String> service = request.query("service");
    String store = LatencyTopology.windowStore(level);

    // Each instance answers with its own top rows only: the overall top `limit` is among them.
    List<Map<String, Object>> rows = new ArrayList<>(
        top(local(store, level, endTs - lookback.toMillis(), endTs, service), limit));
    if (self.isPresent() && request.query(LOCAL).isEmpty()) {
      for (StreamsMetadata instance : streams.streamsMetadataForStore(store)) {
        if (!instance.hostInfo().equals(self.get())) {
          rows.addAll(remote(instance.hostInfo(), request));
        }
      }
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("window", label);
    body.put("endTs", endTs);
    body.put("lookbackMillis", lookback.toMillis());
    body.put("operations", top(rows, limit));
    return HttpResponse.json(200, body);
  }

  private List<Map<String, Object>> local(String storeName, Duration level, long from, long to,
      Optional<String> service) {
    ReadOnlyWindowStore<String, LatencyAccumulator> store;
    try {
      store = streams.store(StoreQueryParameters.fromNameAndType(storeName, QueryableStoreTypes.windowStore()));
    } catch (InvalidStateStoreException e) {
      throw new HttpException(503, "store " + storeName + " is not queryable right now (" + e.getMessage() + ")");
    }
    ReadOnlyKeyValueStore<Bytes, byte[]> open =
        LatencyQueries.openWindowsOf(streams, LatencyTopology.openWindowsStore(level));
    Map<String, LatencySketch> sketches = new HashMap<>();
    Map<String, Long> errors = new HashMap<>();
    Set<String> partial = new HashSet<>();
    try (KeyValueIterator<Windowed<String>, LatencyAccumulator> it =
        store.fetchAll(Instant.ofEpochMilli(from - level.toMillis()), Instant.ofEpochMilli(to))) {
      while (it.hasNext()) {
        KeyValue<Windowed<String>, LatencyAccumulator> entry = it.next();
        long start = entry.key.window().start();
        if (start + level.toMillis() <= from || start >= to) {
          continue;
        }
        String key = entry.key.key();
        LatencyAccumulator.Cell cell = entry.value.total();
        sketches.computeIfAbsent(key, k -> new LatencySketch()).merge(cell.sketch);
        errors.merge(key, cell.errors, Long::sum);
        if (OpenWindows.isOpen(open, key.getBytes(StandardCharsets.UTF_8), start)) {
          partial.add(key);
        }
      }
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    sketches.forEach((key, sketch) -> {
      OperationKey op = OperationKey.decode(key);
      if (service.isEmpty() || service.get().equals(op.service())) {
        rows.add(row(op, sketch.toSummary(), errors.get(key), partial.contains(key)));
      }
    });
    return rows;
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

  private List<Map<String, Object>> remote(HostInfo host, HttpRequest request)
      throws IOException, InterruptedException {
    Map<String, String> params = new HashMap<>(request.queryParams());
    params.put(LOCAL, "true");
    String query = params.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
            + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    java.net.http.HttpResponse<String> response;
    try {
      response = peers.client().send(peers.request(host.host(), host.port(), request.path() + "?" + query)
          .timeout(Duration.ofSeconds(10)).GET().build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new HttpException(502, "instance " + host + " did not answer: " + e.getMessage());
    }
    if (response.statusCode() != 200) {
      // A partial list would look complete to the caller: better to say the answer is incomplete.
      throw new HttpException(503, "instance " + host + " answered " + response.statusCode() + ": " + response.body());
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    for (JsonNode row : HttpApi.JSON.readTree(response.body()).get("operations")) {
      rows.add(HttpApi.JSON.convertValue(row, Map.class));
    }
    return rows;
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
