package dev.tracepipe.dependencies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tracepipe.avro.RemotePeer;
import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanKind;
import dev.tracepipe.avro.Trace;
import dev.tracepipe.platform.Health;
import dev.tracepipe.platform.StageContext;
import dev.tracepipe.platform.StreamsStage;
import dev.tracepipe.platform.TracepipeConfig;
import dev.tracepipe.platform.http.HttpApi;
import dev.tracepipe.platform.http.HttpSettings;
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
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A real broker and schema registry with the dependency graph's topics, and instances of the stage started on it with
 * their own HTTP servers; what every integration test of the stage starts from.
 */
final class StageOnBroker implements AutoCloseable {
  static final HttpClient HTTP = HttpClient.newHttpClient();

  final KafkaTestCluster kafka;
  final EmbeddedSchemaRegistry registry;
  private final List<AutoCloseable> running = new ArrayList<>();

  /** One instance of the stage: its HTTP server, its Kafka Streams application and its meters. */
  record Instance(HttpApi http, StreamsStage stage, SimpleMeterRegistry meters) {}

  private StageOnBroker(KafkaTestCluster kafka, EmbeddedSchemaRegistry registry) {
    this.kafka = kafka;
    this.registry = registry;
  }

  static StageOnBroker start() {
    KafkaTestCluster kafka = KafkaTestCluster.start();
    kafka.createTopics(List.of(Topics.TRACES, Topics.DEPENDENCY_EDGES, Topics.SPANS_DLQ));
    // The registry describes its topic right after creating it, which can race with metadata
    // propagation; create it here and wait until it is visible.
    kafka.createTopics(new NewTopic(EmbeddedSchemaRegistry.DEFAULT_TOPIC, 1, (short) 1)
        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
    try (Admin admin = kafka.admin()) {
      await().atMost(Duration.ofSeconds(30)).until(() ->
          admin.listTopics().names().get().contains(EmbeddedSchemaRegistry.DEFAULT_TOPIC));
    }
    return new StageOnBroker(kafka, EmbeddedSchemaRegistry.start(kafka.bootstrapServers(), 0));
  }

  Map<String, String> serdeConfig() {
    return Map.of(TracepipeConfig.SCHEMA_REGISTRY_URL, registry.url());
  }

  KafkaProducer<String, Trace> traceProducer() {
    return kafka.producer(new StringSerializer(), Topics.TRACES.valueSerde(serdeConfig()).serializer());
  }

  /** Starts an instance with one stream thread, its state under {@code stateDir/name}, and the given keys on top. */
  Instance startInstance(Path stateDir, String applicationPrefix, String name, HttpSettings http,
      Map<String, String> extra) {
    HttpApi api = HttpApi.start("dependency-graph-" + name, "localhost", 0, http);
    running.add(api);
    Map<String, String> settings = new HashMap<>();
    settings.put(TracepipeConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
    settings.put(TracepipeConfig.SCHEMA_REGISTRY_URL, registry.url());
    settings.put(TracepipeConfig.STATE_DIR, stateDir.resolve(name).toString());
    settings.put(TracepipeConfig.APPLICATION_ID_PREFIX, applicationPrefix);
    settings.put(TracepipeConfig.APPLICATION_SERVER, "localhost:" + api.port());
    settings.put("streams.num.stream.threads", "1");
    settings.putAll(extra);
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    StageContext context = new StageContext(TracepipeConfig.of(settings), meters, api, new Health());
    StreamsStage stage = (StreamsStage) new DependencyGraphStage().start(context);
    running.add(stage);
    return new Instance(api, stage, meters);
  }

  /** Stops the instances started since the last call, newest first. */
  void stopInstances() throws Exception {
    for (int i = running.size() - 1; i >= 0; i--) running.get(i).close();
    running.clear();
  }

  @Override
  public void close() throws Exception {
    stopInstances();
    registry.close();
    kafka.close();
  }

  /** GETs JSON from an instance, with a bearer token unless it is null, and expects 200. */
  static JsonNode getJson(HttpApi api, String pathAndQuery, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api.baseUrl() + pathAndQuery)).GET();
    if (token != null) request.header("Authorization", "Bearer " + token);
    var response = HTTP.send(request.build(), BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).as("%s %s", pathAndQuery, new String(response.body())).isEqualTo(200);
    return HttpApi.JSON.readTree(response.body());
  }

  static Span span(String traceId, String id, String parent, SpanKind kind, String service, long start,
      RemotePeer remote) {
    return Span.newBuilder().setTraceId(traceId).setSpanId(id).setParentSpanId(parent).setService(service)
        .setName("op").setKind(kind).setStartTimeNanos(start).setDurationNanos(5_000_000).setRemote(remote).build();
  }

  static String randomHex(int length) {
    StringBuilder hex = new StringBuilder(length);
    while (hex.length() < length) hex.append(Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE));
    return hex.substring(0, length);
  }
}
