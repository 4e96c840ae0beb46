package dev.tracepipe.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tracepipe.avro.Span;
import dev.tracepipe.schemas.serde.AvroSerde;
import dev.tracepipe.schemas.topics.Topics;
import dev.tracepipe.testkit.KafkaTestCluster;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import zipkin2.codec.SpanBytesDecoder;

/** The generator against a real broker: every generated span arrives, in the format's own encoding. */
class GeneratorIT {
  private static final int TRACES = 300;
  private static KafkaTestCluster kafka;

  @BeforeAll
  static void startKafka() {
    kafka = KafkaTestCluster.start();
  }

  @AfterAll
  static void stopKafka() {
    kafka.close();
  }

  @Test
  void zipkinListsCarryEveryGeneratedSpan() throws Exception {
    long seed = ThreadLocalRandom.current().nextLong();
    List<List<Span>> expected = expectedTraces(seed);
    assertThat(generate("zipkin", seed)).isZero();

    List<ConsumerRecord<byte[], byte[]>> records = readSpans(Topics.ZIPKIN.name(),
        value -> SpanBytesDecoder.JSON_V2.decodeList(value).size(), spanCount(expected));
    List<zipkin2.Span> spans = records.stream()
        .flatMap(r -> SpanBytesDecoder.JSON_V2.decodeList(r.value()).stream()).toList();
    assertThat(records).allSatisfy(r -> assertThat(r.key()).isNull());
    assertThat(spans).hasSize(spanCount(expected));
    assertThat(spans.stream().map(zipkin2.Span::id).collect(Collectors.toSet())).isEqualTo(spanIds(expected));
    assertThat(spans.stream().map(zipkin2.Span::traceId).collect(Collectors.toSet())).isEqualTo(traceIds(expected));
  }

  @Test
  void otlpRequestsCarryEveryGeneratedSpanOnTheCatalogueTopic() throws Exception {
    long seed = ThreadLocalRandom.current().nextLong();
    List<List<Span>> expected = expectedTraces(seed);
    assertThat(generate("otlp", seed)).isZero();

    List<ConsumerRecord<byte[], byte[]>> records = readSpans(Topics.OTLP_SPANS.name(),
        value -> otlpSpans(value).size(), spanCount(expected));
    List<io.opentelemetry.proto.trace.v1.Span> spans = records.stream()
        .flatMap(r -> otlpSpans(r.value()).stream()).toList();
    assertThat(records).allSatisfy(r -> assertThat(r.key()).isNull());
    assertThat(spans).hasSize(spanCount(expected));
    assertThat(spans.stream().map(s -> HexFormat.of().formatHex(s.getSpanId().toByteArray()))
        .collect(Collectors.toSet())).isEqualTo(spanIds(expected));
    try (Admin admin = kafka.admin()) {
      TopicDescription topic = admin.describeTopics(List.of(Topics.OTLP_SPANS.name())).allTopicNames()
          .get(30, TimeUnit.SECONDS).get(Topics.OTLP_SPANS.name());
      assertThat(topic.partitions()).hasSize(Topics.OTLP_SPANS.partitions());
    }
  }

  @Test
  void avroRecordsArriveOnePerSpanKeyedByTraceId() throws Exception {
    Map<String, String> serdeConfig = Map.of("schema.registry.url", "mock://workload-it");
    kafka.createTopics(List.of(Topics.SPANS));
    long seed = ThreadLocalRandom.current().nextLong();
    List<List<Span>> expected = expectedTraces(seed);
    try (SpanSink sink = SpanSinks.kafka(Format.AVRO, kafka.bootstrapServers(), serdeConfig, Map.of())) {
      Generator.Summary summary = Generator.builder(sink).seed(seed).tracesPerSecond(0).maxTraces(TRACES).build()
          .run();
      assertThat(summary.spans()).isEqualTo(spanCount(expected));
      assertThat(summary.failedSpans()).isZero();
    }

    List<ConsumerRecord<byte[], byte[]>> records = readSpans(Topics.SPANS.name(), value -> 1, spanCount(expected));
    AvroSerde<Span> serde = AvroSerde.specific(Span.class).configured(serdeConfig, false);
    Map<String, Span> expectedById = expected.stream().flatMap(List::stream)
        .collect(Collectors.toMap(Span::getSpanId, Function.identity()));
    assertThat(records).hasSize(spanCount(expected)).allSatisfy(record -> {
      Span span = serde.deserialize(record.topic(), record.value());
      assertThat(record.key()).isEqualTo(HexFormat.of().parseHex(span.getTraceId()));
      Span original = expectedById.get(span.getSpanId());
      // The generator stamps requests with the wall clock; everything else is what the seed makes.
      assertThat(span).usingRecursiveComparison().ignoringFields("startTimeNanos", "events").isEqualTo(original);
      assertThat(span.getEvents()).hasSameSizeAs(original.getEvents());
    });
  }

  private static int generate(String format, long seed) throws InterruptedException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = GeneratorCli.run(new String[] {"--format", format, "--bootstrap-servers", kafka.bootstrapServers(),
        "--traces", Integer.toString(TRACES), "--rate", "0", "--seed", Long.toString(seed), "--quiet"},
        new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("sent " + TRACES + " traces", "0 spans lost");
    return code;
  }

  /** A single generator thread replays the system with its seed; start times do not change what it draws. */
  private static List<List<Span>> expectedTraces(long seed) {
    return TraceFixtures.traces(new SimulatedSystem(seed), TRACES);
  }

  /** Reads until the records hold the expected number of spans, then a little longer to catch any extra. */
  private static List<ConsumerRecord<byte[], byte[]>> readSpans(String topic,
      java.util.function.ToIntFunction<byte[]> spansIn, int expectedSpans) {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    int[] spans = {0};
    try (KafkaConsumer<byte[], byte[]> consumer =
        kafka.consumer(new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      await().atMost(Duration.ofSeconds(60)).pollInSameThread().pollInterval(Duration.ofMillis(50)).until(() -> {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          records.add(record);
          spans[0] += spansIn.applyAsInt(record.value());
        }
        return spans[0] >= expectedSpans;
      });
      consumer.poll(Duration.ofMillis(500)).forEach(records::add);
    }
    return records;
  }

  private static List<io.opentelemetry.proto.trace.v1.Span> otlpSpans(byte[] value) {
    try {
      return ExportTraceServiceRequest.parseFrom(value).getResourceSpansList().stream()
          .flatMap(r -> r.getScopeSpansList().stream()).flatMap(s -> s.getSpansList().stream()).toList();
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError("not an ExportTraceServiceRequest", e);
    }
  }

  private static int spanCount(List<List<Span>> traces) {
    return traces.stream().mapToInt(List::size).sum();
  }

  private static Set<String> spanIds(List<List<Span>> traces) {
    return traces.stream().flatMap(List::stream).map(Span::getSpanId).collect(Collectors.toSet());
  }

  private static Set<String> traceIds(List<List<Span>> traces) {
    return traces.stream().map(t -> t.get(0).getTraceId()).collect(Collectors.toSet());
  }
}
