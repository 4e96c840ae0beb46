package dev.tracepipe.dependencies;

import dev.tracepipe.avro.ConnectionType;
import dev.tracepipe.platform.http.HttpApi;
import dev.tracepipe.platform.http.HttpException;
import dev.tracepipe.platform.http.HttpRequest;
import dev.tracepipe.platform.http.HttpResponse;
import dev.tracepipe.platform.http.Peers;
import dev.tracepipe.platform.time.OpenWindows;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * The HTTP API over the edge store of every instance: each instance answers from its own active
 * partitions and asks the others (found through Kafka Streams' metadata) for theirs.
 */
final class DependencyApi {
  static final long DEFAULT_LOOKBACK_MILLIS = Duration.ofDays(1).toMillis();
  private static final String LOCAL_PATH = "/internal/dependencies/local";
  private static final String LOCAL_EDGE_PATH = "/internal/dependencies/edge";

  private final KafkaStreams streams;
  private final HostInfo self;
  private final Peers peers;
  private final Duration timeout;

  /** @param self this instance's application.server, or null when it runs alone */
  DependencyApi(KafkaStreams streams, HostInfo self, Duration timeout, Peers peers) {
    this.streams = Objects.requireNonNull(streams, "streams == null");
    this.self = self;
    this.timeout = Objects.requireNonNull(timeout, "timeout == null");
    this.peers = Objects.requireNonNull(peers, "peers == null");
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

  EdgeGraph gather(Range range) {
    EdgeGraph graph = local(range);
    if (self == null) return graph;
    List<CompletableFuture<EdgeGraph>> remote = new ArrayList<>();
    for (StreamsMetadata instance : streams.streamsMetadataForStore(DependencyGraphTopology.EDGE_STORE)) {
      HostInfo host = instance.hostInfo();
      if (host.equals(self)) continue;
      if (host.port() < 0) throw new HttpException(503, "an instance has no application.server; cannot ask it");
      remote.add(fetch(host, LOCAL_PATH + "?" + range.query()));
    }
    for (CompletableFuture<EdgeGraph> answer : remote) graph.addAll(await(answer));
    return graph;
  }

  /** One edge, asked of the instance whose active partition holds it. */
  private HttpResponse edge(HttpRequest request) {
    EdgeKey key = edgeKey(request);
    Range range = range(request);
    KeyQueryMetadata owner = streams.queryMetadataForKey(DependencyGraphTopology.EDGE_STORE, key,
        StateSerdes.edgeKey().serializer());
    HostInfo active = owner.activeHost();
    EdgeGraph graph = self == null || active == null || active.equals(self) || active.port() < 0
        ? localEdge(key, range)
        : await(fetch(active, LOCAL_EDGE_PATH + "?" + range.query() + "&" + edgeQuery(key)));
    return HttpResponse.json(200, graph.detailedEdges());
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

  private CompletableFuture<EdgeGraph> fetch(HostInfo host, String pathAndQuery) {
    java.net.http.HttpRequest request = peers.request(host.host(), host.port(), pathAndQuery).timeout(timeout).GET()
        .build();
    return peers.client().sendAsync(request, BodyHandlers.ofByteArray()).thenApply(response -> {
      if (response.statusCode() != 200) {
        throw new HttpException(503, "instance " + host + " answered " + response.statusCode() + ": "
            + new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
      }
      try {
        return EdgeGraph.fromWire(HttpApi.JSON.readTree(response.body()));
      } catch (java.io.IOException e) {
        throw new HttpException(502, "instance " + host + " sent unreadable edges: " + e.getMessage());
      }
    });
  }

  /** A graph missing another instance's edges would be silently wrong: fail the request instead. */
  private static EdgeGraph await(CompletableFuture<EdgeGraph> answer) {
    try {
      return answer.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof HttpException http) throw http;
      throw new HttpException(503, "another instance did not answer: " + e.getCause());
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
