package dev.tracepipe.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.SpanKind;
import dev.tracepipe.schemas.serde.AvroSerde;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tracepipe run} as a user runs it: its own process, real ports, a data directory, SIGTERM to stop. */
class TracepipeRunIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  @TempDir
  Path dataDir;
  private final Map<String, Integer> ports = new HashMap<>();
  private Process process;

  @AfterEach
  void stop() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
    }
  }

  @Test
  void runsEverythingTailsTracesStopsOnSigtermAndRestartsOnItsData() throws Exception {
    for (String name : List.of("kafka", "controller", "registry", "http", "otlp", "zipkin", "grpc")) {
      ports.put(name, freePort());
    }
    long started = System.nanoTime();
    process = start();
    String registry = "http://127.0.0.1:" + ports.get("registry");
    String bootstrap = "localhost:" + ports.get("kafka");
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
        .until(() -> get(registry + "/subjects") == 200 && get("http://127.0.0.1:" + ports.get("http") + "/health") == 200);
    System.out.printf("tracepipe run answered after %.1f s%n", (System.nanoTime() - started) / 1e9);

    String traceId = UUID.randomUUID().toString().replace("-", "");
    Map<String, Object> serde = Map.of("schema.registry.url", registry);
    try (KafkaProducer<byte[], Span> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
        new ByteArraySerializer(), AvroSerde.specific(Span.class).configured(serde, false).serializer())) {
      producer.send(new ProducerRecord<>("spans", span(traceId, "0000000000000001", null))).get();
      producer.send(new ProducerRecord<>("spans", span(traceId, "0000000000000002", "0000000000000001"))).get();
    }

    String trace = tailUntil(bootstrap, serde, "traces", traceId);
    assertThat(trace).contains("\"rootService\":\"checkout\"").contains("\"spanCount\":2");

    long stopping = System.nanoTime();
    process.destroy();
    assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("stopped within 10 s of SIGTERM").isTrue();
    System.out.printf("tracepipe run stopped %.1f s after SIGTERM%n", (System.nanoTime() - stopping) / 1e9);

    process = start();
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
        .until(() -> get(registry + "/subjects/spans-value/versions/1") == 200);
    assertThat(tailUntil(bootstrap, serde, "traces", traceId)).contains(traceId);
  }

  private Process start() throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx768m", "-cp", System.getProperty("java.class.path"), Tracepipe.class.getName(), "run",
        "--data-dir", dataDir.toString(),
        "--kafka-port", String.valueOf(ports.get("kafka")),
        "--controller-port", String.valueOf(ports.get("controller")),
        "--registry-port", String.valueOf(ports.get("registry")),
        "--http-port", String.valueOf(ports.get("http"))));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dataDir.resolve("tracepipe.log").toFile());
    builder.environment().put("TRACEPIPE_INGEST_OTLP_PORT", String.valueOf(ports.get("otlp")));
    builder.environment().put("TRACEPIPE_INGEST_ZIPKIN_PORT", String.valueOf(ports.get("zipkin")));
    builder.environment().put("TRACEPIPE_INGEST_OTLP_GRPC_PORT", String.valueOf(ports.get("grpc")));
    builder.environment().put("TRACEPIPE_AGGREGATOR_INACTIVITY_GAP", "1s");
    builder.environment().put("TRACEPIPE_STREAMS_COMMIT_INTERVAL_MS", "200");
    return builder.start();
  }

  private static String tailUntil(String bootstrap, Map<String, Object> serde, String topic, String needle) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
      out.reset();
      new TailCommand(Map.of("bootstrap.servers", bootstrap), serde, new PrintStream(out, true, StandardCharsets.UTF_8))
          .run(topic, true, 0, Duration.ofSeconds(2));
      return out.toString(StandardCharsets.UTF_8).contains(needle);
    });
    return out.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains(needle)).findFirst().orElseThrow();
  }

  private static Span span(String traceId, String spanId, String parent) {
    long now = System.currentTimeMillis() * 1_000_000L;
    return Span.newBuilder().setTraceId(traceId).setSpanId(spanId).setParentSpanId(parent)
        .setService(parent == null ? "checkout" : "payment").setName(parent == null ? "POST /checkout" : "charge")
        .setKind(parent == null ? SpanKind.SERVER : SpanKind.CLIENT)
        .setStartTimeNanos(now).setDurationNanos(parent == null ? 5_000_000 : 2_000_000).build();
  }

  private static int get(String url) {
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
