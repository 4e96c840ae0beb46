package dev.tracepipe.dependencies;

import dev.tracepipe.platform.Stage;
import dev.tracepipe.platform.StageContext;
import dev.tracepipe.platform.StreamsStage;
import dev.tracepipe.platform.TracepipeConfig;
import dev.tracepipe.schemas.topics.Topics;
import java.time.Duration;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.HostInfo;

/** The dependency graph stage: its Kafka Streams application and its HTTP query API. */
public final class DependencyGraphStage implements Stage {
  public static final String NAME = "dependency-graph";
  /** How long a query waits for another instance's answer. */
  public static final String QUERY_TIMEOUT = "dependencies.query.timeout";

  @Override
  public AutoCloseable start(StageContext context) {
    TracepipeConfig config = context.config();
    Topology topology = new DependencyGraphTopology(Topics.TRACES, Topics.DEPENDENCY_EDGES,
        context.serdeConfig(), DependencyGraphSettings.from(config), context.meters()).get();
    StreamsStage streams = StreamsStage.start(context, NAME, topology);
    HostInfo self = config.find(TracepipeConfig.APPLICATION_SERVER).map(HostInfo::buildFromEndpoint).orElse(null);
    new DependencyApi(streams.streams(), self, config.duration(QUERY_TIMEOUT, Duration.ofSeconds(10)),
        context.http().peers())
        .register(context.http());
    return streams;
  }
}
