package dev.tracepipe.latency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tracepipe.alerts.outliers.OutlierBranch;
import dev.tracepipe.avro.AlertRuleType;
import dev.tracepipe.avro.CallDifference;
import dev.tracepipe.avro.CriticalPathSegment;
import dev.tracepipe.avro.LatencyAlert;
import dev.tracepipe.avro.OperationLatency;
import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanKind;
import dev.tracepipe.avro.Trace;
import dev.tracepipe.avro.TraceQuality;
import dev.tracepipe.latency.LatencyCluster.Instance;
import dev.tracepipe.platform.TracepipeConfig;
import dev.tracepipe.schemas.topics.Topics;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two instances on a real broker and schema registry: normal traffic forms baselines and raises nothing; then a
 * dependency turns slow and the alerts name it in their blame and critical path.
 */
class LatencyAlertsIT {

  private static final String ROOT = new OperationKey("shop", "GET /checkout", SpanKind.SERVER).encode();
  private static final String SELECT = new OperationKey("inventory", "SELECT stock", SpanKind.CLIENT).encode();

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

  @Test
  void slowDependencyIsBlamedAndNormalTrafficRaisesNothing() throws Exception {
    TracepipeConfig config = backend.config(Map.ofEntries(
        Map.entry("latency.window", "2s"),
        Map.entry("latency.grace", "3s"),
        Map.entry("latency.rollups", "10s"),
        Map.entry("latency.baseline.windows", "5"),
        Map.entry("alerts.adaptive.k", "3"),
        Map.entry("alerts.adaptive.min-samples", "50"),
        Map.entry("alerts.storm.max-per-window", "100"),
        Map.entry("alerts.shape.min-samples", "20")));
    Map<String, Object> serde = config.serdeConfig();
    try (Instance a = Instance.start(config); Instance b = Instance.start(config);
        KafkaProducer<String, Trace> producer = backend.cluster().producer(new StringSerializer(),
            Topics.TRACES.valueSerde(serde).serializer());
        KafkaConsumer<String, LatencyAlert> alerts = backend.cluster().consumer(new StringDeserializer(),
            Topics.LATENCY_ALERTS.valueSerde(serde).deserializer())) {
      alerts.subscribe(List.of(Topics.LATENCY_ALERTS.name()));
      a.awaitRunning();
      b.awaitRunning();
      long base = System.currentTimeMillis() / 10_000 * 10_000;

      // Normal traffic for 20 s of event time: 800 traces, baselines form.
      List<Trace> normal = new ArrayList<>();
      for (int i = 0; i < 800; i++) {
        normal.add(checkout(base + i * 25L, 2, 1.0));
      }
      sendInRounds(producer, normal, a, b);
      await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
        assertThat(baselineCount(a, ROOT)).isGreaterThanOrEqualTo(50);
        assertThat(baselineCount(b, SELECT)).isGreaterThanOrEqualTo(50);
      });

