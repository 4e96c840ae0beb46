package dev.tracepipe.aggregator;

import dev.tracepipe.platform.Stage;
import dev.tracepipe.platform.StageContext;
import dev.tracepipe.platform.StageRunner;
import dev.tracepipe.platform.StreamsStage;
import dev.tracepipe.platform.time.ClockSettings;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;

/** The aggregator stage: assembles spans into traces; {@code main} runs it on its own with {@code [--config FILE]}. */
public final class AggregatorStage implements Stage {

  /** Application id suffix and stage name. */
  public static final String NAME = "aggregator";
  /** Metric names (Micrometer's; Prometheus adds {@code _total} to counters and {@code _seconds} to timers). */
  public static final String OPEN_TRACES_METRIC = "tracepipe.aggregator.open.traces";
  public static final String TRACES_EMITTED_METRIC = "tracepipe.aggregator.traces.emitted";
  public static final String SPANS_RECEIVED_METRIC = "tracepipe.aggregator.spans.received";
  public static final String EMISSION_DELAY_METRIC = "tracepipe.aggregator.emission.delay";

  public static void main(String[] args) throws Exception {
    StageRunner.runStandalone(new AggregatorStage(), args);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public AutoCloseable start(StageContext context) {
    AggregatorSettings settings = AggregatorSettings.from(context.config());
    AggregatorTopology topology = new AggregatorTopology(settings, ClockSettings.from(context.config()),
        context.serdeConfig(), context.meters());
    Properties props = context.config().streamsProperties(NAME);
    Properties overrides = settings.streamsOverrides();
    // Explicit per-stage settings in the configuration win over this stage's own needs.
    context.config().withPrefix(NAME + ".streams.").keySet().forEach(overrides::remove);
    props.putAll(overrides);
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, AggregatorSettings.streamThreads(context.config()));
    return StreamsStage.start(context, NAME, topology.get(), props);
  }
}
