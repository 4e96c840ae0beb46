package dev.tracepipe.alerts.peers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tracepipe.alerts.AlertRows;
import dev.tracepipe.avro.LatencyAlert;
import dev.tracepipe.platform.InstanceQueries;
import dev.tracepipe.platform.http.HttpApi;
import dev.tracepipe.platform.http.HttpException;
import dev.tracepipe.platform.http.HttpResponse;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * {@code GET /api/alerts/firing}: every host and release condition firing now, longest held first, gathered from
 * every instance (503 rather than a partial list when one does not answer).
 */
public final class FiringQuery {
  /** Where another instance asks for this instance's own firing conditions. */
  public static final String INTERNAL_PATH = "/internal/latency-alerts/firing";

  private final KafkaStreams streams;
  private final InstanceQueries instances;

  public FiringQuery(KafkaStreams streams, InstanceQueries instances) {
    this.streams = streams;
    this.instances = instances;
  }

  public void register(HttpApi http) {
    http.get("/api/alerts/firing", request -> all());
    http.get(INTERNAL_PATH, request -> HttpResponse.json(200, local()));
  }

  private HttpResponse all() {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (JsonNode answer : instances.gatherJson(PeerProcessor.ACTIVE_STORE, INTERNAL_PATH, this::local)) {
      for (JsonNode row : answer) rows.add(HttpApi.JSON.convertValue(row, Map.class));
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
    Map<String, Object> row = AlertRows.row(alert);
    // The store's times are the condition's own, newer than those of the last record sent.
    row.put("firstSeenMillis", active.firstSeenMillis());
    row.put("lastHeldMillis", active.lastHeldMillis());
    row.put("heldForMillis", active.lastHeldMillis() - active.firstSeenMillis());
    return row;
  }
}
