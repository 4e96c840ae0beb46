package dev.tracepipe.aggregator;

import dev.tracepipe.aggregator.SpanAdmission.Limits;
import dev.tracepipe.platform.BoundedRocksDbConfig;
import dev.tracepipe.platform.StageRunner;
import dev.tracepipe.platform.TracepipeConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.awaitility.Awaitility;

/** Runs the aggregator topology against a real broker with the stage's own streams settings, for ITs and the bench. */
final class AggregatorRunner implements AutoCloseable {

  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final KafkaStreams streams;

  AggregatorRunner(String bootstrapServers, String registryUrl, String appName, String input, String output,
      Timing timing, Limits limits, Path stateDir) {
    StageRunner.trustAvroPackages();
    TracepipeConfig config = TracepipeConfig.of(Map.of(
        TracepipeConfig.BOOTSTRAP_SERVERS, bootstrapServers,
        TracepipeConfig.SCHEMA_REGISTRY_URL, registryUrl,
        TracepipeConfig.STATE_DIR, stateDir.toString()));
    AggregatorSettings settings = new AggregatorSettings(timing, limits, BoundedRocksDbConfig.Bounds.DEFAULTS);
    Properties props = config.streamsProperties(appName);
    props.putAll(settings.streamsOverrides());
    props.put(StreamsConfig.consumerPrefix("session.timeout.ms"), 10_000);
    AggregatorTopology topology = new AggregatorTopology(fragmentTopic(input), input, output, timing, limits,
        config.serdeConfig(), meters);
    streams = new KafkaStreams(topology.get(), props);
    streams.start();
    Awaitility.await("aggregator running").atMost(Duration.ofSeconds(60))
        .until(() -> streams.state() == KafkaStreams.State.RUNNING);
  }

  /** The fragment topic that goes with a span topic: the aggregator reads both, tests write spans one per record. */
  static String fragmentTopic(String spanTopic) {
    return spanTopic + "-fragments";
  }

  double receivedSpans() {
    return meters.get("tracepipe.aggregator.spans.received").counter().count();
  }

  double openTraces() {
    return meters.get("tracepipe.aggregator.open.traces").gauge().value();
  }

  @Override
  public void close() {
    streams.close(Duration.ofSeconds(30));
  }
}
