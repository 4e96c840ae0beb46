package dev.tracepipe.dependencies;

import static dev.tracepipe.dependencies.StageOnBroker.randomHex;
import static dev.tracepipe.dependencies.StageOnBroker.span;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tracepipe.avro.DependencyEdge;
import dev.tracepipe.avro.RemotePeer;
import dev.tracepipe.avro.SpanKind;
import dev.tracepipe.avro.Trace;
import dev.tracepipe.avro.TraceCompletion;
import dev.tracepipe.platform.StreamsStage;
import dev.tracepipe.platform.http.HttpApi;
import dev.tracepipe.platform.http.HttpSettings;
import dev.tracepipe.schemas.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Edge windows on a real broker: shown partial while open, written and shown closed on a quiet system. */
class DependencyWindowsIT {
  static StageOnBroker broker;

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
  void theLastWindowIsWrittenAndShownWithNoFurtherInput() throws Exception {
    StreamsStage stage = startInstance("it-" + UUID.randomUUID() + "-", "quiet",
        Map.of(DependencyGraphSettings.WINDOW.key(), "2s", DependencyGraphSettings.GRACE.key(), "1s"));
    await().atMost(Duration.ofSeconds(60)).until(() -> stage.streams().state() == KafkaStreams.State.RUNNING);
    Map<String, String> serde = broker.serdeConfig();
    long now = System.currentTimeMillis();
    // Its own services, so that the other test's graph does not see this call.
    String traceId = randomHex(32);
    Trace trace = Fixtures.trace(traceId, 1, TraceCompletion.INACTIVITY_GAP, span(traceId, randomHex(16), null,
        SpanKind.SERVER, "quiet-front", now * 1_000_000, RemotePeer.newBuilder().setService("quiet-browser").build()));
    long windowEnd = now - now % 2_000 + 2_000;
    try (KafkaProducer<String, Trace> producer = broker.traceProducer();
        KafkaConsumer<String, DependencyEdge> output = broker.kafka.consumer(new StringDeserializer(),
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
    try (KafkaProducer<String, Trace> producer = broker.traceProducer()) {
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
    StageOnBroker.Instance instance = broker.startInstance(stateDir, applicationPrefix, name,
        HttpSettings.DEFAULTS.withThreads(4).withMaxBodyBytes(1 << 20), extra);
    apis.add(instance.http());
    return instance.stage();
  }

  static JsonNode getJson(HttpApi api, String pathAndQuery) throws Exception {
    return StageOnBroker.getJson(api, pathAndQuery, null);
  }
}
