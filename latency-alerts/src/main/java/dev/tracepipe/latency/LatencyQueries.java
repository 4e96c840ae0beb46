package dev.tracepipe.latency;

import dev.tracepipe.avro.LatencySummary;
import dev.tracepipe.avro.SpanKind;
import dev.tracepipe.platform.Durations;
import dev.tracepipe.platform.http.HttpException;
import dev.tracepipe.platform.http.HttpRequest;
import dev.tracepipe.platform.http.HttpResponse;
import dev.tracepipe.platform.http.Peers;
import dev.tracepipe.platform.time.OpenWindows;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * {@code GET /api/latency?service=&operation=&kind=&window=&endTs=&lookback=[&dim.NAME=VALUE]}: the windows of one
 * operation from the instance that owns it, forwarded over HTTP when that is another instance.
 */
final class LatencyQueries {

  private static final String LOCAL = "local";
  private static final String DIM_PREFIX = "dim.";

  private final KafkaStreams streams;
  private final Map<String, Duration> levels = new LinkedHashMap<>();
  private final Optional<HostInfo> self;
  private final Peers peers;

  LatencyQueries(KafkaStreams streams, LatencySettings settings, Optional<String> applicationServer, Peers peers) {
    this.streams = streams;
    this.peers = peers;
    settings.levels().forEach(level -> levels.put(LatencySettings.label(level), level));
    this.self = applicationServer.map(HostInfo::buildFromEndpoint);
  }

  HttpResponse handle(HttpRequest request) throws IOException, InterruptedException {
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
    String key = new OperationKey(service, operation, kind).encode();
    String store = LatencyTopology.windowStore(level);
    if (self.isPresent() && request.query(LOCAL).isEmpty()) {
      KeyQueryMetadata owner = streams.queryMetadataForKey(store, key, Serdes.String().serializer());
      if (owner == null || owner.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
        throw new HttpException(503, "no instance owns " + key + " right now; retry");
      }
      if (!owner.activeHost().equals(self.get())) {
        return forward(owner.activeHost(), request);
      }
    }
    Map<String, String> filter = new TreeMap<>();
    request.queryParams().forEach((k, v) -> {
      if (k.startsWith(DIM_PREFIX)) {
        filter.put(k.substring(DIM_PREFIX.length()), v);
      }
    });
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("service", service);
    body.put("operation", operation);
    body.put("kind", kind.name());
    body.put("window", label);
    body.put("dimensions", filter);
    body.put("points", points(store, key, level, endTs - lookback.toMillis(), endTs, filter));
    return HttpResponse.json(200, body);
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

  private HttpResponse forward(HostInfo owner, HttpRequest request) throws IOException, InterruptedException {
    Map<String, String> params = new TreeMap<>(request.queryParams());
    params.put(LOCAL, "true");
    String query = params.entrySet().stream()
        .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
        .collect(Collectors.joining("&"));
    java.net.http.HttpResponse<byte[]> response;
    try {
      response = peers.client().send(peers.request(owner.host(), owner.port(), request.path() + "?" + query)
          .timeout(Duration.ofSeconds(10)).GET().build(),
          java.net.http.HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new HttpException(502, "owner " + owner + " did not answer: " + e.getMessage());
    }
    return HttpResponse.of(response.statusCode(),
        response.headers().firstValue("Content-Type").orElse(HttpResponse.JSON_TYPE), response.body());
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
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
