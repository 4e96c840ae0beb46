package dev.tracepipe.ingest;

import dev.tracepipe.platform.http.HttpRequest;
import dev.tracepipe.platform.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import zipkin2.codec.SpanBytesDecoder;

/** Zipkin's span endpoint ({@code POST /api/v2/spans}): JSON v2 or proto3 by Content-Type, 202 when accepted. */
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
    // As Zipkin's collector: protobuf when declared, JSON v2 otherwise.
    SpanBytesDecoder decoder = OtlpHttpReceiver.PROTOBUF.equals(mediaType) ? SpanBytesDecoder.PROTO3
        : SpanBytesDecoder.JSON_V2;
    HttpIngestion.Outcome outcome = ingestion.ingest(RECEIVER, request, body -> ZipkinDecoder.decode(body, decoder));
    if (outcome instanceof HttpIngestion.Outcome.Refused refused) {
      return HttpResponse.text(refused.status(), refused.message());
    }
    if (outcome instanceof HttpIngestion.Outcome.Unavailable unavailable) {
      HttpResponse response = HttpResponse.text(unavailable.status(), unavailable.message());
      return unavailable.status() == 500 ? response
          : response.withHeader("Retry-After", Long.toString(Math.max(1, retryAfter.toSeconds())));
    }
    return HttpResponse.of(202, "text/plain", new byte[0]);
  }
}
