package dev.tracepipe.aggregator;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tracepipe.aggregator.SpanAdmission.Limits;
import dev.tracepipe.avro.ClockSkew;
import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.Trace;
import dev.tracepipe.avro.TraceCompletion;
import dev.tracepipe.registry.EmbeddedSchemaRegistry;
import dev.tracepipe.schemas.serde.AvroSerde;
import dev.tracepipe.schemas.topics.Topics;
import dev.tracepipe.testkit.KafkaTestCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The aggregator on a real broker and registry: every trace complete, exactly once, through restarts. */
class AggregatorIT {

  private static final Timing TIMING = new Timing(Duration.ofSeconds(2), Duration.ofMinutes(5), Duration.ofSeconds(4),
      Duration.ofMinutes(10), Duration.ofMillis(200));
  private static final Limits LIMITS = new Limits(AggregatorSettings.DEFAULT_MAX_SPANS,
      AggregatorSettings.DEFAULT_MAX_BYTES);

  private static KafkaTestCluster cluster;
  private static EmbeddedSchemaRegistry registry;
  private static Map<String, Object> serdeConfig;

  @TempDir
  Path stateDir;

  @BeforeAll
  static void startBroker() {
    cluster = KafkaTestCluster.start();
    registry = EmbeddedSchemaRegistry.start(cluster.bootstrapServers(), 0);
    serdeConfig = Map.of("schema.registry.url", registry.url());
    cluster.createTopics(List.of(Topics.SPANS_DLQ));
  }

  @AfterAll
  static void stopBroker() {
    Utils.closeQuietly(registry, "registry");
    Utils.closeQuietly(cluster, "cluster");
  }

  private static String[] createTopics() {
    String suffix = UUID.randomUUID().toString();
    String input = "it-spans-" + suffix;
    String output = "it-traces-" + suffix;
    cluster.createTopics(List.of(Topics.CANONICAL_SPANS.withName(input),
        Topics.TRACE_FRAGMENTS.withName(AggregatorRunner.fragmentTopic(input)), Topics.TRACES.withName(output)));
    return new String[] {input, output};
  }

  /** Sends spans keyed by trace id; a null timestamp lets the producer stamp them, as ingest's producer would. */
  private static void produce(String topic, List<Span> spans, Long timestamp) {
    AvroSerde<Span> serde = AvroSerde.specific(Span.class).configured(serdeConfig, false);
    try (KafkaProducer<String, Span> producer = cluster.producer(new StringSerializer(), serde.serializer(),
        Map.of("linger.ms", 20, "compression.type", "lz4"))) {
      for (Span span : spans) {
        producer.send(new ProducerRecord<>(topic, null, timestamp, span.getTraceId(), span));
      }
      producer.flush();
    }
  }

  /** Produces in batches, each once the aggregator has read the one before, so no partition waits a gap behind. */
  private static void producePaced(String topic, List<Span> spans, AggregatorRunner aggregator) {
    double before = aggregator.receivedSpans();
    for (int from = 0; from < spans.size(); from += 2_000) {
      int to = Math.min(spans.size(), from + 2_000);
      produce(topic, spans.subList(from, to), null);
      double target = before + to;
      Awaitility.await("aggregator read " + to + " spans").atMost(Duration.ofSeconds(60))
          .until(() -> aggregator.receivedSpans() >= target);
    }
  }

  private static Map<String, Trace> readOnce(String topic, int expected) {
    AvroSerde<Trace> serde = AvroSerde.specific(Trace.class).configured(serdeConfig, false);
    List<ConsumerRecord<String, Trace>> records = cluster.read(topic, new StringDeserializer(), serde.deserializer(),
        expected, Duration.ofMinutes(3));
    Map<String, Trace> byId = new HashMap<>();
    for (ConsumerRecord<String, Trace> record : records) {
      assertThat(byId.put(record.key(), record.value())).as("trace %s emitted more than once", record.key()).isNull();
      assertThat(record.value().getTraceId()).isEqualTo(record.key());
    }
    assertThat(records).hasSize(expected);
    return byId;
  }

