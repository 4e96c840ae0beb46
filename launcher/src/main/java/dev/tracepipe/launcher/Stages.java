package dev.tracepipe.launcher;

import dev.tracepipe.aggregator.AggregatorApp;
import dev.tracepipe.dependencies.DependencyGraphStage;
import dev.tracepipe.ingest.IngestApp;
import dev.tracepipe.latency.LatencyAlertsApp;
import dev.tracepipe.platform.Stage;
import dev.tracepipe.platform.StageRunner;
import dev.tracepipe.tracestore.TraceStoreStage;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Every stage of the pipeline, in the order data flows through them. */
final class Stages {
  static final Map<String, Stage> ALL;

  static {
    Map<String, Stage> stages = new LinkedHashMap<>();
    stages.put(IngestApp.NAME, IngestApp.stage());
    stages.put(AggregatorApp.NAME, AggregatorApp.stage());
    stages.put(DependencyGraphStage.NAME, new DependencyGraphStage());
    stages.put(LatencyAlertsApp.NAME, new LatencyAlertsApp());
    stages.put(TraceStoreStage.NAME, new TraceStoreStage());
    ALL = java.util.Collections.unmodifiableMap(stages);
  }

  private Stages() {}

  /** {@code tracepipe stage <name>}: one stage on its own, against the configured Kafka and registry. */
  static int runStandalone(String[] argv) throws Exception {
    if (argv.length < 2 || !ALL.containsKey(argv[1])) {
      System.err.println("usage: tracepipe stage <" + String.join("|", ALL.keySet()) + "> [--config FILE]");
      return argv.length >= 2 && "--help".equals(argv[1]) ? 0 : 2;
    }
    StageRunner.runStandalone(argv[1], ALL.get(argv[1]), Arrays.copyOfRange(argv, 2, argv.length));
    return 0;
  }
}
