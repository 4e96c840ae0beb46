package dev.tracepipe.dependencies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tracepipe.avro.DependencyEdge;
import dev.tracepipe.avro.RemotePeer;
import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanKind;
import dev.tracepipe.avro.Trace;
import dev.tracepipe.avro.TraceCompletion;
import dev.tracepipe.platform.Health;
import dev.tracepipe.platform.StageContext;
import dev.tracepipe.platform.StreamsStage;
import dev.tracepipe.platform.TracepipeConfig;
import dev.tracepipe.platform.http.HttpApi;
import dev.tracepipe.registry.EmbeddedSchemaRegistry;
import dev.tracepipe.schemas.topics.Topics;
import dev.tracepipe.testkit.KafkaTestCluster;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Edge windows on a real broker: shown partial while open, written and shown closed on a quiet system. */
class DependencyWindowsIT {
  static KafkaTestCluster kafka;
  static EmbeddedSchemaRegistry registry;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path stateDir;
  final List<AutoCloseable> running = new ArrayList<>();
  final List<HttpApi> apis = new ArrayList<>();

  @BeforeAll
  static void startCluster() {
    kafka = KafkaTestCluster.start();
    kafka.createTopics(List.of(Topics.TRACES, Topics.DEPENDENCY_EDGES));
    // The registry describes its topic right after creating it, which can race with metadata
    // propagation; create it here and wait until it is visible.
    kafka.createTopics(new NewTopic(EmbeddedSchemaRegistry.DEFAULT_TOPIC, 1, (short) 1)
        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
    try (Admin admin = kafka.admin()) {
      await().atMost(Duration.ofSeconds(30)).until(() ->
          admin.listTopics().names().get().contains(EmbeddedSchemaRegistry.DEFAULT_TOPIC));
    }
    registry = EmbeddedSchemaRegistry.start(kafka.bootstrapServers(), 0);
  }

  @AfterAll
  static void stopCluster() {
    if (registry != null) registry.close();
    if (kafka != null) kafka.close();
  }

  @AfterEach
  void stopInstances() throws Exception {
    for (int i = running.size() - 1; i >= 0; i--) running.get(i).close();
  }

  @Test
  void theLastWindowIsWrittenAndShownWithNoFurtherInput() throws Exception {
    StreamsStage stage = startInstance("it-" + UUID.randomUUID() + "-", "quiet",
        Map.of(DependencyGraphSettings.WINDOW.key(), "2s", DependencyGraphSettings.GRACE.key(), "1s"));
    await().atMost(Duration.ofSeconds(60)).until(() -> stage.streams().state() == KafkaStreams.State.RUNNING);
    Map<String, String> serde = Map.of("schema.registry.url", registry.url());
    long now = System.currentTimeMillis();
    // Its own services, so that the other test's graph does not see this call.
    String traceId = randomHex(32);
    Trace trace = Fixtures.trace(traceId, 1, TraceCompletion.INACTIVITY_GAP, span(traceId, randomHex(16), null,
        SpanKind.SERVER, "quiet-front", now * 1_000_000, RemotePeer.newBuilder().setService("quiet-browser").build()));
    long windowEnd = now - now % 2_000 + 2_000;
    try (KafkaProducer<String, Trace> producer = kafka.producer(new StringSerializer(),
            Topics.TRACES.valueSerde(serde).serializer());
        KafkaConsumer<String, DependencyEdge> output = kafka.consumer(new StringDeserializer(),
            Topics.DEPENDENCY_EDGES.valueSerde(serde).deserializer())) {
      output.subscribe(List.of(Topics.DEPENDENCY_EDGES.name()));
      producer.send(new ProducerRecord<>(Topics.TRACES.name(), null, now, traceId, trace)).get();
      String query = "/api/dependencies/edge?parent=quiet-browser&child=quiet-front&type=VIRTUAL&endTs=" + (now + 60_000)
          + "&lookback=120000";
      // Then nothing more: the window (2 s) is written and shown closed within its grace (1 s) and 5 s more.
      List<DependencyEdge> written = new ArrayList<>();
      long deadline = windowEnd + 1_000 + 5_000;
      await().atMost(Duration.ofMillis(Math.max(1, deadline - System.currentTimeMillis()))).untilAsserted(() -> {
        output.poll(Duration.ofMillis(100)).forEach(r -> {
          if (r.value().getParent().equals("quiet-browser") && r.value().getWindowEndMillis() == windowEnd) {
            written.add(r.value());
          }
        });
        assertThat(written).hasSize(1);
        JsonNode edges = getJson(apis.get(0), query);
        assertThat(edges.findValuesAsText("partial")).containsExactly("false");
      });
      assertThat(written.get(0).getCallCount()).isEqualTo(1);
    }
  }

  @Test
  void anEdgeIsShownPartialWhileItsWindowIsOpen() throws Exception {
    StreamsStage stage = startInstance("it-" + UUID.randomUUID() + "-", "open",
        Map.of(DependencyGraphSettings.WINDOW.key(), "1h", DependencyGraphSettings.GRACE.key(), "1s"));
    await().atMost(Duration.ofSeconds(60)).until(() -> stage.streams().state() == KafkaStreams.State.RUNNING);
    long now = System.currentTimeMillis();
    String traceId = randomHex(32);
    Trace trace = Fixtures.trace(traceId, 1, TraceCompletion.INACTIVITY_GAP, span(traceId, randomHex(16), null,
        SpanKind.SERVER, "open-front", now * 1_000_000, RemotePeer.newBuilder().setService("open-browser").build()));
    try (KafkaProducer<String, Trace> producer = kafka.producer(new StringSerializer(),
        Topics.TRACES.valueSerde(Map.of("schema.registry.url", registry.url())).serializer())) {
      producer.send(new ProducerRecord<>(Topics.TRACES.name(), null, now, traceId, trace)).get();
    }
    String query = "/api/dependencies/edge?parent=open-browser&child=open-front&type=VIRTUAL&endTs=" + (now + 60_000)
        + "&lookback=7200000";
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      JsonNode edges = getJson(apis.get(0), query);
      assertThat(edges.findValuesAsText("callCount")).containsExactly("1");
      assertThat(edges.findValuesAsText("partial")).containsExactly("true");
    });
  }

  StreamsStage startInstance(String applicationPrefix, String name, Map<String, String> extra) {
    HttpApi http = HttpApi.start("dependency-graph-" + name, "localhost", 0, 4, 1 << 20);
    running.add(http);
    apis.add(http);
    Map<String, String> settings = new HashMap<>();
    settings.put(TracepipeConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
    settings.put(TracepipeConfig.SCHEMA_REGISTRY_URL, registry.url());
    settings.put(TracepipeConfig.STATE_DIR, stateDir.resolve(name).toString());
    settings.put(TracepipeConfig.APPLICATION_ID_PREFIX, applicationPrefix);
    settings.put(TracepipeConfig.APPLICATION_SERVER, "localhost:" + http.port());
    settings.put("streams.num.stream.threads", "1");
    settings.putAll(extra);
    StageContext context = new StageContext(TracepipeConfig.of(settings), new SimpleMeterRegistry(), http, new Health());
    StreamsStage stage = (StreamsStage) new DependencyGraphStage().start(context);
    running.add(stage);
    return stage;
  }

  static Span span(String traceId, String id, String parent, SpanKind kind, String service, long start, RemotePeer remote) {
    return Span.newBuilder().setTraceId(traceId).setSpanId(id).setParentSpanId(parent).setService(service)
        .setName("op").setKind(kind).setStartTimeNanos(start).setDurationNanos(5_000_000).setRemote(remote).build();
  }

  static JsonNode getJson(HttpApi api, String pathAndQuery) throws Exception {
    var response = HTTP.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + pathAndQuery)).GET().build(),
        BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).as("%s %s", pathAndQuery, new String(response.body())).isEqualTo(200);
    return HttpApi.JSON.readTree(response.body());
  }

  static String randomHex(int length) {
    StringBuilder hex = new StringBuilder(length);
    while (hex.length() < length) hex.append(Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE));
    return hex.substring(0, length);
  }
}
