package dev.tracepipe.latency;

import dev.tracepipe.avro.LatencyAlert;
import dev.tracepipe.avro.OperationLatency;
import dev.tracepipe.avro.Trace;
import dev.tracepipe.platform.TracepipeConfig;
import dev.tracepipe.schemas.topics.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;

/** A TopologyTestDriver around the latency topology with the catalogue topics and an in-memory registry. */
public final class LatencyDriver implements AutoCloseable {

  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final TopologyTestDriver driver;
  final TestInputTopic<String, Trace> traces;
  public final TestInputTopic<String, OperationLatency> baselinesIn;
  final TestOutputTopic<String, OperationLatency> latency;
  public final TestOutputTopic<String, OperationLatency> baselines;
  final TestOutputTopic<String, LatencyAlert> alerts;
  final Topology topology;

  public LatencyDriver(Map<String, String> overrides) {
    // Today's wall clock: the test traces are from 2023, so the stage judges them as a replay, on stream time only.
    this(overrides, Instant.now());
  }

  /** A driver whose wall clock starts at {@code wallStart} and moves only when a test advances it. */
  LatencyDriver(Map<String, String> overrides, Instant wallStart) {
    Map<String, String> values = new HashMap<>();
    values.put(TracepipeConfig.SCHEMA_REGISTRY_URL, "mock://latency-" + UUID.randomUUID());
    values.put("latency.grace", "0s");
    values.putAll(overrides);
    TracepipeConfig config = TracepipeConfig.of(values);
    topology = LatencyTopology.fromConfig(config, meters).get();
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "latency-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, System.getProperty("java.io.tmpdir") + "/latency-ttd-" + UUID.randomUUID());
    props.putAll(config.serdeConfig());
    driver = new TopologyTestDriver(topology, props, wallStart);
    Map<String, Object> serde = config.serdeConfig();
    traces = driver.createInputTopic(Topics.TRACES.name(), Serdes.String().serializer(),
        Topics.TRACES.valueSerde(serde).serializer());
    baselinesIn = driver.createInputTopic(Topics.LATENCY_BASELINES.name(), Serdes.String().serializer(),
        Topics.LATENCY_BASELINES.valueSerde(serde).serializer());
    latency = driver.createOutputTopic(Topics.OPERATION_LATENCY.name(), Serdes.String().deserializer(),
        Topics.OPERATION_LATENCY.valueSerde(serde).deserializer());
    baselines = driver.createOutputTopic(Topics.LATENCY_BASELINES.name(), Serdes.String().deserializer(),
        Topics.LATENCY_BASELINES.valueSerde(serde).deserializer());
    alerts = driver.createOutputTopic(Topics.LATENCY_ALERTS.name(), Serdes.String().deserializer(),
        Topics.LATENCY_ALERTS.valueSerde(serde).deserializer());
  }

  /** Pipes a trace with its record timestamp at the trace's end, as the aggregator emits it. */
  public void pipe(Trace trace) {
    traces.pipeInput(trace.getTraceId(), trace, trace.getEndTimeNanos() / 1_000_000L);
  }

  public List<KeyValue<String, LatencyAlert>> alerts() {
    return alerts.readKeyValuesToList();
  }

  public double counter(String name, String... tags) {
    var counter = meters.find(name).tags(tags).counter();
    return counter == null ? 0 : counter.count();
  }

  @Override
  public void close() {
    driver.close();
  }
}
