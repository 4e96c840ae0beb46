package dev.tracepipe.ingest;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.tracepipe.platform.http.HttpRequest;
import dev.tracepipe.platform.http.HttpResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** OTLP/HTTP trace receiver ({@code POST /v1/traces}), answering as the OTLP specification requires. */
final class OtlpHttpReceiver {
  static final String PATH = "/v1/traces";
  static final String PROTOBUF = "application/x-protobuf";
  static final String JSON = "application/json";
  static final String RECEIVER = "otlp_http";

  private final HttpIngestion ingestion;
  private final Duration retryAfter;

  OtlpHttpReceiver(HttpIngestion ingestion, Duration retryAfter) {
    this.ingestion = Objects.requireNonNull(ingestion, "ingestion == null");
    this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter == null");
  }

  HttpResponse handle(HttpRequest request) {
    String mediaType = mediaType(request.header("Content-Type").orElse(""));
    InputFormat format;
    if (PROTOBUF.equals(mediaType)) {
      format = InputFormat.OTLP_PROTO;
    } else if (JSON.equals(mediaType)) {
      format = InputFormat.OTLP_JSON;
    } else {
      return status(415, RpcStatus.INVALID_ARGUMENT, "unsupported Content-Type '" + mediaType + "'; use "
          + PROTOBUF + " or " + JSON, InputFormat.OTLP_PROTO);
    }
    HttpIngestion.Outcome outcome = ingestion.ingest(RECEIVER, request, body -> OtlpDecoder.decode(body, format));
    if (outcome instanceof HttpIngestion.Outcome.Refused refused) {
      return status(refused.status(), RpcStatus.INVALID_ARGUMENT, refused.message(), format);
    }
    if (outcome instanceof HttpIngestion.Outcome.Unavailable unavailable) {
      HttpResponse response = status(unavailable.status(), RpcStatus.forHttp(unavailable.status()),
          unavailable.message(), format);
      return unavailable.status() == 500 ? response
          : response.withHeader("Retry-After", Long.toString(Math.max(1, retryAfter.toSeconds())));
    }
    return success(((HttpIngestion.Outcome.Published) outcome).result(), format);
  }

  /** 200 with an empty response, or with partial_success naming how many spans were rejected and why. */
  private static HttpResponse success(SpanIngestor.Result result, InputFormat format) {
    ExportTraceServiceResponse.Builder response = ExportTraceServiceResponse.newBuilder();
    if (!result.rejected().isEmpty()) {
      response.setPartialSuccess(ExportTracePartialSuccess.newBuilder()
          .setRejectedSpans(result.rejected().size())
          .setErrorMessage(summary(result)));
    }
    if (format == InputFormat.OTLP_JSON) {
      try {
        return HttpResponse.of(200, JSON,
            JsonFormat.printer().print(response.build()).getBytes(StandardCharsets.UTF_8));
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalStateException("cannot print an ExportTraceServiceResponse as JSON", e);
      }
    }
    return HttpResponse.of(200, PROTOBUF, response.build().toByteArray());
  }

  static String summary(SpanIngestor.Result result) {
    Map<String, Integer> byReason = new TreeMap<>();
    result.rejected().forEach(r -> byReason.merge(r.reason().label(), 1, Integer::sum));
    return result.rejected().size() + " span(s) rejected " + byReason + "; first: " + result.rejected().get(0).detail();
  }

  /**
   * The server's own errors (401, 404, 405, 413, 503 when busy) as OTLP requires them: a google.rpc.Status in the
   * request's encoding, protobuf unless the request was JSON.
   */
  static HttpResponse errorBody(int httpStatus, String reason, String requestContentType) {
    InputFormat format = JSON.equals(mediaType(requestContentType == null ? "" : requestContentType))
        ? InputFormat.OTLP_JSON : InputFormat.OTLP_PROTO;
    return status(httpStatus, RpcStatus.forHttp(httpStatus), reason, format);
  }

  private static HttpResponse status(int httpStatus, int rpcCode, String message, InputFormat format) {
    return format == InputFormat.OTLP_JSON
        ? HttpResponse.of(httpStatus, JSON, RpcStatus.json(rpcCode, message))
        : HttpResponse.of(httpStatus, PROTOBUF, RpcStatus.protobuf(rpcCode, message));
  }

  static String mediaType(String contentType) {
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
  }
}
