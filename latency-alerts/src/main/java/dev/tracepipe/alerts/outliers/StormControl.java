package dev.tracepipe.alerts.outliers;

import dev.tracepipe.avro.LatencyAlert;
import dev.tracepipe.latency.OperationKey;
import dev.tracepipe.platform.BoundedLog;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Applies the {@link StormGate} per root operation and writes the alerts that pass keyed by trace id. */
final class StormControl implements Processor<String, LatencyAlert, String, LatencyAlert> {

  static final String STORM_STORE = "latency-alert-storm";

  private static final Logger LOG = LoggerFactory.getLogger(StormControl.class);

  private final StormGate gate;
  private final int maxRoots;
  private final OutlierMetrics metrics;
  private final BoundedLog capped = new BoundedLog(LOG);
  private RootCap roots;
  private ProcessorContext<String, LatencyAlert> context;
  private KeyValueStore<String, StormGate.State> states;

  StormControl(StormGate gate, int maxRoots, OutlierMetrics metrics) {
    this.gate = gate;
    this.maxRoots = maxRoots;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<String, LatencyAlert> context) {
    this.context = context;
    this.states = context.getStateStore(STORM_STORE);
    this.roots = RootCap.of(states, maxRoots);
  }

  @Override
  public void process(Record<String, LatencyAlert> record) {
    LatencyAlert alert = record.value();
    if (alert == null || record.key() == null) {
      return;
    }
    String gateKey = record.key();
    StormGate.State state = states.get(gateKey);
    if (state == null && !gateKey.equals(OperationKey.OVERFLOW) && !roots.admitNew()) {
      // Beyond the cap, new root operations share one gate: storm control still holds, its state stops growing.
      metrics.stormOverflow.increment();
      capped.warn("root operations over alerts.storm.max-roots; gated together as __overflow__", gateKey);
      gateKey = OperationKey.OVERFLOW;
      state = states.get(gateKey);
    }
    StormGate.Decision decision = gate.decide(state, record.timestamp());
    states.put(gateKey, decision.next());
    if (!decision.pass()) {
      metrics.alertsSuppressed.increment();
      return;
    }
    LatencyAlert out = LatencyAlert.newBuilder(alert).setSuppressedCount(decision.suppressedBefore()).build();
    metrics.alertsEmitted(out.getRule().getType()).increment();
    context.forward(record.withKey(alert.getTraceId()).withValue(out));
  }
}
