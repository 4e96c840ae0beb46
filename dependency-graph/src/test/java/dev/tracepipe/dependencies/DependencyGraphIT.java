package dev.tracepipe.dependencies;

import static dev.tracepipe.dependencies.StageOnBroker.randomHex;
import static dev.tracepipe.dependencies.StageOnBroker.span;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tracepipe.avro.RemotePeer;
import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanKind;
import dev.tracepipe.avro.Status;
import dev.tracepipe.avro.StatusCode;
import dev.tracepipe.avro.Trace;
import dev.tracepipe.avro.TraceCompletion;
import dev.tracepipe.platform.http.HttpApi;
import dev.tracepipe.platform.http.HttpSettings;
import dev.tracepipe.schemas.topics.Topics;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two instances of the stage on a real broker answer the HTTP API with the same, complete graph. */
class DependencyGraphIT {
  static StageOnBroker broker;
  static final String TOKEN = "instances-" + ThreadLocalRandom.current().nextLong(Long.MAX_VALUE);

  @TempDir Path stateDir;
  final List<HttpApi> apis = new ArrayList<>();

  @BeforeAll
  static void startBroker() {
    broker = StageOnBroker.start();
  }

  @AfterAll
  static void stopBroker() throws Exception {
    if (broker != null) broker.close();
  }

  @AfterEach
  void stopInstances() throws Exception {
    broker.stopInstances();
  }

  @Test
  void twoInstancesAnswerWithTheSameCompleteGraph() throws Exception {
    String applicationPrefix = "it-" + UUID.randomUUID() + "-";
    startInstance(applicationPrefix, "a");
    startInstance(applicationPrefix, "b");
    assertThat(Topics.TRACES.partitions()).isGreaterThanOrEqualTo(2);

    long now = System.currentTimeMillis();
    int traces = 30;
    try (KafkaProducer<String, Trace> producer = broker.traceProducer()) {
      for (int i = 0; i < traces; i++) {
        Trace trace = checkout(i, now);
        producer.send(new ProducerRecord<>(Topics.TRACES.name(), trace.getTraceId(), trace)).get();
      }
    }
    List<Map<String, Object>> expected = List.of(
        link("app", "payments", 10, 0),
        link("app", "postgresql", 30, 0),
        link("browser", "web", 30, 0),
        link("web", "app", 30, 6));
    String query = "?endTs=" + (now + 60_000) + "&lookback=" + 3_600_000;

    for (HttpApi api : apis) {
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
          assertThat(getJson(api, "/api/v2/dependencies" + query)).isEqualTo(HttpApi.JSON.readTree(HttpApi.JSON.writeValueAsBytes(expected))));
    }
    JsonNode detailed = getJson(apis.get(0), "/api/dependencies" + query);
    assertThat(detailed).isEqualTo(getJson(apis.get(1), "/api/dependencies" + query));
    assertThat(detailed.findValuesAsText("connectionType")).containsExactly("VIRTUAL", "DATABASE", "VIRTUAL", "RPC");
    assertThat(detailed.get(3).get("latency").get("count").asLong()).isEqualTo(traces);

    long localCalls = 0;
    for (HttpApi api : apis) {
      for (JsonNode edge : getJson(api, "/internal/dependencies/local" + query)) localCalls += edge.get("calls").asLong();
    }
    assertThat(localCalls).as("each call held by exactly one instance").isEqualTo(100);
    assertThat(StageOnBroker.HTTP.send(HttpRequest.newBuilder(
        URI.create(apis.get(0).baseUrl() + "/internal/dependencies/local")).GET().build(), BodyHandlers.discarding())
        .statusCode()).as("no credential, no edges").isEqualTo(401);

    for (HttpApi api : apis) {
      JsonNode edge = getJson(api, "/api/dependencies/edge" + query + "&parent=web&child=app&type=RPC");
      assertThat(edge.get(0).get("callCount").asLong()).isEqualTo(traces);
      assertThat(edge.get(0).get("errorCount").asLong()).isEqualTo(6);
    }
  }

  void startInstance(String applicationPrefix, String name) {
    // Authenticated: the instances' calls to each other's /internal routes must carry the credential to succeed.
    apis.add(broker.startInstance(stateDir, applicationPrefix, name,
        HttpSettings.DEFAULTS.withThreads(4).withMaxBodyBytes(1 << 20).withAuth(List.of(TOKEN), Map.of()), Map.of())
        .http());
  }

  /**
   * A browser calls web, web calls app (every fifth call fails on app), app queries PostgreSQL and
   * every third time an uninstrumented payments service.
   */
  static Trace checkout(int i, long nowMillis) {
    String traceId = randomHex(32);
    long start = (nowMillis - 1_000) * 1_000_000;
    List<Span> spans = new ArrayList<>();
    String web = randomHex(16);
    String call = randomHex(16);
    String app = randomHex(16);
    spans.add(span(traceId, web, null, SpanKind.SERVER, "web", start, RemotePeer.newBuilder().setService("browser").build()));
    spans.add(span(traceId, call, web, SpanKind.CLIENT, "web", start + 1_000_000, RemotePeer.newBuilder().setService("app").build()));
    Span appServer = span(traceId, app, call, SpanKind.SERVER, "app", start + 2_000_000, null);
    if (i % 5 == 0) appServer = Span.newBuilder(appServer).setStatus(new Status(StatusCode.ERROR, "boom")).build();
    spans.add(appServer);
    spans.add(span(traceId, randomHex(16), app, SpanKind.CLIENT, "app", start + 3_000_000,
        RemotePeer.newBuilder().setDbSystem("postgresql").setAddress("db.internal").build()));
    if (i % 3 == 0) {
      spans.add(span(traceId, randomHex(16), app, SpanKind.CLIENT, "app", start + 4_000_000,
          RemotePeer.newBuilder().setService("payments").build()));
    }
    return Fixtures.trace(traceId, 1, TraceCompletion.INACTIVITY_GAP, spans.toArray(Span[]::new));
  }

  static Map<String, Object> link(String parent, String child, long calls, long errors) {
    Map<String, Object> link = new java.util.LinkedHashMap<>();
    link.put("parent", parent);
    link.put("child", child);
    link.put("callCount", calls);
    link.put("errorCount", errors);
    return link;
  }

  static JsonNode getJson(HttpApi api, String pathAndQuery) throws Exception {
    return StageOnBroker.getJson(api, pathAndQuery, TOKEN);
  }
}
