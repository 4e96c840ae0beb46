package dev.tracepipe.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.util.JsonFormat;
import dev.tracepipe.platform.http.HttpRequest;
import dev.tracepipe.platform.http.HttpResponse;
import dev.tracepipe.avro.TraceFragment;
import dev.tracepipe.schemas.serde.AvroSerde;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.producer.BufferExhaustedException;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * Status mapping of the receivers. Kafka is the client library's MockProducer here, to force buffer-full and timeout
 * failures on demand; the integration tests run the same receivers against a real broker.
 */
class HttpReceiversTest {
  private static final Map<String, String> SERDE = Map.of("schema.registry.url", "mock://http-receivers-test");
  private final MockProducer<byte[], byte[]> producer =
      new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final HttpIngestion ingestion = new HttpIngestion(
      new SpanIngestor(new SpanValidator(IngestLimits.DEFAULTS), new IngestMetrics(meters)),
      new SpanPublisher(producer, "canonical", "dlq", AvroSerde.specific(TraceFragment.class).configured(SERDE, false),
          Duration.ofSeconds(1)),
      64 * 1024, meters);
  private final OtlpHttpReceiver otlp = new OtlpHttpReceiver(ingestion, Duration.ofSeconds(7));
  private final ZipkinHttpReceiver zipkin = new ZipkinHttpReceiver(ingestion, Duration.ofSeconds(7));

  private static HttpRequest post(String path, String contentType, byte[] body, String encoding) {
    Map<String, String> headers = encoding == null ? Map.of("Content-Type", contentType)
        : Map.of("Content-Type", contentType, "Content-Encoding", encoding);
    return HttpRequest.of("POST", path, Map.of(), Map.of(), headers, body);
  }

  private static byte[] currentRequest(io.opentelemetry.proto.trace.v1.Span... spans) {
    return Fixtures.otlpRequest("cart", spans).toByteArray();
  }

  private static io.opentelemetry.proto.trace.v1.Span spanNow() {
    long now = System.currentTimeMillis() * 1_000_000L;
    return Fixtures.otlpSpan().setStartTimeUnixNano(now).setEndTimeUnixNano(now + 1000).build();
  }

