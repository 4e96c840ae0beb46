package dev.tracepipe.latency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tracepipe.avro.OperationLatency;
import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanKind;
import dev.tracepipe.avro.Trace;
import dev.tracepipe.avro.TraceCompletion;
import dev.tracepipe.avro.TraceQuality;
import dev.tracepipe.platform.Health;
import dev.tracepipe.platform.StageContext;
import dev.tracepipe.platform.TracepipeConfig;
import dev.tracepipe.platform.http.HttpApi;
import dev.tracepipe.platform.time.ClockMetrics;
import dev.tracepipe.registry.EmbeddedSchemaRegistry;
import dev.tracepipe.schemas.topics.Topics;
import dev.tracepipe.testkit.KafkaTestCluster;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real clocks on a real broker: one span from a host ten minutes fast (or two hours slow) before 20,000 honest spans of
 * the same operation loses none of them, and the last window closes with no further input.
 */
class LatencyClockIT {

  private static final int SPANS = 20_000;
  private static final int SPANS_PER_TRACE = 100;
  private static final double[] QUANTILES = {0.50, 0.75, 0.90, 0.95, 0.99, 0.999};
  private static final String[] FIELDS = {"p50Nanos", "p75Nanos", "p90Nanos", "p95Nanos", "p99Nanos", "p999Nanos"};

  private static KafkaTestCluster cluster;
  private static EmbeddedSchemaRegistry registry;

