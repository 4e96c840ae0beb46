package dev.tracepipe.latency;

import dev.tracepipe.platform.Stage;
import dev.tracepipe.platform.StageContext;
import dev.tracepipe.platform.StageRunner;
import dev.tracepipe.platform.StreamsStage;
import dev.tracepipe.platform.TracepipeConfig;

/** The latency stage: percentiles, baselines and alerts, with {@code GET /api/latency} on the stage's HTTP port. */
public final class LatencyAlertsApp implements Stage {

  public static final String NAME = "latency-alerts";

  public static void main(String[] args) throws Exception {
    StageRunner.runStandalone(NAME, new LatencyAlertsApp(), args);
  }

  @Override
  public AutoCloseable start(StageContext context) {
    LatencyTopology topology = LatencyTopology.fromConfig(context.config(), context.meters());
    StreamsStage stage = StreamsStage.start(context, NAME, topology.get());
    LatencyQueries queries = new LatencyQueries(stage.streams(), topology.settings(),
        context.config().find(TracepipeConfig.APPLICATION_SERVER), context.http().peers());
    context.http().get("/api/latency", queries::handle);
    OperationListing listing = new OperationListing(stage.streams(), topology.settings(),
        context.config().find(TracepipeConfig.APPLICATION_SERVER), context.http().peers());
    context.http().get("/api/latency/operations", listing::handle);
    return stage;
  }
}
