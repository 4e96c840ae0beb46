package dev.tracepipe.tracestore;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tracepipe.platform.http.HttpException;
import dev.tracepipe.platform.http.HttpRequest;
import java.util.Comparator;
import java.util.Map;
import java.util.StringJoiner;
import zipkin2.storage.QueryRequest;

/** {@code GET /api/v2/traces} parameters as Zipkin reads them, with Zipkin's defaults, and back to a query string. */
final class TraceSearchRequest {
  /** Newest trace first, by Zipkin's trace timestamp, then by trace id so that every instance orders alike. */
  static final Comparator<JsonNode> NEWEST_FIRST =
      Comparator.comparingLong(TraceSearchRequest::timestamp).reversed().thenComparing(TraceSearchRequest::traceId);

  private TraceSearchRequest() {}

  /** @param defaultEndTs endTs when the request has none (0: it must have one, as internal requests do) */
  static QueryRequest parse(HttpRequest request, long defaultEndTs) {
    try {
      QueryRequest.Builder b = QueryRequest.newBuilder()
          .serviceName(request.query("serviceName").orElse(null))
          .remoteServiceName(request.query("remoteServiceName").orElse(null))
          .spanName(request.query("spanName").orElse(null))
          .parseAnnotationQuery(request.query("annotationQuery").orElse(null))
          .minDuration(request.query("minDuration").map(v -> number("minDuration", v)).orElse(null))
          .maxDuration(request.query("maxDuration").map(v -> number("maxDuration", v)).orElse(null))
          .endTs(request.query("endTs").map(v -> number("endTs", v)).orElse(defaultEndTs))
          .lookback(request.query("lookback").map(v -> number("lookback", v))
              .orElse(ZipkinQueryApi.DEFAULT_LOOKBACK_MILLIS))
          .limit(request.query("limit").map(v -> (int) Math.min(Integer.MAX_VALUE, number("limit", v)))
              .orElse(ZipkinQueryApi.DEFAULT_LIMIT));
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new HttpException(400, e.getMessage());
    }
  }

  static String toQuery(QueryRequest q) {
    StringJoiner out = new StringJoiner("&");
    if (q.serviceName() != null) out.add("serviceName=" + ZipkinQueryApi.encode(q.serviceName()));
    if (q.remoteServiceName() != null) out.add("remoteServiceName=" + ZipkinQueryApi.encode(q.remoteServiceName()));
    if (q.spanName() != null) out.add("spanName=" + ZipkinQueryApi.encode(q.spanName()));
    if (!q.annotationQuery().isEmpty()) {
      StringJoiner annotations = new StringJoiner(" and ");
      for (Map.Entry<String, String> e : q.annotationQuery().entrySet()) {
        annotations.add(e.getValue().isEmpty() ? e.getKey() : e.getKey() + "=" + e.getValue());
      }
      out.add("annotationQuery=" + ZipkinQueryApi.encode(annotations.toString()));
    }
    if (q.minDuration() != null) out.add("minDuration=" + q.minDuration());
    if (q.maxDuration() != null) out.add("maxDuration=" + q.maxDuration());
    out.add("endTs=" + q.endTs());
    out.add("lookback=" + q.lookback());
    out.add("limit=" + q.limit());
    return out.toString();
  }

  private static long number(String name, String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new HttpException(400, name + " is not a number: " + value);
    }
  }

  /** Zipkin's trace timestamp of a JSON trace: the first root span's, else the earliest. */
  static long timestamp(JsonNode trace) {
    long timestamp = 0L;
    for (JsonNode span : trace) {
      long ts = span.path("timestamp").asLong(0L);
      if (ts == 0L) continue;
      if (!span.hasNonNull("parentId")) return ts;
      if (timestamp == 0L || timestamp > ts) timestamp = ts;
    }
    return timestamp;
  }

  private static String traceId(JsonNode trace) {
    return trace.size() == 0 ? "" : trace.get(0).path("traceId").asText();
  }
}
