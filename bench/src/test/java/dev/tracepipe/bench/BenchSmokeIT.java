package dev.tracepipe.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tracepipe.avro.LatencyAlert;
import dev.tracepipe.avro.Trace;
import dev.tracepipe.platform.TopicCreator;
import dev.tracepipe.platform.TracepipeConfig;
import dev.tracepipe.schemas.topics.Topics;
import dev.tracepipe.testkit.TestRecords;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bench's own machinery, briefly: the broker in a process of its own and watched from outside, the Kafka
 * ceiling, the trace and alert timer, offsets, and the flight recording summary.
 */
class BenchSmokeIT {
  @TempDir
  Path dir;

  @Test
  void brokerProcessCeilingTimerOffsetsAndProfile() throws Exception {
    Path log = dir.resolve("broker.log");
    try (ChildJvm broker = ChildJvm.start("broker", TestBroker.class.getName(), List.of("-Xmx512m"), List.of(),
        Map.of(), log)) {
      broker.awaitReady(() -> broker.logContains(TestBroker.READY), Duration.ofSeconds(60));
      long recording = broker.startRecording();
      String[] ready = Files.readAllLines(log).stream().filter(l -> l.startsWith(TestBroker.READY)).findFirst()
          .orElseThrow().substring(TestBroker.READY.length()).trim().split(" ");
      String bootstrap = ready[0];
      Map<String, Object> serde = Map.of(TracepipeConfig.SCHEMA_REGISTRY_URL, ready[1]);

      KafkaCeiling.Result ceiling = KafkaCeiling.measure(bootstrap, Bench.payloads(Bench.spanPool(), serde),
          Duration.ofSeconds(1));
      assertThat(ceiling.records()).isPositive();
      assertThat(ceiling.averageRecordBytes()).isBetween(200.0, 2_000.0);
      assertThat(ceiling.perSecond()).isPositive().isLessThanOrEqualTo(ceiling.producePerSecond());

      TopicCreator.createMissing(TracepipeConfig.of(Map.of(TracepipeConfig.BOOTSTRAP_SERVERS, bootstrap)),
          List.of(Topics.TRACES, Topics.LATENCY_ALERTS));
      long start = TraceTimer.epochNanos();
      try (TraceTimer timer = new TraceTimer(bootstrap, serde);
          KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(KafkaCeiling.producerConfig(bootstrap),
              new ByteArraySerializer(), new ByteArraySerializer())) {
        Trace trace = TestRecords.trace("4bf92f3577b34da6a3ce929d0e0e4736", start, start + 5_000_000, 3);
        LatencyAlert alert = TestRecords.alert("4bf92f3577b34da6a3ce929d0e0e4736", start, "payment");
        byte[] key = trace.getTraceId().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        producer.send(new ProducerRecord<>(Topics.TRACES.name(), key, Topics.TRACES.valueSerde(serde).serializer()
            .serialize(Topics.TRACES.name(), trace))).get();
        producer.send(new ProducerRecord<>(Topics.LATENCY_ALERTS.name(), key, Topics.LATENCY_ALERTS.valueSerde(serde)
            .serializer().serialize(Topics.LATENCY_ALERTS.name(), alert))).get();
        await().atMost(Duration.ofSeconds(20)).until(() -> timer.arrivals(start, Long.MAX_VALUE).size() == 1
            && timer.alerts(start, Long.MAX_VALUE).size() == 1);
        TraceTimer.Arrival arrival = timer.arrivals(start, Long.MAX_VALUE).get(0);
        assertThat(arrival.spans()).isEqualTo(3);
        assertThat(arrival.endNanos()).isEqualTo(start + 5_000_000);
        assertThat(arrival.receivedNanos()).isGreaterThanOrEqualTo(start);
        assertThat(timer.alerts(start, Long.MAX_VALUE).get(0).topBlame()).isEqualTo("payment");
      }

      try (TopicOffsets offsets = new TopicOffsets(bootstrap)) {
        assertThat(offsets.end(Topics.TRACES.name())).isEqualTo(1);
        offsets.commitAtEnd("bench-smoke", Topics.TRACES.name());
        assertThat(offsets.committed("bench-smoke", Topics.TRACES.name())).isEqualTo(1);
      }

      assertThat(broker.rssBytes()).isGreaterThan(50L * 1024 * 1024);
      assertThat(broker.heap().getUsed()).isPositive();
      assertThat(broker.cpuNanos()).isPositive();
      assertThat(broker.threadCpuNanos()).isNotEmpty();
      assertThat(PipelinePhase.runtimeCpu(broker)).containsKeys("jit", "gc");
      Path jfr = dir.resolve("broker.jfr");
      broker.dumpRecording(recording, jfr);
      JfrHotSpots.Summary profile = JfrHotSpots.read(jfr, 0, Long.MAX_VALUE, 5);
      assertThat(profile.samples()).isPositive();
      assertThat(profile.topFrames()).isNotEmpty().hasSizeLessThanOrEqualTo(5);
    }
  }

}
