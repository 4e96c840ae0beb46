package dev.tracepipe.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tracepipe.aggregator.AggregatorStage;
import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanKind;
import dev.tracepipe.avro.Trace;
import dev.tracepipe.dependencies.DependencyGraphStage;
import dev.tracepipe.ingest.IngestStage;
import dev.tracepipe.latency.LatencyAlertsStage;
import dev.tracepipe.platform.DeadLetterHeaders;
import dev.tracepipe.platform.TracepipeConfig;
import dev.tracepipe.schemas.topics.Topics;
import dev.tracepipe.testkit.KafkaTestCluster;
import dev.tracepipe.testkit.TestRecords;
import dev.tracepipe.workload.Format;
import dev.tracepipe.workload.SpanSink;
import dev.tracepipe.workload.SpanSinks;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random, truncated and mutated payloads on every Kafka input topic ({@code spans}, {@code otlp_spans}, {@code zipkin},
 * {@code traces}), derived from real messages the project's own encoders wrote: every stage reads all of them to the
 * end, none of its stream threads dies, and every record that cannot be read is in the dead-letter topic.
 * {@code -Dfuzz.count=N} sets the records per topic (default 750) and {@code -Dfuzz.seed} the random seed.
 */
class InputFuzzIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final int COUNT = Integer.getInteger("fuzz.count", 750);
  private static final long SEED = Long.getLong("fuzz.seed", System.nanoTime());
  /**
   * A mutated {@code Trace} that still decodes can carry a time years ahead; the stages reading {@code traces} then
   * write records the broker refuses and their stream threads die (RELIABILITY.md, open). Until they reject such
   * traces, {@code traces} gets only mutations that cannot decode unless {@code -Dfuzz.traces.all=true}.
   */
  private static final boolean ALL_MUTATIONS_ON_TRACES = Boolean.getBoolean("fuzz.traces.all");
  private static final List<Mutation> UNDECODABLE = List.of(Mutation.RANDOM, Mutation.TRUNCATED);

  @TempDir
  Path dir;

  @Test
  void everyFuzzedInputIsReadAndEveryUnreadableOneDeadLettered() throws Exception {
    System.out.printf("fuzz: seed %d, %d records per topic%n", SEED, COUNT);
    try (KafkaTestCluster kafka = KafkaTestCluster.start()) {
      try (AllInOne pipeline = TestPipeline.start(kafka.bootstrapServers(), dir.resolve("data"), Map.of())) {
        String base = "http://localhost:" + pipeline.runner().context().http().port();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
            .until(() -> send(base + "/health").statusCode() == 200);
        Map<String, Object> serde = Map.of(TracepipeConfig.SCHEMA_REGISTRY_URL, pipeline.registryUrl());

        Map<String, List<byte[]>> seeds = seeds(kafka, serde);
        Random random = new Random(SEED);
        Map<String, Set<Long>> randomOffsets = new HashMap<>();
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer(new ByteArraySerializer(),
            new ByteArraySerializer())) {
          for (var entry : seeds.entrySet()) {
            Set<Long> offsets = new HashSet<>();
            for (int i = 0; i < COUNT; i++) {
              List<Mutation> mutations = entry.getKey().equals(Topics.TRACES.name()) && !ALL_MUTATIONS_ON_TRACES
                  ? UNDECODABLE : List.of(Mutation.values());
              Mutation mutation = mutations.get(random.nextInt(mutations.size()));
              byte[] payload = mutation.apply(entry.getValue(), random);
              // traces is compacted: every record needs a key.
              byte[] key = ("fuzz-" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
              var sent = producer.send(new ProducerRecord<>(entry.getKey(), 0, key, payload));
              if (mutation == Mutation.RANDOM) {
                offsets.add(sent.get().offset());
              }
            }
            producer.flush();
            randomOffsets.put(entry.getKey(), offsets);
          }
        }

        Map<String, List<String>> readers = Map.of(
            IngestStage.NAME, List.of(Topics.SPANS.name(), Topics.OTLP_SPANS.name(), Topics.ZIPKIN.name()),
            AggregatorStage.NAME, List.of(Topics.TRACE_FRAGMENTS.name(), Topics.CANONICAL_SPANS.name()),
            DependencyGraphStage.NAME, List.of(Topics.TRACES.name()),
            LatencyAlertsStage.NAME, List.of(Topics.TRACES.name()));
        try (Admin admin = kafka.admin()) {
          for (var reader : readers.entrySet()) {
            await().atMost(Duration.ofMinutes(3 + COUNT / 2_000)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(lag(admin, "tracepipe-" + reader.getKey(), reader.getValue()))
                    .as("records %s has not read", reader.getKey()).isZero());
          }
        }

        List<ConsumerRecord<byte[], byte[]>> dead = readAll(kafka, Topics.SPANS_DLQ.name());
        Map<String, Integer> deadByTopic = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> letter : dead) {
          deadByTopic.merge(DeadLetterHeaders.value(letter.headers(), DeadLetterHeaders.SOURCE_TOPIC) + " by "
              + DeadLetterHeaders.value(letter.headers(), DeadLetterHeaders.STAGE), 1, Integer::sum);
        }
        System.out.printf("fuzz: dead letters by source and stage: %s%n", deadByTopic);
        // Random bytes never start with the Avro wire format's magic byte here, so no stage reading traces can read
        // them: each must be a dead letter of both.
        for (String stage : List.of(DependencyGraphStage.NAME, LatencyAlertsStage.NAME)) {
          Set<Long> deadOffsets = new HashSet<>();
          dead.stream()
              .filter(r -> Topics.TRACES.name().equals(DeadLetterHeaders.value(r.headers(), DeadLetterHeaders.SOURCE_TOPIC)))
              .filter(r -> stage.equals(DeadLetterHeaders.value(r.headers(), DeadLetterHeaders.STAGE)))
              .forEach(r -> deadOffsets.add(Long.parseLong(
                  DeadLetterHeaders.value(r.headers(), DeadLetterHeaders.SOURCE_OFFSET))));
          assertThat(deadOffsets).as("random records on traces dead-lettered by %s", stage)
              .containsAll(randomOffsets.get(Topics.TRACES.name()));
        }
        for (String topic : List.of(Topics.SPANS.name(), Topics.OTLP_SPANS.name(), Topics.ZIPKIN.name())) {
          assertThat(deadByTopic.getOrDefault(topic + " by " + IngestStage.NAME, 0)).as(topic).isPositive();
        }
        HttpResponse<String> health = send(base + "/health");
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        assertThat(send(base + "/metrics").body().lines()
            .filter(l -> l.startsWith("tracepipe_stream_thread_failures_total")))
            .hasSize(Stages.ALL.size()).allMatch(l -> l.endsWith(" 0.0"));
      }
    }
  }

  /** Real messages to mutate: a few traces through the project's encoders, read back as bytes. */
  private static Map<String, List<byte[]>> seeds(KafkaTestCluster kafka, Map<String, Object> serde) throws Exception {
    List<List<Span>> traces = new ArrayList<>();
    long now = System.currentTimeMillis() * 1_000_000L;
    for (int i = 0; i < 4; i++) {
      String traceId = UUID.randomUUID().toString().replace("-", "");
      traces.add(List.of(
          span(traceId, "00000000000000a1", null, "web", SpanKind.SERVER, now),
          span(traceId, "00000000000000a2", "00000000000000a1", "web", SpanKind.CLIENT, now + 1_000_000)));
    }
    Map<String, List<byte[]>> seeds = new HashMap<>();
    for (Format format : List.of(Format.AVRO, Format.OTLP, Format.ZIPKIN)) {
      try (SpanSink sink = SpanSinks.kafka(format, kafka.bootstrapServers(), serde, Map.of())) {
        sink.send(traces);
        sink.flush();
      }
      seeds.put(format.topic().name(), values(readAll(kafka, format.topic().name())));
    }
    try (KafkaProducer<String, Trace> producer = kafka.producer(new StringSerializer(),
        Topics.TRACES.valueSerde(serde).serializer())) {
      for (List<Span> trace : traces) {
        String traceId = trace.get(0).getTraceId();
        producer.send(new ProducerRecord<>(Topics.TRACES.name(), traceId,
            Trace.newBuilder(TestRecords.trace(traceId, now, now + 9_000_000, 2)).setSpans(trace).build())).get();
      }
    }
    seeds.put(Topics.TRACES.name(), values(readAll(kafka, Topics.TRACES.name())).stream()
        .filter(v -> v.length > 0 && v[0] == 0).toList());
    seeds.values().forEach(list -> assertThat(list).isNotEmpty());
    return seeds;
  }

  private static List<byte[]> values(List<ConsumerRecord<byte[], byte[]>> records) {
    return records.stream().map(ConsumerRecord::value).filter(v -> v != null).toList();
  }

  private static long lag(Admin admin, String group, List<String> topics) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
        .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
    Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
    for (String topic : topics) {
      int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic)
          .partitions().size();
      for (int p = 0; p < partitions; p++) {
        ends.put(new TopicPartition(topic, p), OffsetSpec.latest());
      }
    }
    long lag = 0;
    for (var end : admin.listOffsets(ends).all().get(30, TimeUnit.SECONDS).entrySet()) {
      OffsetAndMetadata at = committed.get(end.getKey());
      lag += end.getValue().offset() - (at == null ? 0 : at.offset());
    }
    return lag;
  }

  private static List<ConsumerRecord<byte[], byte[]>> readAll(KafkaTestCluster kafka, String topic) {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = kafka.consumer(new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      // Until nothing more came for a few seconds: a large run leaves many dead letters to read.
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (System.nanoTime() < deadline) {
        var batch = consumer.poll(Duration.ofMillis(200));
        batch.forEach(records::add);
        if (!batch.isEmpty()) {
          deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        }
      }
    }
    return records;
  }

  private static Span span(String traceId, String spanId, String parent, String service, SpanKind kind,
      long startNanos) {
    return Span.newBuilder().setTraceId(traceId).setSpanId(spanId).setParentSpanId(parent).setService(service)
        .setName(kind == SpanKind.CLIENT ? "charge" : "GET /cart").setKind(kind).setStartTimeNanos(startNanos)
        .setDurationNanos(5_000_000).build();
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
