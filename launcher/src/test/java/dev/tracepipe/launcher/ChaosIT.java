package dev.tracepipe.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tracepipe.aggregator.AggregatorSettings;
import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanKind;
import dev.tracepipe.avro.Trace;
import dev.tracepipe.bench.ChildJvm;
import dev.tracepipe.bench.ShortWindows;
import dev.tracepipe.dependencies.DependencyGraphSettings;
import dev.tracepipe.ingest.IngestSettings;
import dev.tracepipe.platform.TracepipeConfig;
import dev.tracepipe.platform.http.HttpApi;
import dev.tracepipe.schemas.topics.Topics;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once under faults: the stage process is killed with SIGKILL under load and started again, then the broker is
 * restarted once; every span is in its trace exactly once (read_committed) and no dependency call is counted twice.
 */
class ChaosIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final int TRACES = 2_400;
  private static final int TRACES_PER_TICK = 15;
  private static final Set<String> SPAN_IDS = Set.of("00000000000000a1", "00000000000000a2", "00000000000000a3");

  @TempDir
  Path dir;
  private final List<ChildJvm> processes = new ArrayList<>();
  private final Map<String, Integer> ports = new HashMap<>();

  @AfterEach
  void stopAll() throws InterruptedException {
    for (ChildJvm process : processes) {
      process.close();
    }
  }

  @Test
  void everySpanOnceAndEveryCallCountedOnceAfterSigkillAndABrokerRestart() throws Exception {
    for (String name : List.of("kafka", "controller", "registry", "http")) {
      ports.put(name, freePort());
    }
    ChildJvm broker = startBroker(1);
    ChildJvm stages = startStages(1);
    String bootstrap = "localhost:" + ports.get("kafka");
    String registry = "http://127.0.0.1:" + ports.get("registry");
    long startMs = System.currentTimeMillis();

    AtomicLong sent = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    List<String> traceIds = new ArrayList<>();
    for (int i = 0; i < TRACES; i++) {
      traceIds.add(UUID.randomUUID().toString().replace("-", ""));
    }
    Map<String, Object> serde = Map.of(TracepipeConfig.SCHEMA_REGISTRY_URL, registry);
    awaitLeaders(bootstrap, Topics.SPANS.name());
    ScheduledExecutorService load = Executors.newSingleThreadScheduledExecutor();
    try (KafkaProducer<String, Span> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000,
        ProducerConfig.MAX_BLOCK_MS_CONFIG, 300_000), new StringSerializer(),
        Topics.SPANS.valueSerde(serde).serializer())) {
      load.scheduleAtFixedRate(() -> {
        for (int i = 0; i < TRACES_PER_TICK && sent.get() < TRACES; i++) {
          String traceId = traceIds.get((int) sent.getAndIncrement());
          long now = System.currentTimeMillis();
          for (Span span : trace(traceId, now)) {
            producer.send(new ProducerRecord<>(Topics.SPANS.name(), traceId, span), (m, e) -> {
              if (e != null) {
                failed.incrementAndGet();
              }
            });
          }
        }
      }, 0, 100, TimeUnit.MILLISECONDS);

      await().atMost(Duration.ofMinutes(2)).until(() -> sent.get() >= TRACES / 3);
      stages.kill();
      processes.remove(stages);
      stages = startStages(2);

      await().atMost(Duration.ofMinutes(2)).until(() -> sent.get() >= 2 * TRACES / 3);
      broker.close();
      processes.remove(broker);
      broker = startBroker(2);

      await().atMost(Duration.ofMinutes(3)).until(() -> sent.get() >= TRACES);
      load.shutdown();
      assertThat(load.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
      producer.flush();
    }
    assertThat(failed.get()).as("spans the producer could not deliver").isZero();

    Map<String, Trace> latest = new ConcurrentHashMap<>();
    Map<String, Integer> versions = new HashMap<>();
    try (KafkaConsumer<String, Trace> consumer = new KafkaConsumer<>(consumerProps(bootstrap),
        new StringDeserializer(), Topics.TRACES.valueSerde(serde).deserializer())) {
      consumer.subscribe(List.of(Topics.TRACES.name()));
      await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(10)).until(() -> {
        consumer.poll(Duration.ofMillis(500)).forEach(r -> {
          latest.put(r.key(), r.value());
          versions.merge(r.key(), 1, Integer::sum);
        });
        return traceIds.stream().allMatch(id -> latest.containsKey(id) && latest.get(id).getSpans().size() >= 3);
      });
    }
    for (String traceId : traceIds) {
      List<String> spanIds = latest.get(traceId).getSpans().stream().map(s -> s.getSpanId().toString()).toList();
      assertThat(spanIds).as("spans of trace %s", traceId).hasSize(3).containsExactlyInAnyOrderElementsOf(SPAN_IDS);
    }

    String query = "http://localhost:" + ports.get("http") + "/api/v2/dependencies?endTs="
        + (System.currentTimeMillis() + 600_000) + "&lookback=" + (System.currentTimeMillis() - startMs + 3_600_000);
    await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
        .untilAsserted(() -> assertThat(callCount(query)).as("calls web -> payments").isGreaterThanOrEqualTo(TRACES));
    await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofSeconds(1))
        .untilAsserted(() -> assertThat(callCount(query)).as("calls web -> payments").isEqualTo(TRACES));
    System.out.printf("chaos: %d traces, %d trace versions read, every span once, %d calls counted%n",
        TRACES, versions.values().stream().mapToInt(Integer::intValue).sum(), callCount(query));
  }

  /**
   * Waits until every partition of a topic has a leader. The faults under test come later: a producer that starts
   * while a new topic's leaders are still being elected can have its first batch refused as not the leader's and
   * the ones after it as out of sequence, and then retry them until its delivery timeout.
   */
  private static void awaitLeaders(String bootstrap, String topic) {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      await().atMost(Duration.ofMinutes(1)).ignoreExceptions().until(() -> {
        TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
        return description.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty());
      });
    }
  }

  private ChildJvm startBroker(int attempt) throws Exception {
    ChildJvm broker = ChildJvm.start("broker", Tracepipe.class.getName(), List.of("-Xmx768m"), List.of("broker",
        "--data-dir", dir.resolve("broker").toString(), "--kafka-port", String.valueOf(ports.get("kafka")),
        "--controller-port", String.valueOf(ports.get("controller")),
        "--registry-port", String.valueOf(ports.get("registry"))), Map.of(), dir.resolve("broker-" + attempt + ".log"));
    processes.add(broker);
    broker.awaitReady(() -> broker.logContains(BrokerCommand.READY), Duration.ofSeconds(120));
    return broker;
  }

  private ChildJvm startStages(int attempt) throws Exception {
    Map<String, String> env = new HashMap<>();
    // The grace covers the time the stages are down: calls of a trace that arrives later than that are not counted.
    ShortWindows.with(Map.of(AggregatorSettings.GAP.key(), "2s", "streams.commit.interval.ms", "200",
        IngestSettings.OTLP_PORT.key(), "0", IngestSettings.ZIPKIN_PORT.key(), "0",
        DependencyGraphSettings.GRACE.key(), "10m"))
        .forEach((k, v) -> env.put(TracepipeConfig.envName(k), v));
    ChildJvm stages = ChildJvm.start("stages", Tracepipe.class.getName(), List.of("-Xmx1g"), List.of("run",
        "--bootstrap-servers", "localhost:" + ports.get("kafka"),
        "--schema-registry-url", "http://127.0.0.1:" + ports.get("registry"),
        "--http-port", String.valueOf(ports.get("http")), "--data-dir", dir.resolve("stages").toString()), env,
        dir.resolve("stages-" + attempt + ".log"));
    processes.add(stages);
    String health = "http://localhost:" + ports.get("http") + "/health";
    stages.awaitReady(() -> status(health) == 200, Duration.ofSeconds(120));
    return stages;
  }

  private static List<Span> trace(String traceId, long nowMs) {
    long start = nowMs * 1_000_000L;
    return List.of(
        span(traceId, "00000000000000a1", null, "web", "GET /cart", SpanKind.SERVER, start, 9_000_000),
        span(traceId, "00000000000000a2", "00000000000000a1", "web", "charge", SpanKind.CLIENT, start + 1_000_000,
            6_000_000),
        span(traceId, "00000000000000a3", "00000000000000a2", "payments", "charge", SpanKind.SERVER,
            start + 2_000_000, 4_000_000));
  }

  private static Span span(String traceId, String spanId, String parent, String service, String name, SpanKind kind,
      long startNanos, long durationNanos) {
    return Span.newBuilder().setTraceId(traceId).setSpanId(spanId).setParentSpanId(parent).setService(service)
        .setName(name).setKind(kind).setStartTimeNanos(startNanos).setDurationNanos(durationNanos).build();
  }

  private static Properties consumerProps(String bootstrap) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "chaos-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return props;
  }

  private static long callCount(String url) {
    try {
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        return -1;
      }
      JsonNode links = HttpApi.JSON.readTree(response.body());
      return links.findValues("callCount").stream().mapToLong(JsonNode::asLong).sum();
    } catch (IOException | InterruptedException e) {
      return -1;
    }
  }

  private static int status(String url) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException | InterruptedException e) {
      return -1;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
