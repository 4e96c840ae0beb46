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
import dev.tracepipe.latency.LatencyCluster.Instance;
import dev.tracepipe.platform.time.ClockMetrics;
import dev.tracepipe.schemas.topics.Topics;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
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

  /** 2 s windows, 2 s grace and a 10 s rollup. */
  private static final Map<String, String> WINDOWS = Map.of(LatencySettings.WINDOW.key(), "2s",
      LatencySettings.GRACE.key(), "2s", LatencySettings.ROLLUPS.key(), "10s");

  private static LatencyCluster.Backend backend;

  private final Random random = new Random();

  @BeforeAll
  static void startBroker() {
    backend = LatencyCluster.Backend.start();
  }

  @AfterAll
  static void stopBroker() {
    if (backend != null) {
      backend.close();
    }
  }

  private static Instance start() throws Exception {
    return Instance.start(backend.config(WINDOWS)).awaitRunning();
  }

  private static KafkaProducer<String, Trace> producer() {
    return backend.cluster().producer(new StringSerializer(),
        Topics.TRACES.valueSerde(backend.config(Map.of()).serdeConfig()).serializer());
  }

  private static double adjusted(Instance instance, String reason) {
    var counter = instance.meters().find(ClockMetrics.METRIC).tags("stage", LatencyAlertsStage.NAME, "reason", reason)
        .counter();
    return counter == null ? 0 : counter.count();
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
    try (Instance stage = start(); KafkaProducer<String, Trace> producer = producer()) {
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
      assertThat(adjusted(stage, reason)).isEqualTo(1);
    }
  }

  @Test
  void theLastWindowIsWrittenAndShownWithNoFurtherInput() throws Exception {
    String service = "quiet-" + UUID.randomUUID();
    try (Instance stage = start(); KafkaProducer<String, Trace> producer = producer();
        KafkaConsumer<String, OperationLatency> output = backend.cluster().consumer(new StringDeserializer(),
            Topics.OPERATION_LATENCY.valueSerde(backend.config(Map.of()).serdeConfig()).deserializer())) {
      output.subscribe(List.of(Topics.OPERATION_LATENCY.name()));
      long now = System.currentTimeMillis();
      send(producer, trace(service, List.of(now, now + 1), List.of(5_000_000L, 7_000_000L)), now);
      producer.flush();
      String query = "/api/latency?service=" + URLEncoder.encode(service, StandardCharsets.UTF_8)
          + "&operation=op&kind=SERVER&window=2s&lookback=1m&endTs=" + (now + 30_000);
      // While it is open the window is shown, marked partial.
      JsonNode open = await().atMost(Duration.ofSeconds(30)).until(() -> stage.get(query).get("points"),
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
        JsonNode point = stage.get(query).get("points").get(0);
        assertThat(point.get("partial").asBoolean()).isFalse();
      });
      assertThat(written.get(0).getLatency().getCount()).isEqualTo(2);
      assertThat(open.get(0).get("count").asLong()).isLessThanOrEqualTo(2);
    }
  }

  private JsonNode operation(Instance stage, String listing) throws Exception {
    JsonNode ops = stage.get(listing).get("operations");
    return ops.size() == 1 ? ops.get(0) : null;
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
