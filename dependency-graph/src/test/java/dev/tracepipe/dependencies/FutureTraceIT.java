package dev.tracepipe.dependencies;

import static dev.tracepipe.dependencies.StageOnBroker.getJson;
import static dev.tracepipe.dependencies.StageOnBroker.randomHex;
import static dev.tracepipe.dependencies.StageOnBroker.span;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tracepipe.avro.RemotePeer;
import dev.tracepipe.avro.SpanKind;
import dev.tracepipe.avro.Trace;
import dev.tracepipe.avro.TraceCompletion;
import dev.tracepipe.platform.StreamsStage;
import dev.tracepipe.platform.http.HttpSettings;
import dev.tracepipe.platform.time.BoundedTimestampExtractor;
import dev.tracepipe.platform.time.ClockMetrics;
import dev.tracepipe.schemas.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Readable traces from far in the future, as a corrupt or foreign writer of {@code traces} can produce: stamped
 * centuries ahead (on a {@code traces} topic that accepts any time) or with spans timed centuries ahead. The stage
 * reads both at its own clock, no stream thread dies, and the traces after them are counted.
 */
class FutureTraceIT {
  static StageOnBroker broker;

  @TempDir Path stateDir;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = StageOnBroker.start();
    // Brokers refuse records stamped over an hour ahead by default; a topic may be set to take any time.
    try (Admin admin = broker.kafka.admin()) {
      admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, Topics.TRACES.name()),
          List.of(new AlterConfigOp(new ConfigEntry(TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG,
              Long.toString(Long.MAX_VALUE)), AlterConfigOp.OpType.SET)))).all().get(30, TimeUnit.SECONDS);
    }
  }

  @AfterAll
  static void stopBroker() throws Exception {
    if (broker != null) broker.close();
  }

  @Test
  void tracesFromFarAheadAreReadAtTheStagesClockAndLaterTracesCounted() throws Exception {
    StageOnBroker.Instance instance = broker.startInstance(stateDir, "it-" + UUID.randomUUID() + "-", "future",
        HttpSettings.DEFAULTS, Map.of());
    await().atMost(Duration.ofSeconds(60)).until(() -> instance.stage().streams().state() == KafkaStreams.State.RUNNING);
    long now = System.currentTimeMillis();
    long year2240 = Instant.parse("2240-01-01T00:00:00Z").toEpochMilli();
    try (KafkaProducer<String, Trace> producer = broker.traceProducer()) {
      String stamped = randomHex(32);
      producer.send(new ProducerRecord<>(Topics.TRACES.name(), null, year2240, stamped,
          trace(stamped, "future", now * 1_000_000))).get();
      String timed = randomHex(32);
      producer.send(new ProducerRecord<>(Topics.TRACES.name(), null, now, timed,
          trace(timed, "future", year2240 * 1_000_000))).get();
      for (int i = 0; i < 3; i++) {
        String traceId = randomHex(32);
        producer.send(new ProducerRecord<>(Topics.TRACES.name(), traceId, trace(traceId, "good", now * 1_000_000)))
            .get();
      }
    }

    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      assertThat(calls(instance, "good", now)).containsExactly("3");
      assertThat(calls(instance, "future", now)).as("both counted now, at the stage's clock").containsExactly("2");
    });
    assertThat(instance.meters().get(BoundedTimestampExtractor.METRIC).tag("stage", DependencyGraphStage.NAME)
        .counter().count()).as("the record stamped ahead").isEqualTo(1);
    assertThat(instance.meters().get(ClockMetrics.METRIC).tag("stage", DependencyGraphStage.NAME)
        .tag("reason", "clock_ahead").counter().count()).as("the span timed ahead").isEqualTo(1);
    assertThat(instance.meters().get(StreamsStage.THREAD_FAILURES_METRIC).functionCounter().count())
        .as("no stream thread died").isZero();
    assertThat(instance.stage().streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
  }

  private static List<String> calls(StageOnBroker.Instance instance, String prefix, long now) throws Exception {
    JsonNode edges = getJson(instance.http(), "/api/dependencies/edge?parent=" + prefix + "-browser&child=" + prefix
        + "-front&type=VIRTUAL&endTs=" + (now + 120_000) + "&lookback=600000", null);
    return edges.findValuesAsText("callCount");
  }

  static Trace trace(String traceId, String prefix, long startNanos) {
    return Fixtures.trace(traceId, 1, TraceCompletion.INACTIVITY_GAP, span(traceId, randomHex(16), null,
        SpanKind.SERVER, prefix + "-front", startNanos, RemotePeer.newBuilder().setService(prefix + "-browser").build()));
  }
}