  @Test
  void samplesLargeAndThousandsOfRandomTracesComeOutCompleteExactlyOnce() throws IOException {
    String[] topics = createTopics();
    long seed = new Random().nextLong();
    RandomTraces random = new RandomTraces(seed);
    Map<String, List<Span>> generated = new LinkedHashMap<>();
    for (int i = 0; i < 3_000; i++) {
      String traceId = random.traceId();
      generated.put(traceId, random.trace(traceId, 1 + i % 12, System.currentTimeMillis()));
    }
    String large = random.traceId();
    generated.put(large, random.trace(large, LIMITS.maxSpans() + 50, System.currentTimeMillis()));
    Map<String, List<Span>> samples = new LinkedHashMap<>();
    try (Stream<Path> files = Files.list(ZipkinJson.samples())) {
      files.sorted().forEach(file -> {
        List<Span> spans = ZipkinJson.read(file);
        samples.put(spans.get(0).getTraceId(), spans);
      });
    }
    List<Span> all = new ArrayList<>();
    samples.values().forEach(all::addAll);
    List<Span> rest = new ArrayList<>();

    try (AggregatorRunner aggregator = new AggregatorRunner(cluster.bootstrapServers(), registry.url(),
        "it-" + UUID.randomUUID(), topics[0], topics[1], TIMING, LIMITS, stateDir)) {
      try (KafkaProducer<byte[], byte[]> raw = cluster.producer(new ByteArraySerializer(), new ByteArraySerializer())) {
        raw.send(new ProducerRecord<>(topics[0], "corrupt".getBytes(UTF_8), new byte[] {0, 0, 0, 0, 1, 42}));
        raw.send(new ProducerRecord<>(topics[0], "tombstone".getBytes(UTF_8), null));
      }
      // The samples and the large trace first, then thousands of small traces at the pace the aggregator reads.
      List<Span> first = new ArrayList<>(all);
      first.addAll(generated.get(large));
      producePaced(topics[0], first, aggregator);
      generated.forEach((id, spans) -> {
        if (!id.equals(large)) {
          rest.addAll(random.arrivals(spans, spans.size() / 4));
        }
      });
      producePaced(topics[0], rest, aggregator);
      Map<String, Trace> traces = readOnce(topics[1], generated.size() + samples.size());

      generated.forEach((id, spans) -> assertGenerated(traces.get(id), spans, seed));
      Trace truncated = traces.get(large);
      assertThat(truncated.getSpanCount()).isEqualTo(LIMITS.maxSpans());
      assertThat(truncated.getQuality().getTruncated()).isTrue();
      assertThat(truncated.getQuality().getDroppedSpanCount()).isEqualTo(50);
      assertSamples(traces);
      List<ConsumerRecord<byte[], byte[]>> dead = cluster.read(Topics.SPANS_DLQ.name(), new ByteArrayDeserializer(),
          new ByteArrayDeserializer(), 2, Duration.ofSeconds(30));
      assertThat(dead).extracting(r -> new String(r.key(), UTF_8)).containsExactlyInAnyOrder("corrupt", "tombstone");
      assertThat(dead).filteredOn(r -> new String(r.key(), UTF_8).equals("corrupt")).singleElement()
          .satisfies(r -> assertThat(r.value()).containsExactly(0, 0, 0, 0, 1, 42));
    }
  }

  private static void assertGenerated(Trace trace, List<Span> spans, long seed) {
    long distinct = spans.stream().map(s -> s.getSpanId() + s.getShared()).distinct().count();
    assertThat(trace).as("trace of %d spans, seed %d", spans.size(), seed).isNotNull();
    assertThat(trace.getVersion()).isEqualTo(1);
    assertThat(trace.getCompletion()).isEqualTo(TraceCompletion.INACTIVITY_GAP);
    if (spans.size() <= LIMITS.maxSpans()) {
      assertThat(trace.getSpanCount()).as("seed %d", seed).isEqualTo((int) distinct);
      assertThat(trace.getServices())
          .isEqualTo(List.copyOf(spans.stream().map(Span::getService).collect(Collectors.toCollection(TreeSet::new))));
    }
    assertThat(trace.getRootSpanId()).isEqualTo(spans.get(0).getSpanId());
    assertThat(trace.getRootService()).isEqualTo(spans.get(0).getService());
    assertThat(trace.getQuality().getRootCount()).isEqualTo(1);
  }

