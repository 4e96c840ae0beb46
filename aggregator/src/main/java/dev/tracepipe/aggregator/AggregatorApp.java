package dev.tracepipe.aggregator;

import dev.tracepipe.platform.Stage;
import dev.tracepipe.platform.StageRunner;
import dev.tracepipe.platform.StreamsStage;
import dev.tracepipe.platform.time.ClockSettings;
import java.util.Properties;

/** Runs trace assembly on its own: {@code AggregatorApp [--config FILE]}. */
public final class AggregatorApp {

  /** Application id suffix and stage name. */
  public static final String NAME = "aggregator";

  private AggregatorApp() {}

  public static void main(String[] args) throws Exception {
    StageRunner.runStandalone(NAME, stage(), args);
  }

  /** The stage, for this main and for the all-in-one launcher. */
  public static Stage stage() {
    return context -> {
      AggregatorSettings settings = AggregatorSettings.from(context.config());
      AggregatorTopology topology = new AggregatorTopology(settings, ClockSettings.from(context.config()),
          context.serdeConfig(), context.meters());
      Properties props = context.config().streamsProperties(NAME);
      Properties overrides = settings.streamsOverrides();
      // Explicit per-stage settings in the configuration win over this stage's own needs.
      context.config().withPrefix(NAME + ".streams.").keySet().forEach(overrides::remove);
      props.putAll(overrides);
      return StreamsStage.start(context, NAME, topology.get(), props);
    };
  }
}
