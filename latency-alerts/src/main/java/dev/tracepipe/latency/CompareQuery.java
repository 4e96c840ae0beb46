package dev.tracepipe.latency;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tracepipe.alerts.peers.PeerRanking;
import dev.tracepipe.platform.Durations;
import dev.tracepipe.platform.http.HttpApi;
import dev.tracepipe.platform.http.HttpException;
import dev.tracepipe.platform.http.HttpRequest;
import dev.tracepipe.platform.http.HttpResponse;
import dev.tracepipe.platform.sketch.LatencySketch;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

/**
 * {@code GET /api/latency/compare?service=&[operation=&kind=&]by=&[lookback=&endTs=&window=]}: each value of a
 * dimension with its percentiles and ratio to its peers. Each instance merges the sketches of the operations it owns;
 * the one asked merges every instance's sketches, so a host's row covers all of its operations.
 */
final class CompareQuery {
  private static final String LOCAL = "local";

  private final KafkaStreams streams;
  private final Map<String, Duration> levels = new LinkedHashMap<>();
  private final Optional<HostInfo> self;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  CompareQuery(KafkaStreams streams, LatencySettings settings, Optional<String> applicationServer) {
    this.streams = streams;
    settings.levels().forEach(level -> levels.put(LatencySettings.label(level), level));
    this.self = applicationServer.map(HostInfo::buildFromEndpoint);
  }

  HttpResponse handle(HttpRequest request) throws IOException, InterruptedException {
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
    Filter filter = new Filter(service, request.query("operation"), request.query("kind"), by);

    Map<String, PeerRanking.Tally> tallies = local(LatencyTopology.windowStore(level), level,
        endTs - lookback.toMillis(), endTs, filter);
    if (request.query(LOCAL).isPresent()) {
      Map<String, Object> body = new LinkedHashMap<>();
      tallies.forEach((value, t) -> body.put(value, Map.of("errors", t.errors(),
          "sketch", Base64.getEncoder().encodeToString(t.sketch().toBytes()))));
      return HttpResponse.json(200, body);
    }
    if (self.isPresent()) {
      for (StreamsMetadata instance : streams.streamsMetadataForStore(LatencyTopology.windowStore(level))) {
        if (!instance.hostInfo().equals(self.get())) {
          remote(instance.hostInfo(), request, tallies);
        }
      }
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("service", service);
    request.query("operation").ifPresent(o -> body.put("operation", o));
    body.put("by", by);
    body.put("window", label);
    body.put("endTs", endTs);
    body.put("lookbackMillis", lookback.toMillis());
    body.put("values", PeerRanking.rank(tallies));
    return HttpResponse.json(200, body);
  }

  private record Filter(String service, Optional<String> operation, Optional<String> kind, String by) {
    boolean matches(OperationKey op) {
      return op.service().equals(service) && operation.map(op.operation()::equals).orElse(true)
          && kind.map(k -> op.kind().name().equalsIgnoreCase(k)).orElse(true);
    }
  }

  private Map<String, PeerRanking.Tally> local(String storeName, Duration level, long from, long to, Filter filter) {
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

  private void remote(HostInfo host, HttpRequest request, Map<String, PeerRanking.Tally> tallies)
      throws IOException, InterruptedException {
    Map<String, String> params = new TreeMap<>(request.queryParams());
    params.put(LOCAL, "true");
    String query = params.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
            + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    URI uri = URI.create("http://" + host.host() + ":" + host.port() + request.path() + "?" + query);
    java.net.http.HttpResponse<String> response;
    try {
      response = client.send(java.net.http.HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new HttpException(503, "instance " + host + " did not answer: " + e.getMessage());
    }
    if (response.statusCode() != 200) {
      // A partial comparison would look complete: better to say it is not.
      throw new HttpException(503, "instance " + host + " answered " + response.statusCode() + ": " + response.body());
    }
    JsonNode body = HttpApi.JSON.readTree(response.body());
    for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) body::fields) {
      LatencySketch sketch = LatencySketch.fromBytes(Base64.getDecoder().decode(e.getValue().get("sketch").asText()));
      tallies.computeIfAbsent(e.getKey(), v -> new PeerRanking.Tally()).add(sketch, e.getValue().get("errors").asLong());
    }
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
