package dev.tracepipe.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tracepipe.aggregator.AggregatorStage;
import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanKind;
import dev.tracepipe.dependencies.DependencyGraphStage;
import dev.tracepipe.ingest.IngestStage;
import dev.tracepipe.latency.LatencyAlertsStage;
import dev.tracepipe.platform.DeadLetterHeaders;
import dev.tracepipe.platform.TracepipeConfig;
import dev.tracepipe.platform.http.HttpApi;
import dev.tracepipe.schemas.topics.Topics;
import dev.tracepipe.testkit.KafkaTestCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two unreadable records on every topic a stage reads: each becomes a dead letter naming its stage and source, no
 * stream thread dies, {@code /health} stays up, and the good spans written after them are still assembled and counted.
 */
class PoisonRecordsIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  /** Not Avro, and Avro framing with a schema id the registry never issued. */
  private static final List<byte[]> POISON = List.of("{not a span at all".getBytes(StandardCharsets.UTF_8),
      new byte[] {0, 0, 0, 0x7f, 0x7f, 1, 2, 3});
  private static final List<String> TOPICS = List.of(Topics.SPANS.name(), Topics.OTLP_SPANS.name(),
      Topics.ZIPKIN.name(), Topics.TRACE_FRAGMENTS.name(), Topics.CANONICAL_SPANS.name(), Topics.TRACES.name());

  @TempDir
  Path dir;

  @Test
  void unreadableRecordsOnEveryInputBecomeDeadLettersAndTheStagesGoOn() throws Exception {
    try (KafkaTestCluster kafka = KafkaTestCluster.start()) {
      try (AllInOne pipeline = TestPipeline.start(kafka.bootstrapServers(), dir.resolve("data"), Map.of())) {
        String base = "http://localhost:" + pipeline.runner().context().http().port();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
            .until(() -> send(base + "/health").statusCode() == 200);

        try (KafkaProducer<byte[], byte[]> producer = kafka.producer(new ByteArraySerializer(),
            new ByteArraySerializer())) {
          for (String topic : TOPICS) {
            for (byte[] poison : POISON) {
              producer.send(new ProducerRecord<>(topic, "poison".getBytes(StandardCharsets.UTF_8), poison)).get();
            }
          }
        }
        long now = System.currentTimeMillis();
        int traces = 5;
        Map<String, Object> serde = Map.of(TracepipeConfig.SCHEMA_REGISTRY_URL, pipeline.registryUrl());
        try (KafkaProducer<String, Span> producer = kafka.producer(new StringSerializer(),
            Topics.SPANS.valueSerde(serde).serializer())) {
          for (int i = 0; i < traces; i++) {
            String traceId = UUID.randomUUID().toString().replace("-", "");
            producer.send(new ProducerRecord<>(Topics.SPANS.name(), traceId, span(traceId, "00000000000000a1", null,
                "web", SpanKind.SERVER, now))).get();
            producer.send(new ProducerRecord<>(Topics.SPANS.name(), traceId, span(traceId, "00000000000000a2",
                "00000000000000a1", "web", SpanKind.CLIENT, now))).get();
            producer.send(new ProducerRecord<>(Topics.SPANS.name(), traceId, span(traceId, "00000000000000a3",
                "00000000000000a2", "payments", SpanKind.SERVER, now))).get();
          }
        }

        String query = base + "/api/v2/dependencies?endTs=" + (now + 600_000) + "&lookback=3600000";
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
          JsonNode links = HttpApi.JSON.readTree(send(query).body());
          assertThat(links.toString()).contains("\"parent\":\"web\"", "\"child\":\"payments\"");
          assertThat(links.findValues("callCount").stream().mapToLong(JsonNode::asLong).sum()).isEqualTo(traces);
        });

        List<ConsumerRecord<byte[], byte[]>> dead = new ArrayList<>();
        Map<String, Set<String>> expected = Map.of(
            Topics.SPANS.name(), Set.of(IngestStage.NAME), Topics.OTLP_SPANS.name(), Set.of(IngestStage.NAME),
            Topics.ZIPKIN.name(), Set.of(IngestStage.NAME), Topics.TRACE_FRAGMENTS.name(), Set.of(AggregatorStage.NAME),
            Topics.CANONICAL_SPANS.name(), Set.of(AggregatorStage.NAME),
            Topics.TRACES.name(), Set.of(DependencyGraphStage.NAME, LatencyAlertsStage.NAME));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
          dead.clear();
          dead.addAll(readAll(kafka, Topics.SPANS_DLQ.name()));
          for (var entry : expected.entrySet()) {
            for (String stage : entry.getValue()) {
              List<ConsumerRecord<byte[], byte[]>> letters = dead.stream()
                  .filter(r -> entry.getKey().equals(DeadLetterHeaders.value(r.headers(), DeadLetterHeaders.SOURCE_TOPIC)))
                  .filter(r -> stage.equals(DeadLetterHeaders.value(r.headers(), DeadLetterHeaders.STAGE)))
                  .toList();
              assertThat(letters).as("dead letters of %s from %s", stage, entry.getKey()).hasSize(POISON.size());
              for (ConsumerRecord<byte[], byte[]> letter : letters) {
                assertThat(POISON).anyMatch(p -> Arrays.equals(p, letter.value()));
                assertThat(DeadLetterHeaders.value(letter.headers(), DeadLetterHeaders.REASON)).isNotBlank();
                assertThat(DeadLetterHeaders.value(letter.headers(), DeadLetterHeaders.SOURCE_OFFSET)).isNotBlank();
              }
            }
          }
        });

        HttpResponse<String> health = send(base + "/health");
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        String metrics = send(base + "/metrics").body();
        assertThat(metrics.lines().filter(l -> l.startsWith("tracepipe_stream_thread_failures_total")))
            .as("every stage's failure counter").hasSize(Stages.ALL.size()).allMatch(l -> l.endsWith(" 0.0"));
      }
    }
  }

  private static List<ConsumerRecord<byte[], byte[]>> readAll(KafkaTestCluster kafka, String topic) {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = kafka.consumer(new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }

  private static Span span(String traceId, String spanId, String parent, String service, SpanKind kind, long nowMs) {
    return Span.newBuilder().setTraceId(traceId).setSpanId(spanId).setParentSpanId(parent).setService(service)
        .setName(kind == SpanKind.CLIENT ? "charge" : "POST /checkout").setKind(kind)
        .setStartTimeNanos(nowMs * 1_000_000L).setDurationNanos(5_000_000).build();
  }

  private static HttpResponse<String> send(String url) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(url + ": " + e, e);
    }
  }
}
