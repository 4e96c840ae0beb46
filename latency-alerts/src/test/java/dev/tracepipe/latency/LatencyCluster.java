package dev.tracepipe.latency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.StatusCode;
import dev.tracepipe.avro.Trace;
import dev.tracepipe.avro.TraceCompletion;
import dev.tracepipe.avro.TraceQuality;
import dev.tracepipe.platform.Health;
import dev.tracepipe.platform.Stage;
import dev.tracepipe.platform.StageContext;
import dev.tracepipe.platform.TracepipeConfig;
import dev.tracepipe.platform.http.HttpApi;
import dev.tracepipe.registry.EmbeddedSchemaRegistry;
import dev.tracepipe.schemas.topics.Topics;
import dev.tracepipe.testkit.KafkaTestCluster;
import dev.tracepipe.workload.SimulatedSystem;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.IntConsumer;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.KafkaStreams;

/** A real broker and registry, and running instances of the latency stage: what the integration tests share. */
public final class LatencyCluster {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String CHECKOUT = "POST /checkout";

  private LatencyCluster() {}

  /** A broker with the catalogue topics and a schema registry on it. */
  public record Backend(KafkaTestCluster cluster, EmbeddedSchemaRegistry registry) implements AutoCloseable {
    public static Backend start() {
      KafkaTestCluster cluster = KafkaTestCluster.start();
      cluster.createTopics(Topics.ALL);
      // The registry describes its topic right after creating it, before the metadata has spread: create it here.
      cluster.createTopics(new NewTopic(EmbeddedSchemaRegistry.DEFAULT_TOPIC, 1, (short) 1)
          .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        try (var admin = cluster.admin()) {
          return admin.listTopics().names().get().contains(EmbeddedSchemaRegistry.DEFAULT_TOPIC);
        }
      });
      return new Backend(cluster, EmbeddedSchemaRegistry.start(cluster.bootstrapServers(), 0));
    }

    /** The settings every instance shares: this broker and registry, one application id, quick commits. */
    public TracepipeConfig config(Map<String, String> more) {
      return TracepipeConfig.of(Map.of(
          TracepipeConfig.BOOTSTRAP_SERVERS, cluster.bootstrapServers(),
          TracepipeConfig.SCHEMA_REGISTRY_URL, registry.url(),
          TracepipeConfig.APPLICATION_ID_PREFIX, "it-" + java.util.UUID.randomUUID() + "-",
          "streams.num.stream.threads", "1",
          "streams.commit.interval.ms", "100")).with(more);
    }

    @Override
    public void close() {
      registry.close();
      cluster.close();
    }
  }

  /**
   * One running instance of the stage with its own HTTP port, state directory and meters, and {@code others} (stages
   * that share the process, as {@code tracepipe run} starts them) on the same HTTP server.
   */
  public record Instance(HttpApi http, LatencyAlertsStage.Running stage, SimpleMeterRegistry meters,
      List<AutoCloseable> others) implements AutoCloseable {
    public static Instance start(TracepipeConfig base, Stage... others) throws Exception {
      HttpApi http = HttpApi.start("latency-it", "localhost", 0, 4, 1 << 20);
      TracepipeConfig config = base.with(Map.of(
          TracepipeConfig.APPLICATION_SERVER, "localhost:" + http.port(),
          TracepipeConfig.STATE_DIR, Files.createTempDirectory("latency-it").toString()));
      SimpleMeterRegistry meters = new SimpleMeterRegistry();
      StageContext context = new StageContext(config, meters, http, new Health());
      List<AutoCloseable> started = new ArrayList<>();
      for (Stage other : others) started.add(other.start(context));
      return new Instance(http, (LatencyAlertsStage.Running) new LatencyAlertsStage().start(context), meters,
          started);
    }

    public KafkaStreams streams() {
      return stage.streams();
    }

    /** Waits until the stage's streams run. */
    public Instance awaitRunning() {
      await().atMost(Duration.ofSeconds(60)).until(() -> streams().state() == KafkaStreams.State.RUNNING);
      return this;
    }

    public double sampledSpans() {
      var counter = meters.find(LatencyAlertsStage.SPANS_SAMPLED_METRIC).counter();
      return counter == null ? 0 : counter.count();
    }

    /** A GET that must answer 200, read as JSON. */
    public JsonNode get(String pathAndQuery) throws Exception {
      HttpResponse<String> response = HTTP.send(
          HttpRequest.newBuilder(URI.create(http.baseUrl() + pathAndQuery)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as("%s: %s", pathAndQuery, response.body()).isEqualTo(200);
      return HttpApi.JSON.readTree(response.body());
    }

    @Override
    public void close() throws Exception {
      try (http) {
        stage.close();
        for (AutoCloseable other : others) other.close();
      }
    }
  }

  /** The spans of one simulated request as the aggregator would publish them. */
  public static Trace trace(List<Span> spans) {
    Span root = spans.stream().filter(s -> s.getParentSpanId() == null).findFirst().orElseThrow();
    long start = spans.stream().mapToLong(Span::getStartTimeNanos).min().orElseThrow();
    long end = spans.stream().mapToLong(s -> s.getStartTimeNanos() + s.getDurationNanos()).max().orElseThrow();
    int errors = (int) spans.stream().filter(s -> s.getStatus().getCode() == StatusCode.ERROR).count();
    return Trace.newBuilder()
        .setTraceId(root.getTraceId())
        .setCompletion(TraceCompletion.INACTIVITY_GAP)
        .setSpans(spans)
        .setStartTimeNanos(start)
        .setEndTimeNanos(end)
        .setDurationNanos(end - start)
        .setRootSpanId(root.getSpanId())
        .setRootService(root.getService())
        .setRootOperation(root.getName())
        .setSpanCount(spans.size())
        .setErrorCount(errors)
        .setServices(List.copyOf(new TreeSet<>(spans.stream().map(Span::getService).toList())))
        .setQuality(TraceQuality.newBuilder().build())
        .build();
  }

  /**
   * The simulated shop's checkouts, {@code perWindow} a window from window {@code from} to {@code to} after
   * {@code base}, each window's batch sent and sampled before the next; {@code beforeWindow} switches faults.
   */
  public static void checkouts(SimulatedSystem system, KafkaProducer<String, Trace> producer, long base,
      long windowMs, int from, int to, IntConsumer beforeWindow, List<Instance> instances) {
    int perWindow = 80;
    for (int w = from; w < to; w++) {
      beforeWindow.accept(w);
      List<Trace> batch = new ArrayList<>();
      for (int i = 0; i < perWindow; i++) {
        long startMs = base + w * windowMs + i * windowMs / perWindow;
        batch.add(trace(system.nextTrace(CHECKOUT, startMs * 1_000_000L)));
      }
      send(producer, batch, instances);
    }
  }

  /**
   * Sends a batch of traces and waits until the instances sampled them, the way traffic arrives in production:
   * otherwise one partition's whole backlog runs ahead of another's and closes windows early.
   */
  public static void send(KafkaProducer<String, Trace> producer, List<Trace> traces, List<Instance> instances) {
    double expected = instances.stream().mapToDouble(Instance::sampledSpans).sum();
    for (Trace trace : traces) {
      producer.send(new ProducerRecord<>(Topics.TRACES.name(), null, trace.getEndTimeNanos() / 1_000_000L,
          trace.getTraceId(), trace));
      expected += trace.getSpanCount();
    }
    producer.flush();
    double target = expected;
    await().atMost(Duration.ofSeconds(60))
        .until(() -> instances.stream().mapToDouble(Instance::sampledSpans).sum() >= target);
  }
}
