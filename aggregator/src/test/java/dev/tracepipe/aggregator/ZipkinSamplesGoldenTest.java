package dev.tracepipe.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracepipe.aggregator.SpanAdmission.Limits;
import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.Trace;
import dev.tracepipe.avro.TraceFragment;
import dev.tracepipe.ingest.IngestTopologies;
import dev.tracepipe.schemas.serde.AvroSerde;
import dev.tracepipe.testkit.GoldenFile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs each shared Zipkin sample through the real ingest and aggregator topologies and compares the emitted Trace
 * records, byte for byte, with golden files: serde and store optimisations must not change what downstream reads.
 * Run with {@code -Dgolden.update=true} to rewrite the golden files after an intended change of the output.
 */
class ZipkinSamplesGoldenTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path GOLDEN = Path.of("src/test/resources/golden");
  private static final Duration GAP = Duration.ofSeconds(30);

  static Stream<String> samples() throws IOException {
    try (Stream<Path> files = Files.list(ZipkinJson.samples())) {
      return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".json")).sorted().toList().stream();
    }
  }

  @ParameterizedTest
  @MethodSource("samples")
  void emittedTraceBytesMatchTheGoldenFile(String sample) throws IOException {
    byte[] message = Files.readAllBytes(ZipkinJson.samples().resolve(sample));
    Instant received = Instant.ofEpochMilli(latestStartMicros(message) / 1000 + 1000);
    Map<String, String> serdeConfig = registryBeforeFragments();

    List<TestRecord<String, byte[]>> canonical = ingest(message, received, serdeConfig);
    assertThat(canonical).as("canonical spans of " + sample).isNotEmpty();
    List<String> traces = aggregate(List.of(canonical), received, serdeConfig);
    assertThat(traces).as("traces of " + sample).isNotEmpty();

    Path golden = GOLDEN.resolve(sample.replace(".json", ".traces.hex"));
    GoldenFile.assertMatches(golden, String.join("\n", traces));
  }

  /**
   * The same spans one by one in reverse, each twice, with the first held back until the trace was emitted: the
   * duplicate counts and the late update (version 2) of every trace must not change either.
   */
  @ParameterizedTest
  @MethodSource("samples")
  void reorderedDuplicatedAndLateSpansGiveTheGoldenBytes(String sample) throws IOException {
    byte[] message = Files.readAllBytes(ZipkinJson.samples().resolve(sample));
    Instant received = Instant.ofEpochMilli(latestStartMicros(message) / 1000 + 1000);
    Map<String, String> serdeConfig = registryBeforeFragments();

    List<TestRecord<String, byte[]>> canonical = oneSpanEach(ingest(message, received, serdeConfig), serdeConfig);
    List<TestRecord<String, byte[]>> reordered = new ArrayList<>();
    for (int i = canonical.size() - 1; i > 0; i--) {
      reordered.add(canonical.get(i));
      reordered.add(canonical.get(i));
    }
    List<String> traces = aggregate(List.of(reordered, List.of(canonical.get(0), canonical.get(canonical.size() - 1))),
        received, serdeConfig);
    assertThat(traces).as("traces of " + sample).isNotEmpty();

    Path golden = GOLDEN.resolve(sample.replace(".json", ".reordered.traces.hex"));
    GoldenFile.assertMatches(golden, String.join("\n", traces));
  }

  /**
   * A registry as a deployment from before trace fragments left it, Span and Trace registered first: the schema id in
   * each record's header is the registry's choice, and with these ids the golden files hold the same bytes as then.
   */
  private static Map<String, String> registryBeforeFragments() {
    Map<String, String> serdeConfig = Map.of("schema.registry.url", "mock://golden-" + UUID.randomUUID());
    AvroSerde.specific(Span.class).configured(serdeConfig, false).schemaId("canonical-spans");
    AvroSerde.specific(Trace.class).configured(serdeConfig, false).schemaId("traces");
    return serdeConfig;
  }

  private static List<TestRecord<String, byte[]>> ingest(byte[] message, Instant received,
      Map<String, String> serdeConfig) {
    try (TopologyTestDriver driver = new TopologyTestDriver(IngestTopologies.withDefaults("spans", "otlp_spans",
        "zipkin", "canonical", "dlq", serdeConfig, new SimpleMeterRegistry()), props("golden-ingest", serdeConfig),
        received)) {
      ByteArraySerializer bytes = new ByteArraySerializer();
      driver.createInputTopic("zipkin", bytes, bytes).pipeInput(null, message, received);
      assertThat(driver.createOutputTopic("dlq", new ByteArrayDeserializer(), new ByteArrayDeserializer()).isEmpty())
          .as("dead letters").isTrue();
      return driver.createOutputTopic("canonical", new StringDeserializer(), new ByteArrayDeserializer())
          .readRecordsToList();
    }
  }

  /** The spans of the fragments ingest wrote, each in a fragment of its own, in the same order. */
  private static List<TestRecord<String, byte[]>> oneSpanEach(List<TestRecord<String, byte[]>> fragments,
      Map<String, String> serdeConfig) {
    AvroSerde<TraceFragment> serde = AvroSerde.specific(TraceFragment.class).configured(serdeConfig, false);
    List<TestRecord<String, byte[]>> records = new ArrayList<>();
    for (TestRecord<String, byte[]> fragment : fragments) {
      for (Span span : serde.deserialize("canonical", fragment.value()).getSpans()) {
        records.add(new TestRecord<>(fragment.key(), serde.serialize("canonical", new TraceFragment(List.of(span))),
            fragment.getRecordTime()));
      }
    }
    return records;
  }

  /** Pipes each round of records, then lets the gap pass on the wall clock, and returns every emitted trace. */
  private static List<String> aggregate(List<List<TestRecord<String, byte[]>>> rounds, Instant received,
      Map<String, String> serdeConfig) {
    AggregatorTopology topology = new AggregatorTopology("canonical", "canonical-spans", "traces", Timing.withGap(GAP),
        new Limits(AggregatorSettings.DEFAULT_MAX_SPANS, AggregatorSettings.DEFAULT_MAX_BYTES), serdeConfig,
        new SimpleMeterRegistry());
    try (TopologyTestDriver driver = new TopologyTestDriver(topology.get(), props("golden-aggregator", serdeConfig),
        received)) {
      TestInputTopic<String, byte[]> in = driver.createInputTopic("canonical", new StringSerializer(),
          new ByteArraySerializer());
      TestOutputTopic<String, byte[]> out = driver.createOutputTopic("traces", new StringDeserializer(),
          new ByteArrayDeserializer());
      List<String> hex = new ArrayList<>();
      for (List<TestRecord<String, byte[]>> round : rounds) {
        round.forEach(in::pipeInput);
        driver.advanceWallClockTime(GAP.plusSeconds(1));
        out.readValuesToList().forEach(value -> hex.add(HexFormat.of().formatHex(value)));
      }
      return hex;
    }
  }

  private static Properties props(String application, Map<String, String> serdeConfig) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, application);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, System.getProperty("java.io.tmpdir") + "/" + application + "-"
        + UUID.randomUUID());
    props.putAll(serdeConfig);
    return props;
  }

  /** The sample's latest span start, so that the message arrives just after its trace, as a reporter sends it. */
  private static long latestStartMicros(byte[] message) throws IOException {
    long latest = 0;
    for (JsonNode span : JSON.readTree(message)) {
      latest = Math.max(latest, span.path("timestamp").asLong(0));
    }
    return latest;
  }
}
