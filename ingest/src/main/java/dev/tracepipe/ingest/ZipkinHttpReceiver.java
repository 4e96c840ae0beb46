package dev.tracepipe.ingest;

import dev.tracepipe.platform.http.HttpRequest;
import dev.tracepipe.platform.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.Objects;
import zipkin2.codec.SpanBytesDecoder;

/**
 * Zipkin's span endpoint ({@code POST /api/v2/spans}): JSON v2 or proto3 by Content-Type (415 for any other), 202 when
 * accepted, with a body that says how many spans were rejected and why when some were.
 */
final class ZipkinHttpReceiver {
  static final String PATH = "/api/v2/spans";
  static final String RECEIVER = "zipkin_http";

  private final HttpIngestion ingestion;
  private final Duration retryAfter;

  ZipkinHttpReceiver(HttpIngestion ingestion, Duration retryAfter) {
    this.ingestion = Objects.requireNonNull(ingestion, "ingestion == null");
    this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter == null");
  }

  HttpResponse handle(HttpRequest request) {
    String mediaType = OtlpHttpReceiver.mediaType(request.header("Content-Type").orElse(""));
    SpanBytesDecoder decoder;
    if (OtlpHttpReceiver.PROTOBUF.equals(mediaType)) {
      decoder = SpanBytesDecoder.PROTO3;
    } else if (OtlpHttpReceiver.JSON.equals(mediaType) || mediaType.isEmpty()) {
      // As Zipkin's collector, a request without a Content-Type is read as JSON v2.
      decoder = SpanBytesDecoder.JSON_V2;
    } else {
      return HttpResponse.error(415, "unsupported Content-Type '" + mediaType + "'; use " + OtlpHttpReceiver.JSON
          + " (Zipkin JSON v2) or " + OtlpHttpReceiver.PROTOBUF + " (Zipkin proto3)");
    }
    HttpIngestion.Outcome outcome = ingestion.ingest(RECEIVER, request, body -> ZipkinDecoder.decode(body, decoder));
    if (outcome instanceof HttpIngestion.Outcome.Refused refused) {
      return HttpResponse.error(refused.status(), refused.message());
    }
    if (outcome instanceof HttpIngestion.Outcome.Unavailable unavailable) {
      HttpResponse response = HttpResponse.error(unavailable.status(), unavailable.message());
      return unavailable.status() == 500 ? response
          : response.withHeader("Retry-After", Long.toString(Math.max(1, retryAfter.toSeconds())));
    }
    return answer(((HttpIngestion.Outcome.Published) outcome).result());
  }

  /**
   * 202 when anything was accepted, 400 when every span was rejected (sending them again cannot help); either way the
   * body names the counts and reasons, since Zipkin's protocol has no partial-success message of its own.
   */
  private static HttpResponse answer(SpanIngestor.Result result) {
    if (result.rejected().isEmpty()) return HttpResponse.of(202, "text/plain", new byte[0]);
    Map<String, Integer> byReason = new TreeMap<>();
    result.rejected().forEach(r -> byReason.merge(r.reason().label(), 1, Integer::sum));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("accepted", result.accepted().size());
    body.put("rejected", result.rejected().size());
    body.put("reasons", byReason);
    body.put("error", OtlpHttpReceiver.summary(result));
    return HttpResponse.json(result.accepted().isEmpty() ? 400 : 202, body);
  }
}