  @Test
  void protobufRequestIsWrittenAndAnsweredWithAnEmptyResponse() throws Exception {
    HttpResponse response = otlp.handle(post("/v1/traces", "application/x-protobuf", currentRequest(spanNow()), null));
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.contentType()).isEqualTo("application/x-protobuf");
    assertThat(ExportTraceServiceResponse.parseFrom(response.body()).hasPartialSuccess()).isFalse();
    assertThat(producer.history()).singleElement().satisfies(r -> {
      assertThat(r.topic()).isEqualTo("canonical");
      assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(Fixtures.TRACE_ID);
    });
  }

  @Test
  void gzippedJsonRequestIsAccepted() throws Exception {
    String json = JsonFormat.printer().print(Fixtures.otlpRequest("cart", spanNow()));
    HttpResponse response = otlp.handle(post("/v1/traces", "application/json; charset=utf-8",
        gzip(json.getBytes(StandardCharsets.UTF_8)), "gzip"));
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.contentType()).isEqualTo("application/json");
    assertThat(producer.history()).hasSize(1);
  }

  @Test
  void someInvalidSpansGiveAPartialSuccessWithTheRejectedCount() throws Exception {
    io.opentelemetry.proto.trace.v1.Span negative = spanNow().toBuilder().setEndTimeUnixNano(1).build();
    HttpResponse response = otlp.handle(post("/v1/traces", "application/x-protobuf",
        currentRequest(spanNow(), negative, negative), null));
    assertThat(response.status()).isEqualTo(200);
    ExportTraceServiceResponse body = ExportTraceServiceResponse.parseFrom(response.body());
    assertThat(body.getPartialSuccess().getRejectedSpans()).isEqualTo(2);
    assertThat(body.getPartialSuccess().getErrorMessage()).contains("negative_duration=2");
    assertThat(producer.history()).extracting(r -> r.topic()).containsExactly("canonical", "dlq", "dlq");
    assertThat(DeadLetterHeaders.value(producer.history().get(1).headers(), DeadLetterHeaders.SOURCE_CLIENT))
        .isEqualTo("test");
  }

  @Test
  void malformedProtobufIsA400WithAStatusBodyAndADeadLetter() throws Exception {
    byte[] truncated = java.util.Arrays.copyOf(currentRequest(spanNow()), 20);
    HttpResponse response = otlp.handle(post("/v1/traces", "application/x-protobuf", truncated, null));
    assertThat(response.status()).isEqualTo(400);
    CodedInputStream status = CodedInputStream.newInstance(response.body());
    assertThat(status.readTag()).isEqualTo(8);
    assertThat(status.readInt32()).isEqualTo(RpcStatus.INVALID_ARGUMENT);
    assertThat(status.readTag()).isEqualTo(18);
    assertThat(status.readString()).contains("not an OTLP protobuf trace request");
    assertThat(producer.history()).singleElement().satisfies(r -> {
      assertThat(r.topic()).isEqualTo("dlq");
      assertThat(r.value()).isEqualTo(truncated);
      assertThat(DeadLetterHeaders.value(r.headers(), DeadLetterHeaders.REASON)).isEqualTo("undecodable");
    });
  }

  @Test
  void malformedJsonIsA400WithAJsonStatus() throws Exception {
    HttpResponse response = otlp.handle(post("/v1/traces", "application/json", "{oops".getBytes(), null));
    assertThat(response.status()).isEqualTo(400);
    assertThat(OtlpJson.MAPPER.readTree(response.body()).get("code").asInt()).isEqualTo(RpcStatus.INVALID_ARGUMENT);
  }

  @Test
  void bodyLargerThanTheLimitAfterDecompressionIs413() throws Exception {
    byte[] zeros = new byte[64 * 1024 + 1];
    HttpResponse response = otlp.handle(post("/v1/traces", "application/x-protobuf", gzip(zeros), "gzip"));
    assertThat(response.status()).isEqualTo(413);
    assertThat(producer.history()).isEmpty();
  }

  @Test
  void unsupportedContentTypeIs415() {
    assertThat(otlp.handle(post("/v1/traces", "text/plain", new byte[] {1}, null)).status()).isEqualTo(415);
  }

  @Test
  void fullProducerBufferIs429WithRetryAfter() {
    producer.sendException = new BufferExhaustedException("full");
    HttpResponse response = otlp.handle(post("/v1/traces", "application/x-protobuf", currentRequest(spanNow()), null));
    assertThat(response.status()).isEqualTo(429);
    assertThat(response.headers()).containsEntry("Retry-After", "7");
  }

  @Test
  void unreachableKafkaIs503WithRetryAfter() {
    producer.sendException = new TimeoutException("metadata not available");
    HttpResponse response = zipkin.handle(post("/api/v2/spans", "application/json",
        TestData.bytes("zipkin/skew.json"), null));
    assertThat(response.status()).isEqualTo(503);
    assertThat(response.headers()).containsEntry("Retry-After", "7");
  }

  @Test
  void zipkinJsonIsAnswered202AndSpansWrittenOneRecordEach() {
    String span = "{\"traceId\":\"463ac35c9f6413ad\",\"id\":\"0000000000000001\",\"timestamp\":"
        + System.currentTimeMillis() * 1000 + ",\"duration\":10,\"localEndpoint\":{\"serviceName\":\"cart\"}}";
    HttpResponse response = zipkin.handle(post("/api/v2/spans", "application/json",
        ("[" + span + "]").getBytes(StandardCharsets.UTF_8), null));
    assertThat(response.status()).isEqualTo(202);
    assertThat(producer.history()).singleElement()
        .satisfies(r -> assertThat(new String(r.key(), StandardCharsets.UTF_8))
            .isEqualTo("0000000000000000463ac35c9f6413ad"));
  }

  @Test
  void zipkinGarbageIs400() {
    HttpResponse response = zipkin.handle(post("/api/v2/spans", "application/x-protobuf", new byte[] {1, 2, 3}, null));
    assertThat(response.status()).isEqualTo(400);
    assertThat(meters.get(HttpIngestion.REQUESTS).tags("receiver", "zipkin_http", "status", "400").counter().count())
        .isEqualTo(1.0);
  }

  private static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
      zip.write(bytes);
    }
    return out.toByteArray();
  }
}