  private final Random random = new Random();
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void startBroker() {
    cluster = KafkaTestCluster.start();
    cluster.createTopics(Topics.ALL);
    cluster.createTopics(new NewTopic(EmbeddedSchemaRegistry.DEFAULT_TOPIC, 1, (short) 1)
        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      try (var admin = cluster.admin()) {
        return admin.listTopics().names().get().contains(EmbeddedSchemaRegistry.DEFAULT_TOPIC);
      }
    });
    registry = EmbeddedSchemaRegistry.start(cluster.bootstrapServers(), 0);
  }

  @AfterAll
  static void stopBroker() {
    if (registry != null) {
      registry.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  /** One instance of the stage with 2 s windows, 2 s grace and a 10 s rollup. */
  private record Instance(HttpApi http, LatencyAlertsStage.Running stage, SimpleMeterRegistry meters) implements AutoCloseable {
    static Instance start() throws Exception {
      HttpApi http = HttpApi.start("latency-clock-it", "localhost", 0, 2, 1 << 20);
      TracepipeConfig config = TracepipeConfig.of(Map.ofEntries(
          Map.entry(TracepipeConfig.BOOTSTRAP_SERVERS, cluster.bootstrapServers()),
          Map.entry(TracepipeConfig.SCHEMA_REGISTRY_URL, registry.url()),
          Map.entry(TracepipeConfig.APPLICATION_ID_PREFIX, "clock-it-" + UUID.randomUUID() + "-"),
          Map.entry(TracepipeConfig.STATE_DIR, Files.createTempDirectory("latency-clock-it").toString()),
          Map.entry("streams.num.stream.threads", "1"),
          Map.entry("streams.commit.interval.ms", "100"),
          Map.entry(LatencySettings.WINDOW.key(), "2s"),
          Map.entry(LatencySettings.GRACE.key(), "2s"),
          Map.entry(LatencySettings.ROLLUPS.key(), "10s")));
      SimpleMeterRegistry meters = new SimpleMeterRegistry();
      StageContext context = new StageContext(config, meters, http, new Health());
      Instance instance = new Instance(http, (LatencyAlertsStage.Running) new LatencyAlertsStage().start(context), meters);
      await().atMost(Duration.ofSeconds(60)).until(() -> instance.stage.streams().state() == KafkaStreams.State.RUNNING);
      return instance;
    }

    double adjusted(String reason) {
      var counter = meters.find(ClockMetrics.METRIC).tags("stage", LatencyAlertsStage.NAME, "reason", reason).counter();
      return counter == null ? 0 : counter.count();
    }

    @Override
    public void close() throws Exception {
      stage.close();
      http.close();
    }
  }

  @Test
  void aSpanTenMinutesAheadLosesNoneOfTheSpansAfterIt() throws Exception {
    skewedSpanThenHonestTraffic("fast-host", Duration.ofMinutes(10), "clock_ahead");
  }

  @Test
  void aSpanTwoHoursBehindIsCountedAtItsArrival() throws Exception {
    skewedSpanThenHonestTraffic("slow-host", Duration.ofHours(-2), "clock_behind");
  }

  private void skewedSpanThenHonestTraffic(String service, Duration skew, String reason) throws Exception {
    try (Instance stage = Instance.start();
        KafkaProducer<String, Trace> producer = cluster.producer(new StringSerializer(),
            Topics.TRACES.valueSerde(TracepipeConfig.of(Map.of(TracepipeConfig.SCHEMA_REGISTRY_URL, registry.url()))
                .serdeConfig()).serializer())) {
      List<Long> durations = new ArrayList<>();
      long now = System.currentTimeMillis();
      long skewedDuration = lognormal();
      durations.add(skewedDuration);
      send(producer, trace(service, List.of(now + skew.toMillis()), List.of(skewedDuration)), now);
      producer.flush();
      for (int t = 0; t < SPANS / SPANS_PER_TRACE; t++) {
        long sent = System.currentTimeMillis();
        List<Long> starts = new ArrayList<>();
        List<Long> spanDurations = new ArrayList<>();
        for (int i = 0; i < SPANS_PER_TRACE; i++) {
          starts.add(sent - random.nextInt(500));
          long d = lognormal();
          spanDurations.add(d);
          durations.add(d);
        }
        send(producer, trace(service, starts, spanDurations), sent);
      }
      producer.flush();

      String listing = "/api/latency/operations?window=2s&lookback=30m&endTs=" + (System.currentTimeMillis() + 60_000)
          + "&service=" + URLEncoder.encode(service, StandardCharsets.UTF_8);
      JsonNode row = await().atMost(Duration.ofSeconds(90)).until(() -> operation(stage, listing),
          r -> r != null && r.get("count").asLong() == SPANS + 1 && !r.get("partial").asBoolean());
      long[] sorted = durations.stream().mapToLong(Long::longValue).sorted().toArray();
      for (int i = 0; i < QUANTILES.length; i++) {
        long exact = sorted[(int) Math.floor(QUANTILES[i] * (sorted.length - 1))];
        assertThat((double) row.get(FIELDS[i]).asLong()).as(FIELDS[i])
            .isCloseTo(exact, org.assertj.core.data.Percentage.withPercentage(1));
      }
      assertThat(stage.adjusted(reason)).isEqualTo(1);
    }
  }

  @Test
  void theLastWindowIsWrittenAndShownWithNoFurtherInput() throws Exception {
    String service = "quiet-" + UUID.randomUUID();
    Map<String, Object> serde = TracepipeConfig.of(Map.of(TracepipeConfig.SCHEMA_REGISTRY_URL, registry.url()))
        .serdeConfig();
    try (Instance stage = Instance.start();
        KafkaProducer<String, Trace> producer = cluster.producer(new StringSerializer(),
            Topics.TRACES.valueSerde(serde).serializer());
        KafkaConsumer<String, OperationLatency> output = cluster.consumer(new StringDeserializer(),
            Topics.OPERATION_LATENCY.valueSerde(serde).deserializer())) {
      output.subscribe(List.of(Topics.OPERATION_LATENCY.name()));
      long now = System.currentTimeMillis();
      send(producer, trace(service, List.of(now, now + 1), List.of(5_000_000L, 7_000_000L)), now);
      producer.flush();
      String query = "/api/latency?service=" + URLEncoder.encode(service, StandardCharsets.UTF_8)
          + "&operation=op&kind=SERVER&window=2s&lookback=1m&endTs=" + (now + 30_000);
      // While it is open the window is shown, marked partial.
      JsonNode open = await().atMost(Duration.ofSeconds(30)).until(() -> get(stage, query).get("points"),
          points -> points.size() == 1);
      long windowEnd = open.get(0).get("windowEndMillis").asLong();
      // Then no further record: the window (2 s) closes on the wall clock within its grace (2 s) and 5 s more.
      long deadline = windowEnd + 2_000 + 5_000;
      List<OperationLatency> written = new ArrayList<>();
      await().atMost(Duration.ofMillis(Math.max(1, deadline - System.currentTimeMillis()))).untilAsserted(() -> {
        for (ConsumerRecord<String, OperationLatency> r : output.poll(Duration.ofMillis(100))) {
          if (r.value().getService().equals(service) && r.value().getWindowEndMillis() == windowEnd) {
            written.add(r.value());
          }
        }
        assertThat(written).hasSize(1);
        JsonNode point = get(stage, query).get("points").get(0);
        assertThat(point.get("partial").asBoolean()).isFalse();
      });
      assertThat(written.get(0).getLatency().getCount()).isEqualTo(2);
      assertThat(open.get(0).get("count").asLong()).isLessThanOrEqualTo(2);
    }
  }

  private JsonNode operation(Instance stage, String listing) throws Exception {
    JsonNode ops = get(stage, listing).get("operations");
    return ops.size() == 1 ? ops.get(0) : null;
  }

  private JsonNode get(Instance instance, String pathAndQuery) throws Exception {
    HttpResponse<String> response = http.send(
        HttpRequest.newBuilder(URI.create(instance.http().baseUrl() + pathAndQuery)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return HttpApi.JSON.readTree(response.body());
  }

  private long lognormal() {
    return Math.round(20_000_000 * Math.exp(0.8 * random.nextGaussian()));
  }

  private static void send(KafkaProducer<String, Trace> producer, Trace trace, long timestamp) {
    producer.send(new ProducerRecord<>(Topics.TRACES.name(), null, timestamp, trace.getTraceId(), trace));
  }

  /** One trace of root-less SERVER spans of operation {@code op}; their times are what the test gives. */
  private static Trace trace(String service, List<Long> startsMs, List<Long> durationsNanos) {
    String traceId = hex(32);
    List<Span> spans = new ArrayList<>();
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    for (int i = 0; i < startsMs.size(); i++) {
      long start = startsMs.get(i) * 1_000_000L;
      long duration = durationsNanos.get(i);
      spans.add(Span.newBuilder().setTraceId(traceId).setSpanId(hex(16)).setService(service).setName("op")
          .setKind(SpanKind.SERVER).setStartTimeNanos(start).setDurationNanos(duration).build());
      first = Math.min(first, start);
      last = Math.max(last, start + duration);
    }
    return Trace.newBuilder().setTraceId(traceId).setCompletion(TraceCompletion.INACTIVITY_GAP).setSpans(spans)
        .setStartTimeNanos(first).setEndTimeNanos(last).setDurationNanos(last - first)
        .setRootSpanId(spans.get(0).getSpanId()).setRootService(service).setRootOperation("op")
        .setSpanCount(spans.size()).setServices(List.of(service)).setQuality(TraceQuality.newBuilder().build())
        .build();
  }

  private static String hex(int length) {
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append(Character.forDigit(ThreadLocalRandom.current().nextInt(16), 16));
    }
    return sb.toString();
  }

}
