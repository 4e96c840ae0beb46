package dev.tracepipe.latency.peers;

import static org.awaitility.Awaitility.await;

import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.StatusCode;
import dev.tracepipe.avro.Trace;
import dev.tracepipe.avro.TraceCompletion;
import dev.tracepipe.avro.TraceQuality;
import dev.tracepipe.latency.LatencyAlertsStage;
import dev.tracepipe.platform.Health;
import dev.tracepipe.platform.StageContext;
import dev.tracepipe.platform.StreamsStage;
import dev.tracepipe.platform.TracepipeConfig;
import dev.tracepipe.platform.http.HttpApi;
import dev.tracepipe.registry.EmbeddedSchemaRegistry;
import dev.tracepipe.schemas.topics.Topics;
import dev.tracepipe.testkit.KafkaTestCluster;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;

/** A real broker and registry, and running instances of the latency stage: what the peer integration tests share. */
final class PeerStage {

  private PeerStage() {}

  /** A broker with the catalogue topics and a schema registry on it. */
  record Backend(KafkaTestCluster cluster, EmbeddedSchemaRegistry registry) implements AutoCloseable {
    static Backend start() {
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

    TracepipeConfig config(Map<String, String> more) {
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

  /** One running instance of the stage with its own HTTP port and state directory. */
  record Instance(HttpApi http, StreamsStage stage, SimpleMeterRegistry meters) implements AutoCloseable {
    static Instance start(TracepipeConfig base) throws Exception {
      HttpApi http = HttpApi.start("peers-it", "localhost", 0, 2, 1 << 20);
      TracepipeConfig config = base.with(Map.of(
          TracepipeConfig.APPLICATION_SERVER, "localhost:" + http.port(),
          TracepipeConfig.STATE_DIR, Files.createTempDirectory("peers-it").toString()));
      SimpleMeterRegistry meters = new SimpleMeterRegistry();
      StageContext context = new StageContext(config, meters, http, new Health());
      return new Instance(http, (StreamsStage) new LatencyAlertsStage().start(context), meters);
    }

    double sampledSpans() {
      var counter = meters.find("tracepipe.latency.spans.sampled").counter();
      return counter == null ? 0 : counter.count();
    }

    @Override
    public void close() {
      stage.close();
      http.close();
    }
  }

  /** The spans of one simulated request as the aggregator would publish them. */
  static Trace trace(List<Span> spans) {
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
   * Sends a batch of traces and waits until the instances sampled them, the way traffic arrives in production:
   * otherwise one partition's whole backlog runs ahead of another's and closes windows early.
   */
  static void send(KafkaProducer<String, Trace> producer, List<Trace> traces, List<Instance> instances) {
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
