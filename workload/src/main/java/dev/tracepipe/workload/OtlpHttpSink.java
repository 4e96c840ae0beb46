package dev.tracepipe.workload;

import dev.tracepipe.avro.Span;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs OTLP protobuf to {@code /v1/traces} as an SDK's batch span processor does: at most 512 spans a request,
 * failures logged and counted, rejected spans of a partial success counted as lost.
 */
final class OtlpHttpSink implements SpanSink {
  private static final Logger LOG = LoggerFactory.getLogger(OtlpHttpSink.class);
  /** The SDK's default maximum export batch size. */
  static final int MAX_SPANS_PER_REQUEST = 512;
  private static final long FAILURES_LOGGED_IN_FULL = 10;

  private final HttpClient client;
  private final URI endpoint;
  private final Duration timeout;
  private final BatchEncoder encoder = BatchEncoder.otlp(MAX_SPANS_PER_REQUEST);
  private final LongAdder failedSpans = new LongAdder();
  private final AtomicLong failedRequests = new AtomicLong();

  /** @param baseUrl e.g. {@code http://localhost:4318}; a URL already ending in /v1/traces is used as it is */
  OtlpHttpSink(URI baseUrl, Duration timeout) {
    String url = baseUrl.toString();
    this.endpoint = URI.create(url.endsWith("/v1/traces") ? url : url.replaceAll("/+$", "") + "/v1/traces");
    this.timeout = timeout;
    this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  URI endpoint() {
    return endpoint;
  }

  @Override
  public void send(List<List<Span>> traces) {
    for (BatchEncoder.Message message : encoder.encode(traces)) {
      post(message);
    }
  }

  private void post(BatchEncoder.Message message) {
    HttpRequest request = HttpRequest.newBuilder(endpoint)
        .timeout(timeout)
        .header("Content-Type", "application/x-protobuf")
        .POST(HttpRequest.BodyPublishers.ofByteArray(message.value()))
        .build();
    try {
      HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() / 100 != 2) {
        failed(message.spanCount(), "HTTP " + response.statusCode() + ": "
            + new String(response.body(), StandardCharsets.UTF_8), null);
        return;
      }
      long rejected = rejectedSpans(response.body());
      if (rejected > 0) {
        failed((int) rejected, "partial success, " + rejected + " of " + message.spanCount() + " spans rejected",
            null);
      }
    } catch (IOException e) {
      failed(message.spanCount(), e.toString(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failed(message.spanCount(), "interrupted", e);
    }
  }

  private long rejectedSpans(byte[] body) {
    if (body.length == 0) {
      return 0;
    }
    try {
      ExportTraceServiceResponse response = ExportTraceServiceResponse.parseFrom(body);
      return response.hasPartialSuccess() ? response.getPartialSuccess().getRejectedSpans() : 0;
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      LOG.warn("{} answered 2xx with a body that is no ExportTraceServiceResponse: {}", endpoint, e.getMessage());
      return 0;
    }
  }

  @Override
  public void flush() {
    // Requests are synchronous: everything handed over has been answered.
  }

  @Override
  public long failedSpans() {
    return failedSpans.sum();
  }

  @Override
  public void close() {
    // The JDK client holds no resources that outlive its requests on Java 17.
  }

  private void failed(int spans, String reason, Exception error) {
    failedSpans.add(spans);
    long count = failedRequests.incrementAndGet();
    if (count <= FAILURES_LOGGED_IN_FULL || count % 1000 == 0) {
      LOG.error("lost {} spans posting to {}: {} ({} failed requests so far)", spans, endpoint, reason, count, error);
    }
  }

  @Override
  public String toString() {
    return "OTLP/HTTP " + endpoint;
  }
}
