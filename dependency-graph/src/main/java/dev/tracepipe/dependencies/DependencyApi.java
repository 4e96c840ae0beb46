package dev.tracepipe.dependencies;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tracepipe.avro.ConnectionType;
import dev.tracepipe.platform.InstanceQueries;
import dev.tracepipe.platform.http.HttpApi;
import dev.tracepipe.platform.http.HttpException;
import dev.tracepipe.platform.http.HttpRequest;
import dev.tracepipe.platform.http.HttpResponse;
import dev.tracepipe.platform.time.OpenWindows;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * The HTTP API over the edge store of every instance: each instance answers from its own active
 * partitions and asks the others for theirs through {@link InstanceQueries}.
 */
final class DependencyApi {
  static final long DEFAULT_LOOKBACK_MILLIS = Duration.ofDays(1).toMillis();
  private static final String LOCAL_PATH = "/internal/dependencies/local";
  private static final String LOCAL_EDGE_PATH = "/internal/dependencies/edge";

  private final KafkaStreams streams;
  private final InstanceQueries instances;

  DependencyApi(KafkaStreams streams, InstanceQueries instances) {
    this.streams = Objects.requireNonNull(streams, "streams == null");
    this.instances = Objects.requireNonNull(instances, "instances == null");
  }

  void register(HttpApi http) {
    http.get("/api/v2/dependencies", request -> HttpResponse.json(200, gather(range(request)).zipkinLinks()));
    http.get("/api/dependencies", request -> HttpResponse.json(200, gather(range(request)).detailedEdges()));
    http.get("/api/dependencies/edge", this::edge);
    http.get(LOCAL_PATH, request -> HttpResponse.json(200, local(range(request)).toWire()));
    http.get(LOCAL_EDGE_PATH, request -> HttpResponse.json(200, localEdge(edgeKey(request), range(request)).toWire()));
  }

  /** Window starts to include: from endTs - lookback to endTs, in epoch milliseconds. */
  record Range(long from, long to) {
    String query() {
      return "endTs=" + to + "&lookback=" + (to - from);
    }
  }

  static Range range(HttpRequest request) {
    long endTs = number(request, "endTs", System.currentTimeMillis());
    long lookback = number(request, "lookback", DEFAULT_LOOKBACK_MILLIS);
    if (endTs <= 0 || lookback < 0) throw new HttpException(400, "endTs must be > 0 and lookback >= 0");
    return new Range(Math.max(0, endTs - lookback), endTs);
  }

