package dev.tracepipe.ingest;

import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.TraceFragment;
import dev.tracepipe.platform.StageRunner;
import dev.tracepipe.platform.TracepipeConfig;
import dev.tracepipe.registry.EmbeddedSchemaRegistry;
import dev.tracepipe.schemas.serde.AvroSerde;
import dev.tracepipe.schemas.topics.Topics;
import dev.tracepipe.testkit.KafkaTestCluster;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** A real broker and registry with ingest running on them, for the receiver integration tests. */
final class ReceiverCluster implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(60);

  final KafkaTestCluster kafka;
  final EmbeddedSchemaRegistry registry;
  final StageRunner runner;
  final IngestStage.Running ingest;
  /** Writes raw records to the input topics, as large as the largest topic takes. */
  final KafkaProducer<byte[], byte[]> producer;

  ReceiverCluster(Map<String, String> settings) throws Exception {
    kafka = KafkaTestCluster.start();
    kafka.createTopics(List.of(Topics.SPANS, Topics.OTLP_SPANS, Topics.ZIPKIN, Topics.SPANS_DLQ,
        Topics.TRACE_FRAGMENTS));
    kafka.createTopics(new NewTopic(EmbeddedSchemaRegistry.DEFAULT_TOPIC, 1, (short) 1)
        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
    try (Admin admin = kafka.admin()) {
      await().atMost(WAIT).ignoreExceptions().until(() -> admin.describeTopics(
          List.of(EmbeddedSchemaRegistry.DEFAULT_TOPIC)).allTopicNames().get().size() == 1);
    }
    registry = EmbeddedSchemaRegistry.start(kafka.bootstrapServers(), 0);
    Map<String, String> config = new HashMap<>(Map.of(
        TracepipeConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers(),
        TracepipeConfig.SCHEMA_REGISTRY_URL, registry.url(),
        TracepipeConfig.STATE_DIR, Files.createTempDirectory("receivers-it").toString(),
        TracepipeConfig.HTTP_PORT, "0",
        IngestSettings.OTLP_PORT.key(), "0",
        IngestSettings.ZIPKIN_PORT.key(), "0",
        ReceiverSettings.GRPC_PORT, "0"));
    config.putAll(settings);
    runner = new StageRunner(TracepipeConfig.of(config));
    ingest = new IngestStage().start(runner.context());
    producer = kafka.producer(new ByteArraySerializer(), new ByteArraySerializer(),
        Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.OTLP_SPANS.maxMessageBytes()));
  }

  Map<String, Object> serdeConfig() {
    return runner.context().serdeConfig();
  }

  /** The steps the receivers share, writing to this broker through the given producer and counting in meters. */
  HttpIngestion ingestion(Producer<byte[], byte[]> producer, long maxBodyBytes, MeterRegistry meters) {
    return new HttpIngestion(new SpanIngestor(new SpanValidator(IngestLimits.DEFAULTS), new IngestMetrics(meters)),
        new SpanPublisher(producer, Topics.TRACE_FRAGMENTS.name(), Topics.SPANS_DLQ.name(),
            AvroSerde.specific(TraceFragment.class).configured(serdeConfig(), false), Duration.ofSeconds(10)),
        maxBodyBytes, meters);
  }

  /** How the receivers' producer reaches this broker. */
  Map<String, Object> producerConfig() {
    return Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
  }

  /** Every canonical span of a trace, reading each partition to its current end: a duplicate would be counted. */
  List<Span> canonicalSpans(String traceId) {
    List<Span> spans = new ArrayList<>();
    for (ConsumerRecord<byte[], TraceFragment> r : readToEnd(Topics.TRACE_FRAGMENTS.name(), fragments())) {
      r.value().getSpans().stream().filter(span -> span.getTraceId().equals(traceId)).forEach(spans::add);
    }
    return spans;
  }

  /** Canonical spans written so far, of every trace, reading each partition to its current end. */
  int canonicalSpanCount() {
    return readToEnd(Topics.TRACE_FRAGMENTS.name(), fragments()).stream()
        .mapToInt(r -> r.value().getSpans().size()).sum();
  }

  private Deserializer<TraceFragment> fragments() {
    return AvroSerde.specific(TraceFragment.class).configured(serdeConfig(), false).deserializer();
  }

  /** Writes one raw record to a topic and waits for the broker's acknowledgement. */
  RecordMetadata send(String topic, byte[] value) throws Exception {
    return producer.send(new ProducerRecord<>(topic, value)).get(30, TimeUnit.SECONDS);
  }

  /** Canonical spans with their keys, one record per span of each trace fragment, read as {@link #read} reads. */
  List<ConsumerRecord<String, Span>> canonical(Predicate<ConsumerRecord<String, Span>> mine, int expected) {
    return read(Topics.TRACE_FRAGMENTS.name(), fragments(), (ConsumerRecord<String, TraceFragment> r) ->
        r.value().getSpans().stream().map(span -> new ConsumerRecord<>(r.topic(), r.partition(), r.offset(),
            r.timestamp(), r.timestampType(), r.serializedKeySize(), r.serializedValueSize(), r.key(), span,
            r.headers(), r.leaderEpoch())).toList(), mine, expected);
  }

  /**
   * Reads a topic (read_committed) from the start until {@code expected} matching records arrived, then once more,
   * so that a duplicate would be seen rather than missed.
   */
  <K, V> List<ConsumerRecord<K, V>> read(String topic, Deserializer<V> values, Predicate<ConsumerRecord<K, V>> mine,
      int expected) {
    return read(topic, values, List::of, mine, expected);
  }

  /** As {@link #read}, counting the records each record read expands to. */
  <K, V, W> List<ConsumerRecord<K, W>> read(String topic, Deserializer<V> values,
      Function<ConsumerRecord<K, V>, List<ConsumerRecord<K, W>>> expand, Predicate<ConsumerRecord<K, W>> mine,
      int expected) {
    @SuppressWarnings("unchecked")
    Deserializer<K> keys = (Deserializer<K>) (topic.equals(Topics.SPANS_DLQ.name())
        ? new ByteArrayDeserializer() : new StringDeserializer());
    List<ConsumerRecord<K, W>> out = new ArrayList<>();
    Consumer<ConsumerRecord<K, V>> take = r -> expand.apply(r).stream().filter(mine).forEach(out::add);
    try (KafkaConsumer<K, V> consumer = kafka.consumer(keys, values)) {
      consumer.subscribe(List.of(topic));
      await().atMost(WAIT).until(() -> {
        consumer.poll(Duration.ofMillis(200)).forEach(take);
        return out.size() >= expected;
      });
      consumer.poll(Duration.ofMillis(1000)).forEach(take);
    }
    return out;
  }

  /** Waits until a trace has at least {@code expected} canonical spans, then returns all it has. */
  List<Span> awaitCanonical(String traceId, int expected) {
    List<List<Span>> last = new ArrayList<>(List.of(List.of()));
    await().atMost(WAIT).until(() -> {
      last.set(0, canonicalSpans(traceId));
      return last.get(0).size() >= expected;
    });
    return last.get(0);
  }

  /** The records of a topic from the start to the end offsets of the moment, matching a filter. */
  List<ConsumerRecord<byte[], byte[]>> records(String topic, Predicate<ConsumerRecord<byte[], byte[]>> mine) {
    return readToEnd(topic, new ByteArrayDeserializer()).stream().filter(mine).toList();
  }

  <V> List<ConsumerRecord<byte[], V>> readToEnd(String topic, Deserializer<V> values) {
    List<ConsumerRecord<byte[], V>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], V> consumer = kafka.consumer(new ByteArrayDeserializer(), values)) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      await().atMost(WAIT).until(() -> {
        consumer.poll(Duration.ofMillis(100)).forEach(out::add);
        return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
      });
    }
    return out;
  }

  static String randomHex(int bytes) {
    byte[] id = new byte[bytes];
    ThreadLocalRandom.current().nextBytes(id);
    id[0] |= 1; // never all zeros
    return HexFormat.of().formatHex(id);
  }

  /** A span of the given trace that starts now, so that the timestamp window accepts it. */
  static io.opentelemetry.proto.trace.v1.Span spanNow(String traceId) {
    long now = System.currentTimeMillis() * 1_000_000L;
    return Fixtures.otlpSpan().setTraceId(ByteString.copyFrom(HexFormat.of().parseHex(traceId)))
        .setSpanId(ByteString.copyFrom(HexFormat.of().parseHex(randomHex(8)))).clearParentSpanId()
        .setStartTimeUnixNano(now).setEndTimeUnixNano(now + 1000).build();
  }

  @Override
  public void close() {
    producer.close();
    ingest.close();
    runner.close();
    registry.close();
    kafka.close();
  }
}
