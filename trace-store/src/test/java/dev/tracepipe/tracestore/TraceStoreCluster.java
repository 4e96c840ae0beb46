package dev.tracepipe.tracestore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracepipe.avro.Trace;
import dev.tracepipe.platform.Health;
import dev.tracepipe.platform.Stage;
import dev.tracepipe.platform.StageContext;
import dev.tracepipe.platform.TracepipeConfig;
import dev.tracepipe.platform.http.HttpApi;
import dev.tracepipe.registry.EmbeddedSchemaRegistry;
import dev.tracepipe.schemas.topics.Topics;
import dev.tracepipe.testkit.KafkaTestCluster;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;

/** A real broker and registry, and instances of stages started against them, each with its own HTTP API. */
final class TraceStoreCluster implements AutoCloseable {
  static final HttpClient HTTP = HttpClient.newHttpClient();

  final KafkaTestCluster kafka;
  final EmbeddedSchemaRegistry registry;
  final String applicationPrefix = "it-" + UUID.randomUUID() + "-";
  final List<HttpApi> apis = new ArrayList<>();
  final List<SimpleMeterRegistry> meters = new ArrayList<>();
  private final List<AutoCloseable> running = new ArrayList<>();

  TraceStoreCluster() {
    kafka = KafkaTestCluster.start();
    kafka.createTopics(List.of(Topics.TRACES, Topics.DEPENDENCY_EDGES));
    kafka.createTopics(new NewTopic(EmbeddedSchemaRegistry.DEFAULT_TOPIC, 1, (short) 1)
        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
    try (Admin admin = kafka.admin()) {
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
          admin.listTopics().names().get().contains(EmbeddedSchemaRegistry.DEFAULT_TOPIC));
    }
    registry = EmbeddedSchemaRegistry.start(kafka.bootstrapServers(), 0);
  }

  /** One instance: its own HTTP port (its application.server), state directory and meters; the stages share both. */
  HttpApi start(Path stateDir, Map<String, String> more, Stage... stages) throws Exception {
    HttpApi http = HttpApi.start("instance-" + apis.size(), "localhost", 0, 8, 1 << 20);
    running.add(http);
    apis.add(http);
    Map<String, String> settings = new HashMap<>(more);
    settings.put(TracepipeConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
    settings.put(TracepipeConfig.SCHEMA_REGISTRY_URL, registry.url());
    settings.put(TracepipeConfig.STATE_DIR, stateDir.resolve("instance-" + apis.size()).toString());
    settings.put(TracepipeConfig.APPLICATION_ID_PREFIX, applicationPrefix);
    settings.put(TracepipeConfig.APPLICATION_SERVER, "localhost:" + http.port());
    settings.put("streams.num.stream.threads", "1");
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    meters.add(registry);
    StageContext context = new StageContext(TracepipeConfig.of(settings), registry, http, new Health());
    for (Stage stage : stages) running.add(stage.start(context));
    return http;
  }

  void send(Trace trace, long recordTimestamp) throws Exception {
    try (KafkaProducer<String, Trace> producer = kafka.producer(new StringSerializer(),
        Topics.TRACES.valueSerde(Map.of("schema.registry.url", registry.url())).serializer())) {
      producer.send(new ProducerRecord<>(Topics.TRACES.name(), null, recordTimestamp, trace.getTraceId(), trace)).get();
    }
  }

  static HttpResponse<byte[]> get(HttpApi api, String pathAndQuery) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + pathAndQuery)).GET().build(),
        BodyHandlers.ofByteArray());
  }

  static byte[] ok(HttpApi api, String pathAndQuery) throws Exception {
    HttpResponse<byte[]> response = get(api, pathAndQuery);
    assertThat(response.statusCode()).as("%s %s", pathAndQuery, new String(response.body())).isEqualTo(200);
    return response.body();
  }

  @Override
  public void close() throws Exception {
    for (int i = running.size() - 1; i >= 0; i--) running.get(i).close();
    registry.close();
    kafka.close();
  }
}
