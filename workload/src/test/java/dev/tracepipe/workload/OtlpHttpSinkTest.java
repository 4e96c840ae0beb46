package dev.tracepipe.workload;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.tracepipe.avro.Span;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Posts to a real HTTP server on the loopback interface. */
class OtlpHttpSinkTest {
  private HttpServer server;
  private final List<ExportTraceServiceRequest> received = new CopyOnWriteArrayList<>();
  private final List<String> contentTypes = new CopyOnWriteArrayList<>();
  private final AtomicInteger status = new AtomicInteger(200);
  private final AtomicReference<byte[]> responseBody = new AtomicReference<>(new byte[0]);

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v1/traces", exchange -> {
      received.add(ExportTraceServiceRequest.parseFrom(exchange.getRequestBody().readAllBytes()));
      contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
      byte[] body = responseBody.get();
      exchange.sendResponseHeaders(status.get(), body.length == 0 ? -1 : body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private OtlpHttpSink sink() {
    return new OtlpHttpSink(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"),
        Duration.ofSeconds(5));
  }

  @Test
  void postsProtobufInBatchesOfAtMost512Spans() {
    List<List<Span>> traces = TraceFixtures.traces(new SimulatedSystem(8), "GET /catalog/items", 40);
    traces.add(new SimulatedSystem(8).nextTrace("POST /admin/reindex", TraceFixtures.T0));
    long total = traces.stream().mapToLong(List::size).sum();
    try (OtlpHttpSink sink = sink()) {
      assertThat(sink.endpoint().getPath()).isEqualTo("/v1/traces");
      sink.send(traces);
      assertThat(sink.failedSpans()).isZero();
    }
    List<Long> perRequest = received.stream().map(OtlpHttpSinkTest::spanCount).toList();
    assertThat(perRequest).allSatisfy(n -> assertThat(n).isBetween(1L, 512L));
    assertThat(perRequest.stream().mapToLong(Long::longValue).sum()).isEqualTo(total);
    assertThat(contentTypes).containsOnly("application/x-protobuf");
  }

  @Test
  void countsEverySpanOfARefusedRequestAsLost() {
    status.set(503);
    List<List<Span>> traces = TraceFixtures.traces(new SimulatedSystem(9), "GET /cart", 5);
    try (OtlpHttpSink sink = sink()) {
      sink.send(traces);
      assertThat(sink.failedSpans()).isEqualTo(traces.stream().mapToLong(List::size).sum());
    }
  }

  @Test
  void countsTheRejectedSpansOfAPartialSuccess() {
    responseBody.set(ExportTraceServiceResponse.newBuilder()
        .setPartialSuccess(ExportTracePartialSuccess.newBuilder().setRejectedSpans(3).setErrorMessage("too old"))
        .build().toByteArray());
    try (OtlpHttpSink sink = sink()) {
      sink.send(TraceFixtures.traces(new SimulatedSystem(9), "GET /cart", 5));
      assertThat(sink.failedSpans()).isEqualTo(3);
    }
  }

  @Test
  void countsSpansLostToAnUnreachableReceiver() {
    int port = server.getAddress().getPort();
    server.stop(0);
    List<List<Span>> traces = TraceFixtures.traces(new SimulatedSystem(9), "GET /images", 3);
    try (OtlpHttpSink sink = new OtlpHttpSink(URI.create("http://127.0.0.1:" + port), Duration.ofSeconds(2))) {
      sink.send(traces);
      assertThat(sink.failedSpans()).isEqualTo(traces.stream().mapToLong(List::size).sum());
    }
  }

  private static long spanCount(ExportTraceServiceRequest request) {
    return request.getResourceSpansList().stream().flatMap(r -> r.getScopeSpansList().stream())
        .mapToLong(s -> s.getSpansCount()).sum();
  }
}
