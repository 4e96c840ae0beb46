package dev.tracepipe.launcher;

import dev.tracepipe.aggregator.AggregatorStage;
import dev.tracepipe.dependencies.DependencyGraphStage;
import dev.tracepipe.ingest.IngestStage;
import dev.tracepipe.latency.LatencyAlertsStage;
import dev.tracepipe.platform.Stage;
import dev.tracepipe.tracestore.TraceStoreStage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every stage of the pipeline by name, in the order data flows through them. */
final class Stages {
  static final Map<String, Stage> ALL;

  static {
    Map<String, Stage> stages = new LinkedHashMap<>();
    for (Stage stage : List.of(new IngestStage(), new AggregatorStage(), new DependencyGraphStage(),
        new LatencyAlertsStage(), new TraceStoreStage())) {
      stages.put(stage.name(), stage);
    }
    ALL = Collections.unmodifiableMap(stages);
  }

  private Stages() {}

  /** The stage names, for shell completion and help. */
  static final class Names implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return new ArrayList<>(ALL.keySet()).iterator();
    }
  }
}
