package dev.tracepipe.alerts.outliers;

import dev.tracepipe.avro.AlertRule;
import dev.tracepipe.avro.Baseline;
import dev.tracepipe.avro.CriticalPathSegment;
import dev.tracepipe.avro.LatencyAlert;
import dev.tracepipe.avro.OperationLatency;
import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.Trace;
import dev.tracepipe.avro.TraceCompletion;
import dev.tracepipe.latency.LatencySettings.AlertSettings;
import dev.tracepipe.latency.OperationKey;
import dev.tracepipe.platform.BoundedLog;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.slf4j.LoggerFactory;

/**
 * Evaluates the outlier rules on each assembled trace by its root operation and, for a trace that breaks one, builds
 * the alert: critical path, blame and structural difference from the usual shape. Emits it keyed by root operation so
 * storm control sees every alert of an operation in one place. A later version of an already alerted trace is alerted
 * again only when the rule it breaks changes.
 */
final class OutlierDetector implements Processor<String, Trace, String, LatencyAlert> {

  static final String VERDICTS_STORE = "latency-alert-verdicts";
  static final String SHAPES_STORE = "latency-call-shapes";
  static final String BASELINES_STORE = "latency-baselines";

  private final AlertSettings settings;
  private final OutlierRules rules;
  private final ShapeDiff shapeDiff;
  private final OutlierMetrics metrics;
  private ProcessorContext<String, LatencyAlert> context;
  private WindowStore<String, String> verdicts;
  private KeyValueStore<String, CallShape> shapes;
  private KeyValueStore<String, OperationLatency> baselines;
  private RootCap shapeRoots;
  private final BoundedLog capped = new BoundedLog(LoggerFactory.getLogger(OutlierDetector.class));

  OutlierDetector(AlertSettings settings, OutlierMetrics metrics) {
    this.settings = settings;
    this.rules = new OutlierRules(settings.k(), settings.minSamples(), settings.slo(), settings.errorTraces());
    this.shapeDiff = new ShapeDiff(settings.shapeMinSamples(), settings.shapeSigmas(), settings.maxDifferences());
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<String, LatencyAlert> context) {
    this.context = context;
    this.verdicts = context.getStateStore(VERDICTS_STORE);
    this.shapes = context.getStateStore(SHAPES_STORE);
    this.baselines = context.getStateStore(BASELINES_STORE);
    this.shapeRoots = RootCap.of(shapes, settings.shapeMaxRoots());
  }

  @Override
  public void process(Record<String, Trace> record) {
    Trace trace = record.value();
    if (trace == null || record.key() == null) {
      return; // a tombstone of the compacted traces topic
    }
    if (trace.getCompletion() == TraceCompletion.LATE_FRAGMENT) {
      metrics.tracesSkippedFragment.increment(); // only the stragglers of an expired trace: no request to judge
      return;
    }
    TraceTree tree = TraceTree.of(trace.getSpans(), trace.getRootSpanId());
    Optional<TraceTree.Node> root = tree.root();
    if (root.isEmpty()) {
      metrics.tracesSkippedNoRoot.increment();
      return;
    }
    Span rootSpan = root.get().span;
    OperationKey rootKey = new OperationKey(
        trace.getRootService() != null ? trace.getRootService() : rootSpan.getService(),
        trace.getRootOperation() != null ? trace.getRootOperation() : rootSpan.getName(),
        rootSpan.getKind());
    Map<OperationKey, Baseline> known = new HashMap<>();
    Function<OperationKey, Baseline> baselineOf = key -> known.computeIfAbsent(key, this::baseline);
    Map<CallKey, Integer> calls = tree.callCounts();
    CallShape stored = shapes.get(rootKey.encode());
    CallShape shape = stored != null ? stored : CallShape.empty();
    rules.evaluate(rootKey.service(), rootKey.operation(), rootSpan.getDurationNanos(), trace.getErrorCount(),
            baselineOf.apply(rootKey))
        .ifPresent(verdict -> alertOnce(record, trace, tree, rootKey, verdict, baselineOf, shape, calls));
    if (trace.getVersion() == 1 && trace.getCompletion() != TraceCompletion.LATE_UPDATE) {
      // Learn the shape from first versions only, so that a trace re-emitted with late spans counts once.
      if (stored == null && !shapeRoots.admitNew()) {
        // No shared bucket: one usual shape of unrelated root operations would describe none of them.
        metrics.shapesOverflow.increment();
        capped.warn("root operations over alerts.shape.max-roots; judged without a usual shape", rootKey);
        return;
      }
      metrics.shapeCallsForgotten.increment(shape.update(calls, settings.shapeDecay(), settings.shapeMaxCalls()));
      shapes.put(rootKey.encode(), shape);
    }
  }

  private void alertOnce(Record<String, Trace> record, Trace trace, TraceTree tree, OperationKey rootKey,
      OutlierRules.Verdict verdict, Function<OperationKey, Baseline> baselineOf, CallShape shape,
      Map<CallKey, Integer> calls) {
    long startMillis = trace.getStartTimeNanos() / 1_000_000L;
    if (verdict.type().name().equals(lastVerdict(record.key(), startMillis))) {
      metrics.alertsRepeatedVersion.increment();
      return;
    }
    verdicts.put(record.key(), verdict.type().name(), startMillis);
    Function<OperationKey, Baseline> trusted = key -> {
      Baseline b = baselineOf.apply(key);
      return b != null && b.getSampleCount() >= rules.minSamples() ? b : null;
    };
    List<CriticalPathSegment> path = CriticalPath.of(tree);
    Span rootSpan = tree.root().orElseThrow().span;
    LatencyAlert alert = LatencyAlert.newBuilder()
        .setTraceId(trace.getTraceId())
        .setTraceVersion(trace.getVersion())
        .setRootService(rootKey.service())
        .setRootOperation(rootKey.operation())
        .setStartTimeNanos(rootSpan.getStartTimeNanos())
        .setDurationNanos(rootSpan.getDurationNanos())
        .setSpanCount(trace.getSpanCount())
        .setErrorCount(trace.getErrorCount())
        .setServices(trace.getServices())
        .setRule(new AlertRule(verdict.type(), verdict.description(), verdict.thresholdNanos()))
        .setBaseline(baselineOf.apply(rootKey))
        .setCriticalPath(path)
        .setBlame(Blame.of(tree, trusted, path, settings.maxBlamed()))
        .setStructuralDiff(shapeDiff.compare(shape, calls))
        .setSuppressedCount(0)
        .build();
    context.forward(new Record<>(rootKey.encode(), alert, record.timestamp()));
  }

  /** The rule the trace was last alerted for, if it was, whichever start time an earlier version had. */
  private String lastVerdict(String traceId, long startMillis) {
    long memory = settings.verdictMemory().toMillis();
    String last = null;
    try (WindowStoreIterator<String> it = verdicts.fetch(traceId, startMillis - memory, startMillis + memory)) {
      while (it.hasNext()) {
        last = it.next().value;
      }
    }
    return last;
  }

  private Baseline baseline(OperationKey key) {
    OperationLatency latest = baselines.get(key.encode());
    if (latest == null || latest.getLatency() == null) {
      return null;
    }
    return new Baseline(latest.getLatency().getCount(), latest.getLatency().getP50Nanos(),
        latest.getLatency().getP90Nanos(), latest.getLatency().getP99Nanos());
  }
}
