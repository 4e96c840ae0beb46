package dev.tracepipe.tracestore;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tracepipe.platform.InstanceQueries;
import dev.tracepipe.platform.http.HttpApi;
import dev.tracepipe.platform.http.HttpException;
import dev.tracepipe.platform.http.HttpRequest;
import dev.tracepipe.platform.http.HttpResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serdes;
import zipkin2.codec.SpanBytesDecoder;
import zipkin2.codec.SpanBytesEncoder;

/**
 * The Zipkin v2 query API (except dependencies, which the dependency graph stage answers): trace lookups go to the
 * instance that owns the trace id, listings and searches gather every instance's local answer.
 */
final class ZipkinQueryApi {
  static final String INTERNAL = "/internal/trace-store";
  /** Zipkin's defaults for a search without them. */
  static final long DEFAULT_LOOKBACK_MILLIS = 86_400_000L;
  static final int DEFAULT_LIMIT = 10;

  private final LocalTraces local;
  private final InstanceQueries instances;
  private final TraceStoreSettings settings;

  ZipkinQueryApi(LocalTraces local, InstanceQueries instances, TraceStoreSettings settings) {
    this.local = local;
    this.instances = instances;
    this.settings = settings;
  }

  void register(HttpApi http) {
    // Lens asks under its own base path, /zipkin/api/v2; Grafana and scripts under /api/v2.
    for (String prefix : List.of("/api/v2", "/zipkin/api/v2")) {
      http.get(prefix + "/services", request -> names(IndexKeys.SERVICE, null));
      http.get(prefix + "/spans", request -> names(IndexKeys.SPAN_NAME, lower(required(request, "serviceName"))));
      http.get(prefix + "/remoteServices",
          request -> names(IndexKeys.REMOTE_SERVICE, lower(required(request, "serviceName"))));
      http.get(prefix + "/autocompleteKeys", request -> HttpResponse.json(200, settings.autocompleteKeys()));
      http.get(prefix + "/autocompleteValues", request -> names(IndexKeys.TAG_VALUE, required(request, "key")));
      http.get(prefix + "/traces", this::traces);
      http.get(prefix + "/trace/{traceId}", request -> trace(request.pathParam("traceId")));
      http.get(prefix + "/traceMany", this::traceMany);
    }
    http.get("/api/traces/compare", this::compare);
    http.get(INTERNAL + "/names", request -> HttpResponse.json(200,
        local.names(required(request, "kind"), request.query("parent").orElse(null))));
    http.get(INTERNAL + "/traces", request -> json(encodeHits(local.search(TraceSearchRequest.parse(request, 0)))));
    http.get(INTERNAL + "/trace/{traceId}", request -> {
      Optional<byte[]> trace = localTrace(TraceIds.normalize(request.pathParam("traceId")));
      return trace.isPresent() ? json(trace.get()) : HttpResponse.error(404, "no such trace here");
    });
  }

  private HttpResponse names(String kind, String parent) {
    String query = "?kind=" + kind + (parent == null ? "" : "&parent=" + encode(parent));
    Set<String> all = new TreeSet<>();
    for (byte[] answer : instances.gather(TraceStoreTopology.NAME_STORE, INTERNAL + "/names" + query,
        () -> toJson(local.names(kind, parent)))) {
      for (JsonNode name : readTree(answer)) all.add(name.asText());
    }
    return HttpResponse.json(200, all);
  }

  private HttpResponse traces(HttpRequest request) {
    // The time is fixed here, once, so that every instance searches the same range.
    long endTs = System.currentTimeMillis();
    zipkin2.storage.QueryRequest query = TraceSearchRequest.parse(request, endTs);
    String internal = INTERNAL + "/traces?" + TraceSearchRequest.toQuery(query);
    List<JsonNode> traces = new ArrayList<>();
    for (byte[] answer : instances.gather(TraceStoreTopology.SEARCH_STORE, internal,
        () -> encodeHits(local.search(query)))) {
      readTree(answer).forEach(traces::add);
    }
    traces.sort(TraceSearchRequest.NEWEST_FIRST);
    return HttpResponse.json(200, traces.size() > query.limit() ? traces.subList(0, query.limit()) : traces);
  }

  private HttpResponse trace(String rawId) throws Exception {
    String traceId = TraceIds.normalize(rawId);
    return find(traceId).map(ZipkinQueryApi::json)
        .orElseThrow(() -> new HttpException(404, "trace " + traceId + " not found"));
  }

  private HttpResponse traceMany(HttpRequest request) throws Exception {
    List<String> ids = new ArrayList<>();
    for (String id : required(request, "traceIds").split(",")) {
      if (!id.isBlank()) ids.add(TraceIds.normalize(id.trim()));
    }
    if (ids.isEmpty()) throw new HttpException(400, "traceIds is empty");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write('[');
    boolean first = true;
    for (String id : new java.util.LinkedHashSet<>(ids)) {
      Optional<byte[]> trace = find(id);
      if (trace.isEmpty()) continue;
      if (!first) out.write(',');
      out.write(trace.get());
      first = false;
    }
    out.write(']');
    return json(out.toByteArray());
  }

  /** {@code GET /api/traces/compare?a=ID&b=ID}: what differs between two traces, call by call. */
  private HttpResponse compare(HttpRequest request) throws Exception {
    List<zipkin2.Span> a = spans(TraceIds.normalize(required(request, "a")));
    List<zipkin2.Span> b = spans(TraceIds.normalize(required(request, "b")));
    return HttpResponse.json(200, TraceComparison.compare(a, b));
  }

  private List<zipkin2.Span> spans(String traceId) throws Exception {
    byte[] json = find(traceId).orElseThrow(() -> new HttpException(404, "trace " + traceId + " not found"));
    return SpanBytesDecoder.JSON_V2.decodeList(json);
  }

  /** One trace as Zipkin JSON, asked of the instance that owns it. */
  Optional<byte[]> find(String traceId) throws Exception {
    return instances.askOwner(TraceStoreTopology.TRACE_STORE, traceId, Serdes.String().serializer(),
        INTERNAL + "/trace/" + traceId, () -> localTrace(traceId));
  }

  private Optional<byte[]> localTrace(String traceId) {
    return local.trace(traceId).map(trace -> SpanBytesEncoder.JSON_V2.encodeList(ZipkinSpans.of(trace)));
  }

  static byte[] encodeHits(List<LocalTraces.Hit> hits) {
    return joinLists(hits, hit -> SpanBytesEncoder.JSON_V2.encodeList(hit.spans()));
  }

  private static <T> byte[] joinLists(List<T> items, Function<T, byte[]> encode) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write('[');
    for (int i = 0; i < items.size(); i++) {
      if (i > 0) out.write(',');
      out.writeBytes(encode.apply(items.get(i)));
    }
    out.write(']');
    return out.toByteArray();
  }

  private static JsonNode readTree(byte[] json) {
    try {
      return HttpApi.JSON.readTree(json);
    } catch (IOException e) {
      throw new HttpException(502, "another instance sent unreadable JSON: " + e.getMessage());
    }
  }

  private static byte[] toJson(Object value) {
    try {
      return HttpApi.JSON.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static HttpResponse json(byte[] body) {
    return HttpResponse.of(200, HttpResponse.JSON_TYPE, body);
  }

  static String required(HttpRequest request, String name) {
    return request.query(name).filter(v -> !v.isBlank())
        .orElseThrow(() -> new HttpException(400, "query parameter " + name + " is required"));
  }

  /** Zipkin stores service and span names in lower case and lower-cases the names it is asked for. */
  static String lower(String name) {
    return name.toLowerCase(Locale.ROOT);
  }

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
