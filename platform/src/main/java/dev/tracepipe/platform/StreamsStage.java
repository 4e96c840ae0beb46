package dev.tracepipe.platform;

import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Kafka Streams application: logs its topology, reports health and metrics, replaces a stream thread that
 * died of an unexpected error instead of stopping the stage, and closes within a bound.
 */
public final class StreamsStage implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StreamsStage.class);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  private final String name;
  private final KafkaStreams streams;
  private final KafkaStreamsMetrics metrics;

  private StreamsStage(String name, KafkaStreams streams, KafkaStreamsMetrics metrics) {
    this.name = name;
    this.streams = streams;
    this.metrics = metrics;
  }

  /** Starts the topology as application {@code <prefix><name>} with the context's configuration. */
  public static StreamsStage start(StageContext context, String name, Topology topology) {
    return start(context, name, topology, context.config().streamsProperties(name));
  }

  public static StreamsStage start(StageContext context, String name, Topology topology, Properties props) {
    LOG.info("{} topology:\n{}", name, topology.describe());
    KafkaStreams streams = new KafkaStreams(topology, props);
    streams.setUncaughtExceptionHandler(e -> {
      LOG.error("{}: stream thread failed; replacing it", name, e);
      return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
    });
    streams.setStateListener((now, before) -> LOG.info("{}: {} -> {}", name, before, now));
    KafkaStreamsMetrics metrics = new KafkaStreamsMetrics(streams);
    metrics.bindTo(context.meters());
    context.health().register(name, () -> {
      KafkaStreams.State state = streams.state();
      boolean up = state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING
          || state == KafkaStreams.State.CREATED;
      return new Health.Check(up, state.name());
    });
    streams.start();
    return new StreamsStage(name, streams, metrics);
  }

  public KafkaStreams streams() {
    return streams;
  }

  public String name() {
    return name;
  }

  @Override
  public void close() {
    LOG.info("{}: closing", name);
    if (!streams.close(CLOSE_TIMEOUT)) {
      LOG.warn("{}: did not close within {}", name, CLOSE_TIMEOUT);
    }
    metrics.close();
  }
}
