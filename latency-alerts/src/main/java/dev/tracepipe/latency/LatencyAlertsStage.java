package dev.tracepipe.latency;

import dev.tracepipe.alerts.AlertTail;
import dev.tracepipe.alerts.RecentAlerts;
import dev.tracepipe.alerts.RecentAlertsQuery;
import dev.tracepipe.alerts.peers.FiringQuery;
import dev.tracepipe.latency.page.PageRoutes;
import dev.tracepipe.platform.InstanceQueries;
import dev.tracepipe.platform.Stage;
import dev.tracepipe.platform.StageContext;
import dev.tracepipe.platform.StageRunner;
import dev.tracepipe.platform.StreamsStage;
import dev.tracepipe.platform.TracepipeConfig;
import dev.tracepipe.schemas.topics.Topics;
import java.time.Duration;
import org.apache.kafka.streams.KafkaStreams;

/** The latency stage: percentiles, baselines and alerts, with {@code GET /api/latency} on the stage's HTTP port. */
public final class LatencyAlertsStage implements Stage {

  public static final String NAME = "latency-alerts";
  /** Metric name (Micrometer's; Prometheus adds {@code _total}). */
  public static final String SPANS_SAMPLED_METRIC = "tracepipe.latency.spans.sampled";
  private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(10);

  public static void main(String[] args) throws Exception {
    StageRunner.runStandalone(new LatencyAlertsStage(), args);
  }

  /** What {@link #start} returns: the stage's streams and its tail of recent alerts, stopped together. */
  public record Running(StreamsStage stage, AlertTail tail) implements AutoCloseable {
    public KafkaStreams streams() {
      return stage.streams();
    }

    @Override
    public void close() throws InterruptedException {
      try (stage) {
        tail.close();
      }
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public AutoCloseable start(StageContext context) {
    LatencyTopology topology = LatencyTopology.fromConfig(context.config(), context.meters());
    StreamsStage stage = StreamsStage.start(context, NAME, topology.get(),
        context.config().streamsProperties(NAME, TracepipeConfig.Commits.AFTER_TRACES));
    InstanceQueries instances = InstanceQueries.of(stage.streams(), context.config(), QUERY_TIMEOUT,
        context.http().peers());
    new LatencyQueries(stage.streams(), topology.settings(), instances).register(context.http());
    new CompareQuery(stage.streams(), topology.settings(), instances).register(context.http());
    new FiringQuery(stage.streams(), instances).register(context.http());
    new OperationListing(stage.streams(), topology.settings(), instances).register(context.http());
    LatencySettings.AlertSettings alerts = topology.settings().alerts();
    RecentAlerts recent = new RecentAlerts(alerts.recentMax());
    AlertTail tail = new AlertTail(context.config().kafkaClientProperties(), Topics.LATENCY_ALERTS.name(),
        Topics.LATENCY_ALERTS.valueSerde(context.serdeConfig()).deserializer(), alerts.recentLookback(), recent,
        context.meters()).start();
    context.http().get("/api/alerts/recent", new RecentAlertsQuery(recent)::handle);
    PageRoutes.register(context.http());
    return new Running(stage, tail);
  }
}
