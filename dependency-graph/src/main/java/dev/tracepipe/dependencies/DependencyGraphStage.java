package dev.tracepipe.dependencies;

import dev.tracepipe.platform.InstanceQueries;
import dev.tracepipe.platform.Stage;
import dev.tracepipe.platform.StageContext;
import dev.tracepipe.platform.StageRunner;
import dev.tracepipe.platform.StreamsStage;
import dev.tracepipe.platform.TracepipeConfig;
import dev.tracepipe.platform.time.ClockSettings;
import dev.tracepipe.schemas.topics.Topics;
import org.apache.kafka.streams.Topology;

/** The dependency graph stage: its Kafka Streams application and its HTTP query API. */
public final class DependencyGraphStage implements Stage {
  public static final String NAME = "dependency-graph";
  /** Calls counted in the overflow edge of a window that reached {@link DependencyGraphSettings#MAX_WINDOW_EDGES}. */
  public static final String EDGE_OVERFLOW_METRIC = "tracepipe.dependencies.edges.overflow";

  public static void main(String[] args) throws Exception {
    StageRunner.runStandalone(new DependencyGraphStage(), args);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public AutoCloseable start(StageContext context) {
    TracepipeConfig config = context.config();
    Topology topology = new DependencyGraphTopology(Topics.TRACES, Topics.DEPENDENCY_EDGES,
        context.serdeConfig(), DependencyGraphSettings.from(config), ClockSettings.from(config), context.meters()).get();
    StreamsStage streams = StreamsStage.start(context, NAME, topology,
        config.streamsProperties(NAME, TracepipeConfig.Commits.AFTER_TRACES));
    new DependencyApi(streams.streams(), InstanceQueries.of(streams.streams(), config,
        DependencyGraphSettings.QUERY_TIMEOUT.duration(config), context.http().peers()))
        .register(context.http());
    return streams;
  }
}
