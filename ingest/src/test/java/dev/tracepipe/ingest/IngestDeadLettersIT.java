package dev.tracepipe.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.tracepipe.avro.Span;
import dev.tracepipe.platform.TracepipeConfig;
import dev.tracepipe.platform.http.HttpRequest;
import dev.tracepipe.platform.http.HttpResponse;
import dev.tracepipe.schemas.topics.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Ingest against a real broker and registry, fed what it must turn away: unreadable and invalid records on every input
 * topic become dead letters with their reason, bad HTTP requests get their status, an unreachable Kafka a 503.
 */
class IngestDeadLettersIT {
  private static final long MAX_BODY = 256 * 1024;

  private static ReceiverCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    cluster = new ReceiverCluster(Map.of(IngestSettings.MAX_BODY_BYTES.key(),
        Long.toString(MAX_BODY)));
  }

  @AfterAll
  static void stop() {
    if (cluster != null) cluster.close();
  }

  @Test
  void poisonMessagesGoToTheDeadLetterTopicWithReasonsAndGoodOnesStillComeThrough() throws Exception {
    long now = System.currentTimeMillis() * 1_000_000L;
    byte[] randomBytes = new byte[300];
    new Random().nextBytes(randomBytes);
    randomBytes[0] = (byte) 0xff; // neither '{' nor a protobuf field 1, so never read as a batch
    byte[] whole = Fixtures.otlpRequest("cart", span(ReceiverCluster.randomHex(16), ReceiverCluster.randomHex(8), now)).toByteArray();
    byte[] truncated = java.util.Arrays.copyOf(whole, whole.length - 10);
    byte[] invalidJson = "{\"resourceSpans\":[{".getBytes(StandardCharsets.UTF_8);
    byte[] zeroIds = Fixtures.otlpRequest("cart", span("00".repeat(16), ReceiverCluster.randomHex(8), now)).toByteArray();
    String negativeTrace = ReceiverCluster.randomHex(16);
    byte[] negative = Fixtures.otlpRequest("cart",
        span(negativeTrace, ReceiverCluster.randomHex(8), now).toBuilder().setEndTimeUnixNano(now - 1).build()).toByteArray();
    byte[] zipkinNegative = ("[{\"traceId\":\"" + ReceiverCluster.randomHex(8) + "\",\"id\":\"" + ReceiverCluster.randomHex(8) + "\",\"timestamp\":"
        + now / 1000 + ",\"duration\":-3}]").getBytes(StandardCharsets.UTF_8);

    Map<String, String> expected = new java.util.LinkedHashMap<>();
    expected.put(offsetOf(cluster.send(Topics.SPANS.name(), randomBytes)), "undecodable");
    expected.put(offsetOf(cluster.send(Topics.OTLP_SPANS.name(), randomBytes)), "undecodable");
    expected.put(offsetOf(cluster.send(Topics.ZIPKIN.name(), randomBytes)), "undecodable");
    expected.put(offsetOf(cluster.send(Topics.OTLP_SPANS.name(), truncated)), "undecodable");
    expected.put(offsetOf(cluster.send(Topics.OTLP_SPANS.name(), invalidJson)), "undecodable");
    expected.put(offsetOf(cluster.send(Topics.ZIPKIN.name(), invalidJson)), "undecodable");
    expected.put(offsetOf(cluster.send(Topics.OTLP_SPANS.name(), zeroIds)), "invalid_trace_id");
    expected.put(offsetOf(cluster.send(Topics.OTLP_SPANS.name(), negative)), "negative_duration");
    expected.put(offsetOf(cluster.send(Topics.ZIPKIN.name(), zipkinNegative)), "negative_duration");
    // Larger than a producer's default 1 MiB request: the dead letter must still be written whole.
    byte[] big = new byte[3 * 1024 * 1024];
    new Random().nextBytes(big);
    big[0] = (byte) 0xff;
    expected.put(offsetOf(cluster.send(Topics.ZIPKIN.name(), big)), "undecodable");
    String good = ReceiverCluster.randomHex(16);
    cluster.send(Topics.OTLP_SPANS.name(), Fixtures.otlpRequest("cart", span(good, ReceiverCluster.randomHex(8), now)).toByteArray());

    List<ConsumerRecord<byte[], byte[]>> letters = cluster.read(Topics.SPANS_DLQ.name(), new ByteArrayDeserializer(),
        r -> expected.containsKey(sourceOf(r)), expected.size());
    assertThat(letters).hasSize(expected.size());
    for (ConsumerRecord<byte[], byte[]> letter : letters) {
      assertThat(DeadLetterHeaders.value(letter.headers(), DeadLetterHeaders.REASON))
          .as(sourceOf(letter) + ": " + DeadLetterHeaders.value(letter.headers(), DeadLetterHeaders.DETAIL))
          .isEqualTo(expected.get(sourceOf(letter)));
    }
    ConsumerRecord<byte[], byte[]> undecodable = letters.stream()
        .filter(r -> sourceOf(r).startsWith(Topics.OTLP_SPANS.name()))
        .filter(r -> java.util.Arrays.equals(r.value(), truncated)).findFirst().orElseThrow();
    assertThat(DeadLetterHeaders.value(undecodable.headers(), DeadLetterHeaders.FORMAT)).isEqualTo("otlp_proto");
    ConsumerRecord<byte[], byte[]> negativeLetter = letters.stream()
        .filter(r -> "negative_duration".equals(DeadLetterHeaders.value(r.headers(), DeadLetterHeaders.REASON)))
        .filter(r -> r.key() != null && new String(r.key(), StandardCharsets.UTF_8).equals(negativeTrace))
        .findFirst().orElseThrow();
    assertThat(negativeLetter.value()).isEqualTo(negative);
    assertThat(letters).anySatisfy(r -> assertThat(r.value()).isEqualTo(big));
    assertThat(cluster.canonical(r -> r.key().equals(good), 1)).hasSize(1);
  }

  @Test
  void httpReceiversAnswerBadRequestsWithTheirStatusAndKeepServing() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String otlpUrl = "http://localhost:" + cluster.ingest.otlpPort() + "/v1/traces";
    var tooBig = http.send(post(otlpUrl, "application/x-protobuf", new byte[(int) MAX_BODY + 1]),
        java.net.http.HttpResponse.BodyHandlers.ofByteArray());
    assertThat(tooBig.statusCode()).isEqualTo(413);
    byte[] garbage = "not protobuf at all, just text".getBytes(StandardCharsets.UTF_8);
    var malformed = http.send(post(otlpUrl, "application/x-protobuf", garbage),
        java.net.http.HttpResponse.BodyHandlers.ofByteArray());
    assertThat(malformed.statusCode()).isEqualTo(400);
    var zipkinMalformed = http.send(post("http://localhost:" + cluster.ingest.zipkinPort() + "/api/v2/spans",
        "application/json", "[{]".getBytes(StandardCharsets.UTF_8)), java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(zipkinMalformed.statusCode()).isEqualTo(400);

    String good = ReceiverCluster.randomHex(16);
    long now = System.currentTimeMillis() * 1_000_000L;
    var ok = http.send(post(otlpUrl, "application/x-protobuf",
        Fixtures.otlpRequest("cart", span(good, ReceiverCluster.randomHex(8), now)).toByteArray()),
        java.net.http.HttpResponse.BodyHandlers.ofByteArray());
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(cluster.canonical(r -> r.key().equals(good), 1)).hasSize(1);
    List<ConsumerRecord<byte[], byte[]>> letters = cluster.read(Topics.SPANS_DLQ.name(), new ByteArrayDeserializer(),
        r -> java.util.Arrays.equals(r.value(), garbage), 1);
    assertThat(letters).singleElement().satisfies(r -> {
      assertThat(DeadLetterHeaders.value(r.headers(), DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo("http:/v1/traces");
      assertThat(DeadLetterHeaders.value(r.headers(), DeadLetterHeaders.SOURCE_CLIENT)).contains("127.0.0.1");
    });
  }

  @Test
  void unreachableKafkaMakesTheReceiverAnswer503WithRetryAfter() {
    TracepipeConfig config = TracepipeConfig.of(Map.of(TracepipeConfig.BOOTSTRAP_SERVERS, "127.0.0.1:1",
        IngestSettings.PRODUCER_MAX_BLOCK.key(), "300ms"));
    IngestSettings settings = IngestSettings.from(config);
    try (SpanPublisher publisher = IngestStage.publisher(config, cluster.serdeConfig(), settings)) {
      SimpleMeterRegistry meters = new SimpleMeterRegistry();
      OtlpHttpReceiver receiver = new OtlpHttpReceiver(new HttpIngestion(
          new SpanIngestor(new SpanValidator(settings.limits()), new IngestMetrics(meters)), publisher, MAX_BODY,
          meters), Duration.ofSeconds(3));
      long now = System.currentTimeMillis() * 1_000_000L;
      HttpResponse response = receiver.handle(HttpRequest.of("POST", "/v1/traces", Map.of(), Map.of(),
          Map.of("Content-Type", "application/x-protobuf"),
          Fixtures.otlpRequest("cart", span(ReceiverCluster.randomHex(16), ReceiverCluster.randomHex(8), now)).toByteArray()));
      assertThat(response.status()).isEqualTo(503);
      assertThat(response.headers()).containsEntry("Retry-After", "3");
    }
  }


  private static io.opentelemetry.proto.trace.v1.Span span(String traceId, String spanId, long startNanos) {
    return Fixtures.otlpSpan().setTraceId(ByteString.copyFrom(HexFormat.of().parseHex(traceId)))
        .setSpanId(ByteString.copyFrom(HexFormat.of().parseHex(spanId))).clearParentSpanId()
        .setStartTimeUnixNano(startNanos).setEndTimeUnixNano(startNanos + 1000).build();
  }

  private static java.net.http.HttpRequest post(String url, String contentType, byte[] body) {
    return java.net.http.HttpRequest.newBuilder(URI.create(url)).header("Content-Type", contentType)
        .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)).build();
  }

  private static String offsetOf(RecordMetadata meta) {
    return meta.topic() + "/" + meta.partition() + "/" + meta.offset();
  }

  private static String sourceOf(ConsumerRecord<?, ?> letter) {
    return DeadLetterHeaders.value(letter.headers(), DeadLetterHeaders.SOURCE_TOPIC) + "/"
        + DeadLetterHeaders.value(letter.headers(), DeadLetterHeaders.SOURCE_PARTITION) + "/"
        + DeadLetterHeaders.value(letter.headers(), DeadLetterHeaders.SOURCE_OFFSET);
  }
}
