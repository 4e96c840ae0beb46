package dev.tracepipe.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanKind;
import dev.tracepipe.avro.TraceFragment;
import dev.tracepipe.schemas.serde.AvroSerde;
import dev.tracepipe.schemas.topics.Topics;
import dev.tracepipe.testkit.GoldenFile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import zipkin2.codec.SpanBytesDecoder;
import zipkin2.codec.SpanBytesEncoder;

class IngestTopologyTest {
  private static final Map<String, String> SERDE = Map.of("schema.registry.url", "mock://ingest-topology-test");
  private static final Instant NOW = Instant.ofEpochMilli(Fixtures.NOW_MILLIS);
  private static final IngestTopology.InputTopics INPUTS =
      new IngestTopology.InputTopics(Topics.SPANS.name(), Topics.OTLP_SPANS.name(), Topics.ZIPKIN.name());

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final AvroSerde<Span> spanSerde = AvroSerde.specific(Span.class).configured(SERDE, false);
  private TopologyTestDriver driver;
  private TestInputTopic<byte[], byte[]> avro;
  private TestInputTopic<byte[], byte[]> otlp;
  private TestInputTopic<byte[], byte[]> zipkin;
  private CanonicalSpans canonical;
  private TestOutputTopic<String, TraceFragment> fragments;
  private TestOutputTopic<byte[], byte[]> dlq;

  private Topology topology() {
    return new IngestTopology(INPUTS, Topics.TRACE_FRAGMENTS.name(), Topics.SPANS_DLQ.name(), SERDE,
        IngestLimits.DEFAULTS, new IngestMetrics(meters)).get();
  }

