package dev.tracepipe.latency.peers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tracepipe.avro.Distribution;
import dev.tracepipe.avro.LatencyAlert;
import dev.tracepipe.platform.http.HttpApi;
import dev.tracepipe.platform.http.HttpException;
import dev.tracepipe.platform.http.HttpRequest;
import dev.tracepipe.platform.http.HttpResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * {@code GET /api/alerts/firing}: every host and release condition firing now, longest held first, gathered from
 * every instance (503 rather than a partial list when one does not answer).
 */
public final class FiringQuery {

  private static final String LOCAL = "local";

  private final KafkaStreams streams;
  private final Optional<HostInfo> self;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public FiringQuery(KafkaStreams streams, Optional<String> applicationServer) {
    this.streams = streams;
    this.self = applicationServer.map(HostInfo::buildFromEndpoint);
  }

  public HttpResponse handle(HttpRequest request) throws IOException, InterruptedException {
    List<Map<String, Object>> rows = local();
    if (self.isPresent() && request.query(LOCAL).isEmpty()) {
      for (StreamsMetadata instance : streams.streamsMetadataForStore(PeerProcessor.ACTIVE_STORE)) {
        if (!instance.hostInfo().equals(self.get())) {
          rows.addAll(remote(instance.hostInfo(), request.path()));
        }
      }
    }
    rows.sort(Comparator.comparingLong((Map<String, Object> r) -> ((Number) r.get("heldForMillis")).longValue())
        .reversed().thenComparing(r -> (String) r.get("alertId")));
    return HttpResponse.json(200, Map.of("firing", rows));
  }

  private List<Map<String, Object>> local() {
    ReadOnlyKeyValueStore<String, ActiveAlerts> store;
    try {
      store = streams.store(StoreQueryParameters.fromNameAndType(PeerProcessor.ACTIVE_STORE,
          QueryableStoreTypes.keyValueStore()));
    } catch (InvalidStateStoreException e) {
      throw new HttpException(503, "store " + PeerProcessor.ACTIVE_STORE + " is not queryable right now ("
          + e.getMessage() + ")");
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    try (KeyValueIterator<String, ActiveAlerts> it = store.all()) {
      while (it.hasNext()) {
        KeyValue<String, ActiveAlerts> entry = it.next();
        entry.value.byId().values().forEach(active -> rows.add(row(active.last(), active)));
      }
    }
    return rows;
  }

  private static Map<String, Object> row(LatencyAlert alert, ActiveAlerts.Active active) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("alertId", alert.getAlertId());
    row.put("rule", alert.getRule().getType().name());
    row.put("description", alert.getRule().getDescription());
    row.put("service", alert.getRootService());
    row.put("operation", alert.getRootOperation());
    row.put("dimension", alert.getPeers().getDimension());
    row.put("value", alert.getPeers().getValue());
    row.put("peerValues", List.copyOf(alert.getPeers().getPeerValues()));
    row.put("measure", alert.getPeers().getMeasure().name());
    row.put("subject", distribution(alert.getPeers().getSubject()));
    row.put("peers", distribution(alert.getPeers().getPeers()));
    row.put("ratio", alert.getPeers().getRatio());
    row.put("firstSeenMillis", active.firstSeenMillis());
    row.put("lastHeldMillis", active.lastHeldMillis());
    row.put("heldForMillis", active.lastHeldMillis() - active.firstSeenMillis());
    return row;
  }

  private static Map<String, Object> distribution(Distribution d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("count", d.getCount());
    m.put("errorCount", d.getErrorCount());
    m.put("p50Nanos", d.getP50Nanos());
    m.put("p99Nanos", d.getP99Nanos());
    m.put("selfP50Nanos", d.getSelfP50Nanos());
    m.put("selfP99Nanos", d.getSelfP99Nanos());
    return m;
  }

  @SuppressWarnings("unchecked")
  private List<Map<String, Object>> remote(HostInfo host, String path) throws IOException, InterruptedException {
    URI uri = URI.create("http://" + host.host() + ":" + host.port() + path + "?" + LOCAL + "=true");
    java.net.http.HttpResponse<String> response;
    try {
      response = client.send(java.net.http.HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new HttpException(503, "instance " + host + " did not answer: " + e.getMessage());
    }
    if (response.statusCode() != 200) {
      throw new HttpException(503, "instance " + host + " answered " + response.statusCode() + ": " + response.body());
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    for (JsonNode row : HttpApi.JSON.readTree(response.body()).get("firing")) {
      rows.add(HttpApi.JSON.convertValue(row, Map.class));
    }
    return rows;
  }
}