  private static long number(HttpRequest request, String name, long fallback) {
    String value = request.query(name).orElse(null);
    if (value == null) return fallback;
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new HttpException(400, name + " is not a number: " + value);
    }
  }

  /** Every instance's edges in the range, merged; a graph missing one instance's edges fails with 503. */
  EdgeGraph gather(Range range) {
    EdgeGraph graph = new EdgeGraph();
    for (JsonNode answer : instances.gatherJson(DependencyGraphTopology.EDGE_STORE, LOCAL_PATH + "?" + range.query(),
        () -> local(range).toWire())) {
      graph.addAll(fromWire(answer));
    }
    return graph;
  }

  /** One edge, asked of the instance whose active partition holds it. */
  private HttpResponse edge(HttpRequest request) throws Exception {
    EdgeKey key = edgeKey(request);
    Range range = range(request);
    EdgeGraph graph = instances.askOwner(DependencyGraphTopology.EDGE_STORE, key, StateSerdes.edgeKey().serializer(),
            LOCAL_EDGE_PATH + "?" + range.query() + "&" + edgeQuery(key),
            () -> Optional.of(wire(localEdge(key, range))))
        .map(DependencyApi::readEdges).orElseGet(EdgeGraph::new);
    return HttpResponse.json(200, graph.detailedEdges());
  }

  /** The wire form instances exchange: edges with their sketches, so merged percentiles stay exact. */
  private static byte[] wire(EdgeGraph graph) {
    try {
      return HttpApi.JSON.writeValueAsBytes(graph.toWire());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static EdgeGraph readEdges(byte[] answer) {
    try {
      return fromWire(HttpApi.JSON.readTree(answer));
    } catch (IOException e) {
      throw new HttpException(502, "another instance sent unreadable edges: " + e.getMessage());
    }
  }

  private static EdgeGraph fromWire(JsonNode answer) {
    try {
      return EdgeGraph.fromWire(answer);
    } catch (IllegalArgumentException e) {
      throw new HttpException(502, "another instance sent unreadable edges: " + e.getMessage());
    }
  }

  EdgeGraph local(Range range) {
    EdgeGraph graph = new EdgeGraph();
    Instant from = Instant.ofEpochMilli(range.from());
    Instant to = Instant.ofEpochMilli(range.to());
    ReadOnlyKeyValueStore<Bytes, byte[]> open = openWindows();
    queryStore(store -> {
      try (KeyValueIterator<Windowed<EdgeKey>, EdgeStats> windows = store.fetchAll(from, to)) {
        windows.forEachRemaining(kv -> graph.add(kv.key.key(), kv.value,
            isOpen(open, kv.key.key(), kv.key.window().start())));
      }
    });
    return graph;
  }

  private EdgeGraph localEdge(EdgeKey key, Range range) {
    EdgeGraph graph = new EdgeGraph();
    Instant from = Instant.ofEpochMilli(range.from());
    Instant to = Instant.ofEpochMilli(range.to());
    ReadOnlyKeyValueStore<Bytes, byte[]> open = openWindows();
    queryStore(store -> {
      try (WindowStoreIterator<EdgeStats> windows = store.fetch(key, from, to)) {
        windows.forEachRemaining(kv -> graph.add(key, kv.value, isOpen(open, key, kv.key)));
      }
    });
    return graph;
  }

  private ReadOnlyKeyValueStore<Bytes, byte[]> openWindows() {
    try {
      return streams.store(StoreQueryParameters.fromNameAndType(DependencyGraphTopology.OPEN_EDGES_STORE,
          QueryableStoreTypes.keyValueStore()));
    } catch (InvalidStateStoreException e) {
      throw new HttpException(503, "open-window index not queryable now (" + e.getMessage() + "); retry");
    }
  }

  private static boolean isOpen(ReadOnlyKeyValueStore<Bytes, byte[]> open, EdgeKey edge, long start) {
    return OpenWindows.isOpen(open, StateSerdes.edgeKey().serializer().serialize(
        DependencyGraphTopology.OPEN_EDGES_STORE, edge), start);
  }

  /** Runs a read of the local store; while Kafka Streams (re)assigns partitions it answers 503. */
  private void queryStore(Consumer<ReadOnlyWindowStore<EdgeKey, EdgeStats>> read) {
    try {
      read.accept(streams.store(StoreQueryParameters.fromNameAndType(DependencyGraphTopology.EDGE_STORE,
          QueryableStoreTypes.windowStore())));
    } catch (InvalidStateStoreException e) {
      throw new HttpException(503, "edge store not queryable now (" + e.getMessage() + "); retry");
    }
  }

  private static EdgeKey edgeKey(HttpRequest request) {
    String parent = request.query("parent").orElseThrow(() -> new HttpException(400, "parent is required"));
    String child = request.query("child").orElseThrow(() -> new HttpException(400, "child is required"));
    String type = request.query("type").orElse(ConnectionType.RPC.name());
    try {
      return new EdgeKey(parent, child, ConnectionType.valueOf(type));
    } catch (IllegalArgumentException e) {
      throw new HttpException(400, "unknown connection type " + type);
    }
  }

  private static String edgeQuery(EdgeKey key) {
    return "parent=" + encode(key.parent()) + "&child=" + encode(key.child()) + "&type=" + key.type();
  }

  private static String encode(String value) {
    return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
  }
}
