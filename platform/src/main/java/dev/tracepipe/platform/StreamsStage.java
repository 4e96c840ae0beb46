package dev.tracepipe.platform;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Kafka Streams application: logs its topology, reports health and metrics, replaces a stream thread that
 * died of an unexpected error instead of stopping the stage (and reports the stage down while that keeps happening),
 * and closes within a bound.
 */
public final class StreamsStage implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StreamsStage.class);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
  /** How long after a stream thread died {@code /health} still reports the stage down. */
  public static final String FAILURE_WINDOW = "health.thread.failure.window";
  /** Stream threads of a stage that died of an error and were replaced. */
  public static final String THREAD_FAILURES_METRIC = "tracepipe.stream.thread.failures";
  static final Duration DEFAULT_FAILURE_WINDOW = Duration.ofMinutes(5);

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
    StageHealth health = new StageHealth(streams, context.config().duration(FAILURE_WINDOW, DEFAULT_FAILURE_WINDOW));
    streams.setUncaughtExceptionHandler(e -> {
      LOG.error("{}: stream thread failed; replacing it", name, e);
      health.threadFailed(e);
      return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
    });
    streams.setStateListener((now, before) -> LOG.info("{}: {} -> {}", name, before, now));
    KafkaStreamsMetrics metrics = new KafkaStreamsMetrics(streams);
    metrics.bindTo(context.meters());
    context.health().register(name, health::check);
    FunctionCounter.builder(THREAD_FAILURES_METRIC, health, StageHealth::failures)
        .description("stream threads that died of an error and were replaced").tag("stage", name)
        .register(context.meters());
    for (String reason : List.of(DeadLetterHandler.UNREADABLE, DeadLetterHandler.PROCESSING_FAILED)) {
      FunctionCounter.builder("tracepipe.stage.dead.letters", name, n -> DeadLetterHandler.count(n, reason))
          .description("records the stage could not read or process, sent to the dead-letter topic")
          .tag("stage", name).tag("reason", reason).register(context.meters());
    }
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
