package dev.tracepipe.tracestore;

import dev.tracepipe.platform.InstanceQueries;
import dev.tracepipe.platform.Stage;
import dev.tracepipe.platform.StageContext;
import dev.tracepipe.platform.StageRunner;
import dev.tracepipe.platform.StreamsStage;
import dev.tracepipe.platform.TracepipeConfig;
import dev.tracepipe.schemas.topics.Topics;

/** The trace store stage: keeps traces for lookup and search, serves the Zipkin v2 query API and Zipkin Lens. */
public final class TraceStoreStage implements Stage {
  public static final String NAME = "trace-store";
  /** Where Zipkin Lens is served, relative to the HTTP API's base URL. */
  public static final String UI_PATH = LensUi.BASE + "/";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public AutoCloseable start(StageContext context) {
    TraceStoreSettings settings = TraceStoreSettings.from(context.config());
    TraceStoreMetrics metrics = new TraceStoreMetrics(context.meters());
    StreamsStage streams = StreamsStage.start(context, NAME,
        new TraceStoreTopology(Topics.TRACES, context.serdeConfig(), settings, metrics).get(),
        context.config().streamsProperties(NAME, TracepipeConfig.Commits.AFTER_TRACES));
    LocalTraces local = new LocalTraces(streams.streams(), metrics, settings.maxCandidates());
    InstanceQueries instances = InstanceQueries.of(streams.streams(), context.config(), settings.queryTimeout(),
        context.http().peers());
    new ZipkinQueryApi(local, instances, settings).register(context.http());
    new LensUi(settings.dependenciesUrl()).register(context.http());
    return streams;
  }

  /** Runs the trace store on its own: {@code --config FILE}, TRACEPIPE_* overrides. */
  public static void main(String[] args) throws Exception {
    StageRunner.runStandalone(new TraceStoreStage(), args);
  }
}
