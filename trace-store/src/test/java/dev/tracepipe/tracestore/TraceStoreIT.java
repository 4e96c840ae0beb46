package dev.tracepipe.tracestore;

import static dev.tracepipe.tracestore.TraceStoreCluster.get;
import static dev.tracepipe.tracestore.TraceStoreCluster.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tracepipe.avro.RemotePeer;
import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanKind;
import dev.tracepipe.avro.Trace;
import dev.tracepipe.avro.TraceCompletion;
import dev.tracepipe.platform.http.HttpApi;
import dev.tracepipe.testkit.TraceFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import zipkin2.codec.SpanBytesDecoder;

/** Two instances of the trace store on a real broker: the same answers from both, searches, versions, retention. */
class TraceStoreIT {
  static final Duration WAIT = Duration.ofSeconds(90);
  static TraceStoreCluster cluster;
  static final long NOW = System.currentTimeMillis();
  static final String SHOP = "shop-" + UUID.randomUUID().toString().substring(0, 8);
  /** Trace ids of the shop traces, by index: trace i starts i seconds after the first and lasts (i+1)*10 ms. */
  static final List<String> SHOP_TRACES = new ArrayList<>();
  /** Trace ids of the samples, by file name, and their spans as Zipkin returns them. */
  static final Map<String, List<zipkin2.Span>> SAMPLES = new LinkedHashMap<>();
  static final Map<String, String> SAMPLE_IDS = new LinkedHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    cluster = new TraceStoreCluster();
    Path state = Files.createTempDirectory("trace-store-it");
    Map<String, String> settings = Map.of(TraceStoreSettings.EXPIRY_INTERVAL.key(), "1s");
    cluster.start(state, settings, new TraceStoreStage());
    cluster.start(state, settings, new TraceStoreStage());
    for (int i = 0; i < 8; i++) {
      Trace trace = shopTrace(i);
      SHOP_TRACES.add(trace.getTraceId());
      cluster.send(trace, NOW);
    }
    int n = 0;
    for (Path file : Samples.zipkinFiles()) {
      String id = Samples.randomTraceId();
      List<zipkin2.Span> spans = Samples.retimed(Samples.zipkin(file), (NOW - 300_000 + n++ * 1000) * 1000, id);
      SAMPLES.put(file.getFileName().toString(), Samples.distinct(spans));
      SAMPLE_IDS.put(file.getFileName().toString(), spans.get(0).traceId());
      cluster.send(Samples.trace(spans, 1), NOW);
    }
    for (HttpApi api : cluster.apis) {
      await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
          assertThat(json(api, "/api/v2/traces?serviceName=" + SHOP + "&limit=100")).hasSize(8));
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) cluster.close();
  }

  @Test
  void everyEndpointGivesTheSameAnswerOnBothInstances() throws Exception {
    String sample = SAMPLE_IDS.get("smartthings-oauth-authorization.json");
    List<String> paths = List.of("/api/v2/services", "/api/v2/spans?serviceName=" + SHOP,
        "/api/v2/remoteServices?serviceName=" + SHOP, "/api/v2/autocompleteKeys",
        "/api/v2/autocompleteValues?key=http.method", "/api/v2/traces?serviceName=" + SHOP,
        "/api/v2/traces?lookback=600000&limit=50", "/api/v2/trace/" + sample,
        "/api/v2/traceMany?traceIds=" + sample + "," + SHOP_TRACES.get(0),
        "/zipkin/api/v2/traces?serviceName=" + SHOP + "&endTs=" + (NOW + 60_000),
        "/api/traces/compare?a=" + SHOP_TRACES.get(0) + "&b=" + SHOP_TRACES.get(7));
    for (String path : paths) {
      JsonNode first = json(cluster.apis.get(0), path);
      assertThat(json(cluster.apis.get(1), path)).as(path).isEqualTo(first);
    }
  }

  @Test
  void namesComeFromEveryPartition() throws Exception {
    for (HttpApi api : cluster.apis) {
      assertThat(strings(api, "/api/v2/services")).contains(SHOP, "mobile-gateway", "auth-service", "content-service");
      assertThat(strings(api, "/api/v2/spans?serviceName=" + SHOP.toUpperCase())).containsExactly("checkout", "pay");
      assertThat(strings(api, "/api/v2/remoteServices?serviceName=" + SHOP)).containsExactly("payments");
      assertThat(strings(api, "/api/v2/autocompleteKeys")).contains("http.method");
      assertThat(strings(api, "/api/v2/autocompleteValues?key=http.method")).contains("GET", "POST");
    }
  }

  @Test
  void everySampleTraceComesBackFromEitherInstanceAsZipkinSentIt() throws Exception {
    for (Map.Entry<String, List<zipkin2.Span>> sample : SAMPLES.entrySet()) {
      String id = SAMPLE_IDS.get(sample.getKey());
      for (HttpApi api : cluster.apis) {
        List<zipkin2.Span> spans = SpanBytesDecoder.JSON_V2.decodeList(ok(api, "/api/v2/trace/" + id));
        assertThat(spans).as(sample.getKey()).hasSameSizeAs(sample.getValue());
        assertThat(spans).extracting(zipkin2.Span::id).containsExactlyInAnyOrderElementsOf(
            sample.getValue().stream().map(zipkin2.Span::id).toList());
        assertThat(spans).allSatisfy(s -> assertThat(s.traceId()).isEqualTo(id));
      }
    }
  }

  @Test
  void sixtyFourBitIdIsFoundByBothSpellingsAndUnknownIdIs404() throws Exception {
    String id = SAMPLE_IDS.get("ascend.json");
    assertThat(id).hasSize(16);
    for (HttpApi api : cluster.apis) {
      assertThat(SpanBytesDecoder.JSON_V2.decodeList(ok(api, "/api/v2/trace/" + id))).isNotEmpty();
      assertThat(SpanBytesDecoder.JSON_V2.decodeList(ok(api, "/api/v2/trace/" + "0".repeat(16) + id))).isNotEmpty();
      assertThat(get(api, "/api/v2/trace/" + Samples.randomTraceId()).statusCode()).isEqualTo(404);
      assertThat(get(api, "/api/v2/trace/not-hex").statusCode()).isEqualTo(400);
    }
  }

  @Test
  void traceManyReturnsTheTracesThatExist() throws Exception {
    String ids = SHOP_TRACES.get(1) + "," + Samples.randomTraceId() + "," + SAMPLE_IDS.get("skew.json");
    for (HttpApi api : cluster.apis) {
      assertThat(traceIds(api, "/api/v2/traceMany?traceIds=" + ids))
          .containsExactlyInAnyOrder(SHOP_TRACES.get(1), Samples.pad32(SAMPLE_IDS.get("skew.json")));
    }
  }

  @Test
  void searchesByServiceSpanTagAndDurationReturnTheRightTracesNewestFirstWithinTheLimit() throws Exception {
    for (HttpApi api : cluster.apis) {
      assertThat(traceIds(api, "/api/v2/traces?serviceName=" + SHOP + "&limit=3")).containsExactly(shop(7, 6, 5));
      assertThat(traceIds(api, "/api/v2/traces?serviceName=" + SHOP + "&spanName=pay")).containsExactly(shop(3, 2, 1, 0));
      assertThat(traceIds(api, "/api/v2/traces?serviceName=" + SHOP + "&remoteServiceName=payments&limit=2"))
          .containsExactly(shop(3, 2));
      assertThat(traceIds(api, "/api/v2/traces?serviceName=" + SHOP + "&annotationQuery=http.method%3DPOST"))
          .containsExactly(shop(6, 4, 2, 0));
      assertThat(traceIds(api, "/api/v2/traces?annotationQuery=http.method%3DPOST%20and%20retry&spanName=checkout"))
          .containsExactly(shop(6));
      assertThat(traceIds(api, "/api/v2/traces?serviceName=" + SHOP + "&minDuration=30000&maxDuration=50000"))
          .containsExactly(shop(4, 3, 2));
      assertThat(traceIds(api, "/api/v2/traces?spanName=checkout&limit=100")).containsExactly(shop(7, 6, 5, 4, 3, 2, 1, 0));
      assertThat(traceIds(api, "/api/v2/traces?serviceName=" + SHOP + "&endTs=" + (NOW - 56_500) + "&lookback=2000"))
          .as("only traces whose timestamp lies in the range").containsExactly(shop(3, 2));
      assertThat(get(api, "/api/v2/traces?minDuration=-1").statusCode()).isEqualTo(400);
    }
  }

  @Test
  void laterVersionReplacesTheEarlierOnBothInstances() throws Exception {
    String id = Samples.randomTraceId();
    Span root = span(id, "00000000000000a1", null, "versions", "root", NOW - 10_000, 5, SpanKind.SERVER);
    cluster.send(TraceFixtures.trace(id, 1, TraceCompletion.INACTIVITY_GAP, List.of(root)), NOW);
    Span late = span(id, "00000000000000a2", "00000000000000a1", "versions", "late", NOW - 9_000, 1, SpanKind.CLIENT);
    cluster.send(TraceFixtures.trace(id, 2, TraceCompletion.LATE_UPDATE, List.of(root, late)), NOW);
    for (HttpApi api : cluster.apis) {
      await().atMost(WAIT).untilAsserted(() -> assertThat(SpanBytesDecoder.JSON_V2.decodeList(
          ok(api, "/api/v2/trace/" + id))).extracting(zipkin2.Span::name).containsExactlyInAnyOrder("root", "late"));
      assertThat(strings(api, "/api/v2/spans?serviceName=versions")).containsExactly("late", "root");
    }
  }

  @Test
  void retentionDropsOldTraces() throws Exception {
    String id = Samples.randomTraceId();
    Span root = span(id, "00000000000000a1", null, "old-" + SHOP, "root", NOW - 10_000, 5, SpanKind.SERVER);
    double expiredBefore = expired();
    // Stored with a record time older than the retention: the next expiry run deletes it.
    cluster.send(TraceFixtures.trace(id, 1, TraceCompletion.INACTIVITY_GAP, List.of(root)),
        NOW - Duration.ofHours(25).toMillis());
    await().atMost(WAIT).untilAsserted(() -> assertThat(expired()).isGreaterThan(expiredBefore));
    for (HttpApi api : cluster.apis) {
      assertThat(get(api, "/api/v2/trace/" + id).statusCode()).isEqualTo(404);
      assertThat(strings(api, "/api/v2/services")).doesNotContain("old-" + SHOP);
    }
  }

  @Test
  void compareNamesTheCallOnlyOneTraceMade() throws Exception {
    for (HttpApi api : cluster.apis) {
      JsonNode diff = json(api, "/api/traces/compare?a=" + SHOP_TRACES.get(0) + "&b=" + SHOP_TRACES.get(7));
      assertThat(diff.get("onlyInA")).hasSize(1);
      assertThat(diff.get("onlyInA").get(0).get("operation").asText()).isEqualTo("pay");
      assertThat(diff.get("onlyInB")).isEmpty();
      assertThat(diff.get("durationsDiffer").get(0).get("difference").asLong()).isEqualTo(70_000);
      assertThat(get(api, "/api/traces/compare?a=" + SHOP_TRACES.get(0) + "&b=" + Samples.randomTraceId())
          .statusCode()).isEqualTo(404);
    }
  }

  /** The requests Grafana's Zipkin data source makes, as its query editor sends them. */
  @Test
  void grafanaZipkinDataSourceRequests() throws Exception {
    for (HttpApi api : cluster.apis) {
      List<String> services = strings(api, "/api/v2/services");
      assertThat(services).contains(SHOP);
      List<String> spans = strings(api, "/api/v2/spans?serviceName=" + SHOP);
      assertThat(spans).contains("checkout");
      JsonNode traces = json(api, "/api/v2/traces?serviceName=" + SHOP + "&spanName=checkout");
      assertThat(traces).hasSize(8);
      for (JsonNode trace : traces) {
        // Grafana lists each trace by its root span: one without a parentId must be there.
        JsonNode root = null;
        for (JsonNode span : trace) if (!span.hasNonNull("parentId")) root = span;
        assertThat(root).isNotNull();
        String traceId = root.get("traceId").asText();
        List<zipkin2.Span> full = SpanBytesDecoder.JSON_V2.decodeList(ok(api, "/api/v2/trace/" + traceId));
        assertThat(full).extracting(zipkin2.Span::traceId).containsOnly(traceId);
      }
    }
  }

  static double expired() {
    return cluster.meters.stream().mapToDouble(m -> m.get("tracepipe.trace.store.traces.expired").counter().count())
        .sum();
  }

  static String[] shop(int... indexes) {
    String[] ids = new String[indexes.length];
    for (int i = 0; i < indexes.length; i++) ids[i] = SHOP_TRACES.get(indexes[i]);
    return ids;
  }

  /** Trace i of the shop: a root "checkout" of (i+1)*10 ms, POST when i is even, calling payments when i < 4. */
  static Trace shopTrace(int i) {
    String id = Samples.randomTraceId();
    long start = NOW - 60_000 + i * 1000L;
    Span root = Span.newBuilder(span(id, "00000000000000a1", null, SHOP, "checkout", start, (i + 1) * 10, SpanKind.SERVER))
        .setAttributes(i == 6 ? Map.of("http.method", "POST", "retry", "1")
            : Map.of("http.method", i % 2 == 0 ? "POST" : "GET")).build();
    List<Span> spans = new ArrayList<>(List.of(root));
    if (i < 4) {
      spans.add(Span.newBuilder(span(id, "00000000000000a2", "00000000000000a1", SHOP, "pay", start + 1, 1,
          SpanKind.CLIENT)).setRemote(RemotePeer.newBuilder().setService("payments").build()).build());
    }
    return TraceFixtures.trace(id, 1, TraceCompletion.INACTIVITY_GAP, spans);
  }

  static Span span(String traceId, String id, String parent, String service, String name, long startMillis,
      long durationMillis, SpanKind kind) {
    return Span.newBuilder().setTraceId(traceId).setSpanId(id).setParentSpanId(parent).setService(service)
        .setName(name).setKind(kind).setStartTimeNanos(startMillis * 1_000_000)
        .setDurationNanos(durationMillis * 1_000_000).build();
  }

  static JsonNode json(HttpApi api, String path) throws Exception {
    return HttpApi.JSON.readTree(ok(api, path));
  }

  static List<String> strings(HttpApi api, String path) throws Exception {
    List<String> out = new ArrayList<>();
    json(api, path).forEach(n -> out.add(n.asText()));
    return out;
  }

  static List<String> traceIds(HttpApi api, String path) throws Exception {
    List<String> out = new ArrayList<>();
    for (JsonNode trace : json(api, path)) {
      byte[] bytes = HttpApi.JSON.writeValueAsBytes(trace);
      List<zipkin2.Span> spans = SpanBytesDecoder.JSON_V2.decodeList(bytes);
      out.add("0".repeat(32 - spans.get(0).traceId().length()) + spans.get(0).traceId());
    }
    return out;
  }
}