  private static void assertSamples(Map<String, Trace> traces) {
    Trace smartthings = traces.get("00000000000000008ce82b2e9ed820ba");
    // One shared id answered from two pusher hosts stays two spans, as in Zipkin; three pieces merge away.
    assertThat(smartthings.getSpanCount()).isEqualTo(172);
    assertThat(smartthings.getQuality().getDuplicateSpanCount()).isEqualTo(3);
    assertThat(smartthings.getRootService()).isEqualTo("datamgmt");
    assertThat(smartthings.getRootOperation()).isEqualTo("get /oauth/authorize");
    assertThat(smartthings.getServices()).hasSize(8);
    assertThat(smartthings.getErrorCount()).isEqualTo(2);
    Trace skew = traces.get("00000000000000001e223ff1f80f1c69");
    assertThat(skew.getQuality().getClockSkew())
        .containsExactly(new ClockSkew("74280ae0c10d8062", "74280ae0c10d8062", -65_441_000L));
    Trace messaging2 = traces.get("00000000000000000d1a94ebc9256244");
    assertThat(messaging2.getQuality().getOrphanSpanCount()).isEqualTo(6);
    assertThat(messaging2.getSpanCount()).isEqualTo(11);
    Trace messaging = traces.get("5aab74dbb904746bb33447baae403ed6");
    assertThat(messaging.getRootService()).isEqualTo("frontend");
    assertThat(messaging.getSpanCount()).isEqualTo(4);
    Trace kafka = traces.get("00000000000000000562809467078eab");
    assertThat(kafka.getSpanCount()).isEqualTo(28);
    assertThat(kafka.getErrorCount()).isEqualTo(3);
  }

  @Test
  void openTracesSurviveFailoverToAnInstanceWithEmptyStateAndCompleteOnce() throws IOException {
    String[] topics = createTopics();
    String app = "it-failover-" + UUID.randomUUID();
    RandomTraces random = new RandomTraces(new Random().nextLong());
    List<List<Span>> traces = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      traces.add(random.trace(random.traceId(), 6, System.currentTimeMillis()));
    }
    long produced = System.currentTimeMillis();
    Path firstDir = Files.createDirectories(stateDir.resolve("first"));
    try (AggregatorRunner first = new AggregatorRunner(cluster.bootstrapServers(), registry.url(), app, topics[0],
        topics[1], TIMING, LIMITS, firstDir)) {
      produce(topics[0], traces.stream().flatMap(t -> t.subList(0, 3).stream()).toList(), produced);
      Awaitility.await("first halves taken in").atMost(Duration.ofSeconds(60))
          .until(() -> first.openTraces() == 50);
    }
    // The spans produced before the failover but not yet read carry their original times, as they would.
    try (AggregatorRunner second = new AggregatorRunner(cluster.bootstrapServers(), registry.url(), app, topics[0],
        topics[1], TIMING, LIMITS, Files.createDirectories(stateDir.resolve("second")))) {
      produce(topics[0], traces.stream().flatMap(t -> t.subList(3, 6).stream()).toList(), produced + 100);
      Map<String, Trace> out = readOnce(topics[1], 50);

      for (List<Span> spans : traces) {
        Trace trace = out.get(spans.get(0).getTraceId());
        assertThat(trace.getVersion()).isEqualTo(1);
        assertThat(trace.getSpanCount()).as("spans from before and after the failover")
            .isEqualTo((int) spans.stream().map(s -> s.getSpanId() + s.getShared()).distinct().count());
      }
    }
  }
}