  @BeforeEach
  void start() {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "ingest-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    driver = new TopologyTestDriver(topology(), props);
    ByteArraySerializer bytes = new ByteArraySerializer();
    avro = driver.createInputTopic(Topics.SPANS.name(), bytes, bytes);
    otlp = driver.createInputTopic(Topics.OTLP_SPANS.name(), bytes, bytes);
    zipkin = driver.createInputTopic(Topics.ZIPKIN.name(), bytes, bytes);
    fragments = driver.createOutputTopic(Topics.TRACE_FRAGMENTS.name(), new StringDeserializer(),
        AvroSerde.specific(TraceFragment.class).configured(SERDE, false).deserializer());
    canonical = new CanonicalSpans(fragments);
    dlq = driver.createOutputTopic(Topics.SPANS_DLQ.name(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  @Test
  void describeMatchesTheGoldenFile() throws IOException {
    GoldenFile.assertMatches(Path.of("src/test/resources/ingest-topology.txt"), topology().describe().toString());
  }

  @Test
  void avroSpanWithAnyKeyIsNormalisedAndKeyedByTraceId() {
    Span in = Fixtures.avroSpan().setTraceId("463AC35C9F6413AD").setSpanId("00F067AA0BA902B7").build();
    avro.pipeInput("some-key".getBytes(StandardCharsets.UTF_8), spanSerde.serialize(Topics.SPANS.name(), in), NOW);
    TestRecord<String, Span> out = canonical.readRecord();
    assertThat(out.key()).isEqualTo("0000000000000000463ac35c9f6413ad");
    assertThat(out.value().getTraceId()).isEqualTo(out.key());
    assertThat(out.value().getSpanId()).isEqualTo("00f067aa0ba902b7");
    assertThat(out.value().getService()).isEqualTo("checkout");
    assertThat(out.timestamp()).isEqualTo(Fixtures.NOW_MILLIS);
    assertThat(canonical.isEmpty()).isTrue();
    assertThat(dlq.isEmpty()).isTrue();
  }

  @Test
  void aMessageBecomesOneFragmentPerTraceInTheOrderTheTracesFirstCame() {
    io.opentelemetry.proto.trace.v1.Span a1 = Fixtures.otlpSpan().setSpanId(spanId("00f067aa0ba902b1")).build();
    io.opentelemetry.proto.trace.v1.Span b1 = Fixtures.otlpSpan()
        .setTraceId(com.google.protobuf.ByteString.copyFrom(SpanIds.fromHex("0af7651916cd43dd8448eb211c80319c")))
        .build();
    io.opentelemetry.proto.trace.v1.Span a2 = Fixtures.otlpSpan().setSpanId(spanId("00f067aa0ba902b2")).build();
    otlp.pipeInput(null, Fixtures.otlpRequest("cart", a1, b1, a2).toByteArray(), NOW);
    List<TestRecord<String, TraceFragment>> out = fragments.readRecordsToList();
    assertThat(out).extracting(TestRecord::key).containsExactly(Fixtures.TRACE_ID, "0af7651916cd43dd8448eb211c80319c");
    assertThat(out.get(0).value().getSpans()).extracting(Span::getSpanId)
        .containsExactly("00f067aa0ba902b1", "00f067aa0ba902b2");
    assertThat(out.get(1).value().getSpans()).extracting(Span::getTraceId)
        .containsExactly("0af7651916cd43dd8448eb211c80319c");
    assertThat(out).allSatisfy(r -> assertThat(r.getRecordTime()).isEqualTo(NOW));
  }

  private static com.google.protobuf.ByteString spanId(String hex) {
    return com.google.protobuf.ByteString.copyFrom(SpanIds.fromHex(hex));
  }

  @Test
  void otlpProtobufBatchComesOutKeyedByEachSpansTrace() {
    io.opentelemetry.proto.trace.v1.Span first = Fixtures.otlpSpan().build();
    io.opentelemetry.proto.trace.v1.Span second = Fixtures.otlpSpan()
        .setTraceId(com.google.protobuf.ByteString.copyFrom(SpanIds.fromHex("0af7651916cd43dd8448eb211c80319c")))
        .build();
    otlp.pipeInput(null, Fixtures.otlpRequest("cart", first, second).toByteArray(), NOW);
    assertThat(canonical.readKeyValuesToList()).extracting(kv -> kv.key, kv -> kv.value.getService())
        .containsExactly(org.assertj.core.groups.Tuple.tuple(Fixtures.TRACE_ID, "cart"),
            org.assertj.core.groups.Tuple.tuple("0af7651916cd43dd8448eb211c80319c", "cart"));
  }

  @Test
  void otlpJsonSampleComesOutKeyedByItsLowerCaseTraceId() {
    otlp.pipeInput(null, TestData.bytes("otlp/trace.json"), Instant.ofEpochMilli(1_544_712_661_000L));
    TestRecord<String, Span> out = canonical.readRecord();
    assertThat(out.key()).isEqualTo("5b8efff798038103d269b633813fc60c");
    assertThat(out.value().getService()).isEqualTo("my.service");
    assertThat(out.value().getKind()).isEqualTo(SpanKind.SERVER);
    assertThat(canonical.isEmpty()).isTrue();
  }

  @Test
  void zipkinJsonAndProto3ListsComeOutSpanBySpan() {
    byte[] json = TestData.bytes("zipkin/skew.json");
    Instant sampleTime = Instant.ofEpochMilli(1_470_150_004_100L);
    zipkin.pipeInput(null, json, sampleTime);
    zipkin.pipeInput(null, SpanBytesEncoder.PROTO3.encodeList(SpanBytesDecoder.JSON_V2.decodeList(json)), sampleTime);
    List<Span> out = canonical.readValuesToList();
    assertThat(out).hasSize(8);
    assertThat(out.subList(0, 4)).containsExactlyElementsOf(out.subList(4, 8));
    assertThat(out).allSatisfy(s -> assertThat(s.getTraceId()).isEqualTo("00000000000000001e223ff1f80f1c69"));
    assertThat(dlq.isEmpty()).isTrue();
  }

  @Test
  void undecodableMessagesGoToTheDeadLetterTopicWholeWithReasonAndSource() {
    byte[] garbage = {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef, 0x01, 0x02};
    avro.pipeInput(null, garbage, NOW);
    otlp.pipeInput(null, "{\"resourceSpans\": [".getBytes(StandardCharsets.UTF_8), NOW);
    zipkin.pipeInput(null, garbage, NOW);
    List<TestRecord<byte[], byte[]>> letters = dlq.readRecordsToList();
    assertThat(letters).hasSize(3);
    assertLetter(letters.get(0), "undecodable", "avro", Topics.SPANS.name(), garbage);
    assertLetter(letters.get(1), "undecodable", "otlp_json", Topics.OTLP_SPANS.name(),
        "{\"resourceSpans\": [".getBytes(StandardCharsets.UTF_8));
    assertLetter(letters.get(2), "undecodable", "zipkin", Topics.ZIPKIN.name(), garbage);
    assertThat(header(letters.get(0), DeadLetterHeaders.SOURCE_PARTITION)).isEqualTo("0");
    assertThat(header(letters.get(0), DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("0");
    assertThat(header(letters.get(0), DeadLetterHeaders.DETAIL)).contains("magic byte");
    assertThat(canonical.isEmpty()).isTrue();
  }

  @Test
  void avroWithAnUnknownSchemaIdIsUndecodable() {
    byte[] unknownSchema = {0, 0, 0, 0x7f, 0x7f, 2, 'a'};
    avro.pipeInput(null, unknownSchema, NOW);
    assertLetter(dlq.readRecord(), "undecodable", "avro", Topics.SPANS.name(), unknownSchema);
  }

  @Test
  void emptyMessagesAreDeadLetteredAsEmpty() {
    otlp.pipeInput("k".getBytes(StandardCharsets.UTF_8), null, NOW);
    zipkin.pipeInput(null, new byte[0], NOW);
    List<TestRecord<byte[], byte[]>> letters = dlq.readRecordsToList();
    assertThat(letters).extracting(r -> header(r, DeadLetterHeaders.REASON)).containsExactly("empty_message",
        "empty_message");
    assertThat(letters.get(0).key()).isEqualTo("k".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void invalidSpansAreDeadLetteredAloneWhileTheRestOfTheBatchPasses() throws Exception {
    io.opentelemetry.proto.trace.v1.Span good = Fixtures.otlpSpan().setName("good").build();
    io.opentelemetry.proto.trace.v1.Span zeroIds = Fixtures.otlpSpan()
        .setTraceId(com.google.protobuf.ByteString.copyFrom(new byte[16])).build();
    io.opentelemetry.proto.trace.v1.Span negative = Fixtures.otlpSpan().setName("negative")
        .setEndTimeUnixNano(Fixtures.START_NANOS - 1).build();
    io.opentelemetry.proto.trace.v1.Span ancient = Fixtures.otlpSpan().setName("ancient")
        .setStartTimeUnixNano(1_000_000_000L).setEndTimeUnixNano(2_000_000_000L).build();
    otlp.pipeInput(null, Fixtures.otlpRequest("cart", good, zeroIds, negative, ancient).toByteArray(), NOW);

    assertThat(canonical.readValuesToList()).extracting(Span::getName).containsExactly("good");
    List<TestRecord<byte[], byte[]>> letters = dlq.readRecordsToList();
    assertThat(letters).extracting(r -> header(r, DeadLetterHeaders.REASON))
        .containsExactly("invalid_trace_id", "negative_duration", "timestamp_out_of_range");
    assertThat(letters).allSatisfy(r -> assertThat(header(r, DeadLetterHeaders.FORMAT)).isEqualTo("otlp_proto"));
    ExportTraceServiceRequest negativeAlone = ExportTraceServiceRequest.parseFrom(letters.get(1).value());
    assertThat(negativeAlone.getResourceSpans(0).getScopeSpans(0).getSpansList()).containsExactly(negative);
    assertThat(letters.get(1).key()).isEqualTo(Fixtures.TRACE_ID.getBytes(StandardCharsets.UTF_8));
    assertThat(letters.get(0).key()).isNull();
  }

  @Test
  void untimedZipkinSpansAndOtlpSpansWithZeroTimesAreKept_neverDeadLettered() {
    String json = "[{\"traceId\":\"463ac35c9f6413ad\",\"id\":\"0000000000000001\",\"kind\":\"SERVER\","
        + "\"shared\":true,\"localEndpoint\":{\"serviceName\":\"cart\",\"ipv4\":\"10.0.0.1\",\"port\":8080}},"
        + "{\"traceId\":\"463ac35c9f6413ad\",\"id\":\"0000000000000002\",\"duration\":10}]";
    zipkin.pipeInput(null, json.getBytes(StandardCharsets.UTF_8), NOW);
    otlp.pipeInput(null, Fixtures.otlpRequest("cart", Fixtures.otlpSpan().setStartTimeUnixNano(0).build(),
        Fixtures.otlpSpan().setEndTimeUnixNano(0).build()).toByteArray(), NOW);

    assertThat(dlq.readRecordsToList()).isEmpty();
    List<Span> out = canonical.readValuesToList();
    assertThat(out).extracting(Span::getUntimed).containsExactly(true, true, true, false);
    assertThat(out.subList(0, 3)).allSatisfy(span ->
        assertThat(span.getStartTimeNanos()).isEqualTo(Fixtures.NOW_MILLIS * 1_000_000L));
    assertThat(out.get(0).getResourceAttributes()).containsEntry("host.port", "8080");
    assertThat(out.get(1).getDurationNanos()).isEqualTo(10_000);
    assertThat(out.get(3).getDurationNanos()).isZero();
  }

  @Test
  void theApplicationKeepsGoingAfterPoisonMessages() {
    zipkin.pipeInput(null, "[{\"traceId\":".getBytes(StandardCharsets.UTF_8), NOW);
    otlp.pipeInput(null, new byte[] {0x0a, 0x7f, 0x01}, NOW);
    avro.pipeInput(null, new byte[] {0}, NOW);
    otlp.pipeInput(null, Fixtures.otlpRequest("cart", Fixtures.otlpSpan().build()).toByteArray(), NOW);
    assertThat(dlq.readRecordsToList()).hasSize(3);
    assertThat(canonical.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly(Fixtures.TRACE_ID);
  }

  @Test
  void metricsCountAcceptedRejectedAndTruncatedSpansByFormatAndReason() {
    String longValue = "x".repeat(IngestLimits.DEFAULTS.maxValueLength() + 1);
    otlp.pipeInput(null, Fixtures.otlpRequest(null,
        Fixtures.otlpSpan().addAttributes(Fixtures.attribute("big", longValue)).build(),
        Fixtures.otlpSpan().setEndTimeUnixNano(1).build()).toByteArray(), NOW);
    zipkin.pipeInput(null, "nope".getBytes(StandardCharsets.UTF_8), NOW);
    assertThat(count(IngestMetrics.ACCEPTED, "format", "otlp_proto")).isEqualTo(1.0);
    assertThat(count(IngestMetrics.TRUNCATED, "format", "otlp_proto")).isEqualTo(1.0);
    assertThat(count(IngestMetrics.SERVICE_DEFAULTED, "format", "otlp_proto")).isEqualTo(1.0);
    assertThat(meters.get(IngestMetrics.REJECTED).tags("format", "otlp_proto", "reason", "negative_duration")
        .counter().count()).isEqualTo(1.0);
    assertThat(meters.get(IngestMetrics.REJECTED).tags("format", "zipkin", "reason", "undecodable")
        .counter().count()).isEqualTo(1.0);
    Span out = canonical.readValue();
    assertThat(out.getService()).isEqualTo("unknown_service");
    assertThat(out.getTruncatedValuesCount()).isEqualTo(1);
  }

  private double count(String name, String tag, String value) {
    return meters.get(name).tag(tag, value).counter().count();
  }

  private static void assertLetter(TestRecord<byte[], byte[]> letter, String reason, String format, String topic,
      byte[] payload) {
    assertThat(header(letter, DeadLetterHeaders.REASON)).isEqualTo(reason);
    assertThat(header(letter, DeadLetterHeaders.FORMAT)).isEqualTo(format);
    assertThat(header(letter, DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo(topic);
    assertThat(letter.value()).isEqualTo(payload);
  }

  private static String header(TestRecord<byte[], byte[]> record, String key) {
    return DeadLetterHeaders.value(record.headers(), key);
  }


  /** The fragments ingest wrote, read one span at a time with its record's key and time. */
  private static final class CanonicalSpans {
    private final TestOutputTopic<String, TraceFragment> fragments;
    private final Deque<TestRecord<String, Span>> pending = new ArrayDeque<>();

    CanonicalSpans(TestOutputTopic<String, TraceFragment> fragments) {
      this.fragments = fragments;
    }

    private void fill() {
      while (!fragments.isEmpty()) {
        TestRecord<String, TraceFragment> record = fragments.readRecord();
        record.value().getSpans().forEach(span ->
            pending.add(new TestRecord<>(record.key(), span, record.headers(), record.getRecordTime())));
      }
    }

    boolean isEmpty() {
      fill();
      return pending.isEmpty();
    }

    TestRecord<String, Span> readRecord() {
      fill();
      return pending.remove();
    }

    Span readValue() {
      return readRecord().value();
    }

    List<Span> readValuesToList() {
      fill();
      List<Span> values = pending.stream().map(TestRecord::value).toList();
      pending.clear();
      return values;
    }

    List<KeyValue<String, Span>> readKeyValuesToList() {
      fill();
      List<KeyValue<String, Span>> values = pending.stream().map(r -> KeyValue.pair(r.key(), r.value())).toList();
      pending.clear();
      return values;
    }
  }
}
