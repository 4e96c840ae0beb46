package dev.tracepipe.dependencies;

import dev.tracepipe.avro.Trace;
import dev.tracepipe.avro.TraceCompletion;
import dev.tracepipe.platform.time.ClockMetrics;
import dev.tracepipe.platform.time.EventTime;
import dev.tracepipe.platform.time.Placement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Turns each trace record into the edge changes it brings, remembering per trace id what was
 * counted (for as long as the ledger store retains it) so later versions add only their difference.
 */
final class TraceDeltaProcessor implements Processor<String, Trace, EdgeKey, EdgeDelta> {
  private final String ledgerStoreName;
  private final Duration memory;
  private final ServiceGraphMetrics metrics;
  private final EventTime eventTime;
  private final ClockMetrics clockMetrics;
  private ProcessorContext<EdgeKey, EdgeDelta> context;
  private WindowStore<String, CountedTrace> ledger;

  TraceDeltaProcessor(String ledgerStoreName, Duration memory, ServiceGraphMetrics metrics, EventTime eventTime,
      ClockMetrics clockMetrics) {
    this.ledgerStoreName = ledgerStoreName;
    this.memory = memory;
    this.metrics = metrics;
    this.eventTime = eventTime;
    this.clockMetrics = clockMetrics;
  }

  @Override
  public void init(ProcessorContext<EdgeKey, EdgeDelta> context) {
    this.context = context;
    this.ledger = context.getStateStore(ledgerStoreName);
  }

  @Override
  public void process(Record<String, Trace> record) {
    Trace trace = record.value();
    if (trace == null) {
      metrics.tombstone(); // compaction markers carry no spans
      return;
    }
    String traceId = record.key() != null ? record.key() : trace.getTraceId();
    long arrival = eventTime.arrival(record.timestamp(), context.currentSystemTimeMs());
    List<Call> calls = placed(CallLinker.link(trace.getSpans()), arrival);
    boolean fragment = trace.getCompletion() == TraceCompletion.LATE_FRAGMENT;
    TraceLedger.Outcome outcome = TraceLedger.apply(latest(traceId, arrival),
        trace.getVersion(), fragment, calls);
    if (outcome.stale()) {
      metrics.staleVersion();
      return;
    }
    ledger.put(traceId, outcome.counted(), arrival);
    for (EdgeDelta delta : outcome.deltas()) {
      // Each change is timed by its call, so windows hold calls by when they happened.
      context.forward(new Record<>(delta.edge(), delta, Math.max(0, delta.timestampMillis())));
      metrics.record(delta);
    }
  }

  /**
   * Each call at its span's time, or at the trace's arrival when the span's clock is out of range. The ledger keeps the
   * placed time, so a later version corrects the call in the window it was counted in.
   */
  private List<Call> placed(List<Call> calls, long arrival) {
    List<Call> result = new ArrayList<>(calls.size());
    for (Call call : calls) {
      Placement placement = eventTime.place(call.timestampMillis(), arrival);
      clockMetrics.count(placement);
      result.add(placement.adjusted() ? new Call(call.id(), call.edge(), call.error(), placement.timeMs(),
          call.clientNanos(), call.serverNanos()) : call);
    }
    return result;
  }

  /** The newest ledger entry of the trace within the remembered span of time, or null. */
  private CountedTrace latest(String traceId, long now) {
    long from = Math.max(0, now - memory.toMillis());
    try (WindowStoreIterator<CountedTrace> entries = ledger.backwardFetch(traceId, from, Long.MAX_VALUE)) {
      return entries.hasNext() ? entries.next().value : null;
    }
  }
}
