package dev.tracepipe.latency;

import dev.tracepipe.latency.page.PageRoutes;
import dev.tracepipe.latency.peers.FiringQuery;
import dev.tracepipe.platform.Stage;
import dev.tracepipe.platform.StageContext;
import dev.tracepipe.platform.StageRunner;
import dev.tracepipe.platform.StreamsStage;
import dev.tracepipe.platform.TracepipeConfig;

/** The latency stage: percentiles, baselines and alerts, with {@code GET /api/latency} on the stage's HTTP port. */
public final class LatencyAlertsStage implements Stage {

  public static final String NAME = "latency-alerts";
  /** Metric name (Micrometer's; Prometheus adds {@code _total}). */
  public static final String SPANS_SAMPLED_METRIC = "tracepipe.latency.spans.sampled";

  public static void main(String[] args) throws Exception {
    StageRunner.runStandalone(new LatencyAlertsStage(), args);
  }

  @Override
  public String name() {
    return NAME;
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
    CompareQuery compare = new CompareQuery(stage.streams(), topology.settings(),
        context.config().find(TracepipeConfig.APPLICATION_SERVER));
    context.http().get("/api/latency/compare", compare::handle);
    FiringQuery firing = new FiringQuery(stage.streams(), context.config().find(TracepipeConfig.APPLICATION_SERVER));
    context.http().get("/api/alerts/firing", firing::handle);
    PageRoutes.register(context.http());
    return stage;
  }
}