      // Percentiles are the same whichever instance is asked: one answers, the other forwards.
      String query = "/api/latency?service=inventory&operation=" + URLEncoder.encode("SELECT stock",
          StandardCharsets.UTF_8) + "&kind=CLIENT&window=2s&endTs=" + (base + 20_000) + "&lookback=20s";
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        JsonNode fromA = get(a, query);
        assertThat(totalCount(fromA)).isEqualTo(800);
        assertThat(get(b, query)).isEqualTo(fromA);
      });
      // The listing gathers every operation from both instances, whichever is asked.
      String listing = "/api/latency/operations?window=2s&endTs=" + (base + 20_000) + "&lookback=20s";
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        JsonNode fromA = get(a, listing);
        assertThat(fromA.get("operations").findValuesAsText("operation")).contains("SELECT stock");
        assertThat(fromA.get("operations")).hasSizeGreaterThanOrEqualTo(3);
        assertThat(get(b, listing)).isEqualTo(fromA);
        for (JsonNode op : fromA.get("operations")) {
          if (op.get("operation").asText().equals("SELECT stock")) {
            assertThat(op.get("count").asLong()).isEqualTo(800);
          }
        }
      });

      // More normal traffic, then a slow dependency: SELECT 15x slower, and the stock check made with one auth call.
      // One trace in 150: a baseline (5 windows, 400 traces) then holds at most 3 slow ones and its p99 stays normal,
      // so every slow trace is alerted however soon the windows it falls in close. At one in 20 the baseline took
      // them in and the last ones were alerted or not depending on how fast the machine was.
      Set<String> slow = new HashSet<>();
      List<Trace> mixed = new ArrayList<>();
      for (int i = 0; i < 1500; i++) {
        long start = base + 20_000 + i * 25L;
        Trace trace = i % 150 == 75 ? checkout(start, 1, 15.0) : checkout(start, 2, 1.0);
        if (i % 150 == 75) {
          slow.add(trace.getTraceId());
        }
        mixed.add(trace);
      }
      sendInRounds(producer, mixed, a, b);

      List<LatencyAlert> received = new ArrayList<>();
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        alerts.poll(Duration.ofMillis(200)).forEach(r -> received.add(r.value()));
        assertThat(received).hasSizeGreaterThanOrEqualTo(slow.size());
      });
      alerts.poll(Duration.ofSeconds(1)).forEach(r -> received.add(r.value()));

      assertThat(received).extracting(LatencyAlert::getTraceId).containsExactlyInAnyOrderElementsOf(slow);
      for (LatencyAlert alert : received) {
        assertThat(alert.getRule().getType()).isEqualTo(AlertRuleType.ADAPTIVE_BASELINE);
        assertThat(alert.getBlame().get(0).getService()).isEqualTo("inventory");
        assertThat(alert.getBlame().get(0).getOperation()).isEqualTo("SELECT stock");
        CriticalPathSegment longest = alert.getCriticalPath().stream()
            .max(Comparator.comparingLong(CriticalPathSegment::getSelfTimeNanos)).orElseThrow();
        assertThat(longest.getOperation()).isEqualTo("SELECT stock");
        assertThat(alert.getStructuralDiff()).extracting(CallDifference::getService, CallDifference::getActualCalls)
            .contains(org.assertj.core.groups.Tuple.tuple("auth", 1));
      }
    }
  }

  private static long baselineCount(Instance instance, String key) {
    ReadOnlyKeyValueStore<String, OperationLatency> store = instance.streams().store(
        StoreQueryParameters.fromNameAndType(OutlierBranch.BASELINES_STORE, QueryableStoreTypes.keyValueStore()));
    OperationLatency latest = store.get(key);
    return latest == null ? 0 : latest.getLatency().getCount();
  }

  private static JsonNode get(Instance instance, String pathAndQuery) throws Exception {
    return instance.get(pathAndQuery);
  }

  private static long totalCount(JsonNode body) {
    long total = 0;
    for (JsonNode point : body.get("points")) {
      total += point.get("count").asLong();
    }
    return total;
  }

  /** One second of event time at a time, each sampled before the next (see {@link LatencyCluster#send}). */
  private static void sendInRounds(KafkaProducer<String, Trace> producer, List<Trace> traces, Instance a,
      Instance b) {
    for (int from = 0; from < traces.size(); from += 40) {
      LatencyCluster.send(producer, traces.subList(from, Math.min(traces.size(), from + 40)), List.of(a, b));
    }
  }

  /**
   * shop GET /checkout → auth check (authCalls times) → inventory GET /stock (client, then server) → SELECT stock,
   * whose duration is log-normal around 10 ms times slowdown.
   */
  private Trace checkout(long startMs, int authCalls, double slowdown) {
    String traceId = hex(32);
    long t0 = startMs * 1_000_000L;
    String rootId = hex(16);
    List<Span> spans = new ArrayList<>();
    long t = t0 + 500_000;
    for (int i = 0; i < authCalls; i++) {
      long d = 3_000_000 + random.nextInt(1_000_000);
      spans.add(span(traceId, hex(16), rootId, "auth", "check", SpanKind.CLIENT, t, d));
      t += d;
    }
    long select = Math.round(10_000_000 * slowdown * Math.exp(0.2 * random.nextGaussian()));
    String client = hex(16);
    String server = hex(16);
    spans.add(span(traceId, client, rootId, "shop", "GET /stock", SpanKind.CLIENT, t, select + 2_000_000));
    spans.add(span(traceId, server, client, "inventory", "GET /stock", SpanKind.SERVER, t + 500_000,
        select + 1_000_000));
    spans.add(span(traceId, hex(16), server, "inventory", "SELECT stock", SpanKind.CLIENT, t + 1_000_000, select));
    long end = t + select + 2_000_000 + 500_000;
    spans.add(0, span(traceId, rootId, null, "shop", "GET /checkout", SpanKind.SERVER, t0, end - t0));
    spans.sort(Comparator.comparingLong(Span::getStartTimeNanos).thenComparing(Span::getSpanId));
    return Trace.newBuilder()
        .setTraceId(traceId)
        .setCompletion(dev.tracepipe.avro.TraceCompletion.INACTIVITY_GAP)
        .setSpans(spans)
        .setStartTimeNanos(t0)
        .setEndTimeNanos(end)
        .setDurationNanos(end - t0)
        .setRootSpanId(rootId)
        .setRootService("shop")
        .setRootOperation("GET /checkout")
        .setSpanCount(spans.size())
        .setServices(List.of("auth", "inventory", "shop"))
        .setQuality(TraceQuality.newBuilder().build())
        .build();
  }

  private static Span span(String traceId, String id, String parent, String service, String name, SpanKind kind,
      long start, long duration) {
    return Span.newBuilder().setTraceId(traceId).setSpanId(id).setParentSpanId(parent).setService(service)
        .setName(name).setKind(kind).setStartTimeNanos(start).setDurationNanos(duration).build();
  }

  private static String hex(int length) {
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append(Character.forDigit(ThreadLocalRandom.current().nextInt(16), 16));
    }
    return sb.toString();
  }
}
