package dev.tracepipe.alerts.peers;

import dev.tracepipe.avro.LatencyAlert;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Judges each closed window of an operation against its peers and advances that operation's firing conditions;
 * emits the lifecycle records keyed by alert id. Input is keyed by operation, so one task owns an operation's state.
 */
final class PeerProcessor implements Processor<String, PeerWindow, String, LatencyAlert> {

  static final String HISTORY_STORE = "peers-release-history";
  static final String ACTIVE_STORE = "peers-active-alerts";

  private final PeerJudge judge;
  private final AlertLifecycle lifecycle;
  private final PeerMetrics metrics;
  private ProcessorContext<String, LatencyAlert> context;
  private KeyValueStore<String, ReleaseHistory> histories;
  private KeyValueStore<String, ActiveAlerts> active;

  PeerProcessor(PeerSettings settings, PeerMetrics metrics) {
    this.judge = new PeerJudge(settings);
    this.lifecycle = new AlertLifecycle(settings);
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<String, LatencyAlert> context) {
    this.context = context;
    this.histories = context.getStateStore(HISTORY_STORE);
    this.active = context.getStateStore(ACTIVE_STORE);
  }

  @Override
  public void process(Record<String, PeerWindow> record) {
    PeerWindow window = record.value();
    if (window == null || record.key() == null) {
      return;
    }
    ReleaseHistory history = histories.get(record.key());
    if (history == null) {
      history = new ReleaseHistory();
    }
    PeerJudge.Judgement judgement = judge.judge(window, history);
    histories.put(record.key(), history);
    metrics.versionsForgotten(judgement.versionsForgotten());
    ActiveAlerts state = active.get(record.key());
    if (state == null) {
      if (judgement.findings().isEmpty()) {
        return; // nothing firing, nothing starts: the common case writes nothing
      }
      state = new ActiveAlerts();
    }
    AlertLifecycle.Outcome outcome = lifecycle.step(state, window, judgement);
    metrics.dropped(outcome.dropped(), record.key());
    if (state.isEmpty()) {
      active.delete(record.key());
    } else {
      active.put(record.key(), state);
    }
    for (LatencyAlert alert : outcome.alerts()) {
      metrics.sent(alert.getRule().getType(), alert.getStatus());
      context.forward(new Record<>(alert.getAlertId(), alert, window.endMillis()));
    }
  }
}
