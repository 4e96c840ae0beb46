package dev.tracepipe.latency;

import dev.tracepipe.avro.LatencyAlert;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/** Applies the {@link StormGate} per root operation and writes the alerts that pass keyed by trace id. */
final class StormControl implements Processor<String, LatencyAlert, String, LatencyAlert> {

  static final String STORM_STORE = "latency-alert-storm";

  private final StormGate gate;
  private final LatencyMetrics metrics;
  private ProcessorContext<String, LatencyAlert> context;
  private KeyValueStore<String, StormGate.State> states;

  StormControl(StormGate gate, LatencyMetrics metrics) {
    this.gate = gate;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<String, LatencyAlert> context) {
    this.context = context;
    this.states = context.getStateStore(STORM_STORE);
  }

  @Override
  public void process(Record<String, LatencyAlert> record) {
    LatencyAlert alert = record.value();
    if (alert == null || record.key() == null) {
      return;
    }
    StormGate.Decision decision = gate.decide(states.get(record.key()), record.timestamp());
    states.put(record.key(), decision.next());
    if (!decision.pass()) {
      metrics.alertsSuppressed.increment();
      return;
    }
    LatencyAlert out = LatencyAlert.newBuilder(alert).setSuppressedCount(decision.suppressedBefore()).build();
    metrics.alertsEmitted(out.getRule().getType()).increment();
    context.forward(record.withKey(alert.getTraceId()).withValue(out));
  }
}
