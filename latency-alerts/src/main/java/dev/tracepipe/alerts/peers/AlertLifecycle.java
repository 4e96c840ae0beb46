package dev.tracepipe.alerts.peers;

import dev.tracepipe.avro.AlertRule;
import dev.tracepipe.avro.AlertStatus;
import dev.tracepipe.avro.LatencyAlert;
import dev.tracepipe.avro.PeerComparison;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Turns each window's findings into alerts the way Alertmanager models them: FIRING when a condition starts, FIRING
 * again every repeat interval of window time while it holds (with how long it has held), and one RESOLVED record when
 * a window judges it no longer holds or when it could not be judged for {@code staleWindows} windows in a row.
 */
final class AlertLifecycle {

  /** The records to send and how many new conditions were dropped beyond the cap. */
  record Outcome(List<LatencyAlert> alerts, int dropped) {}

  private final PeerSettings settings;

  AlertLifecycle(PeerSettings settings) {
    this.settings = settings;
  }

  /** Applies one window's judgement to the operation's firing conditions, which it updates in place. */
  Outcome step(ActiveAlerts state, PeerWindow window, PeerJudge.Judgement judgement) {
    List<LatencyAlert> out = new ArrayList<>();
    int dropped = 0;
    Map<String, ActiveAlerts.Active> active = state.byId();
    java.util.Set<String> holding = new java.util.HashSet<>();
    for (Finding finding : judgement.findings()) {
      holding.add(finding.alertId());
      ActiveAlerts.Active previous = active.get(finding.alertId());
      if (previous == null && active.size() >= settings.maxActive()) {
        dropped++;
        continue;
      }
      long firstSeen = previous == null ? window.startMillis() : previous.firstSeenMillis();
      LatencyAlert alert = firing(window, finding, firstSeen);
      boolean due = previous == null
          || window.endMillis() - previous.lastSentMillis() >= settings.repeatInterval().toMillis();
      if (due) {
        out.add(alert);
      }
      long lastSent = due ? window.endMillis() : previous.lastSentMillis();
      active.put(finding.alertId(), new ActiveAlerts.Active(firstSeen, lastSent, window.endMillis(), 0, alert));
    }
    for (Iterator<Map.Entry<String, ActiveAlerts.Active>> it = active.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, ActiveAlerts.Active> e = it.next();
      if (holding.contains(e.getKey())) {
        continue;
      }
      ActiveAlerts.Active a = e.getValue();
      int missed = a.missedWindows() + 1;
      if (judgement.judged().contains(e.getKey()) || missed >= settings.staleWindows()) {
        out.add(resolved(a, window));
        it.remove();
      } else {
        e.setValue(new ActiveAlerts.Active(a.firstSeenMillis(), a.lastSentMillis(), a.lastHeldMillis(), missed,
            a.last()));
      }
    }
    return new Outcome(out, dropped);
  }

  private static LatencyAlert firing(PeerWindow window, Finding f, long firstSeen) {
    PeerComparison peers = PeerComparison.newBuilder()
        .setDimension(f.dimension())
        .setValue(f.value())
        .setPeerValues(List.copyOf(f.peerValues()))
        .setMeasure(f.measure())
        .setSubject(f.subject())
        .setPeers(f.peers())
        .setRatio(f.ratio())
        .setWindowStartMillis(window.startMillis())
        .setWindowEndMillis(window.endMillis())
        .build();
    return LatencyAlert.newBuilder()
        .setTraceId("")
        .setRootService(window.service())
        .setRootOperation(window.operation())
        .setStartTimeNanos(window.startMillis() * 1_000_000L)
        .setDurationNanos(f.subject().getP99Nanos())
        .setSpanCount(0)
        .setRule(new AlertRule(f.rule(), f.description(), f.thresholdNanos()))
        .setStatus(AlertStatus.FIRING)
        .setAlertId(f.alertId())
        .setFirstSeenMillis(firstSeen)
        .setHeldForMillis(window.endMillis() - firstSeen)
        .setPeers(peers)
        .build();
  }

  private static LatencyAlert resolved(ActiveAlerts.Active a, PeerWindow window) {
    // The resolved record repeats the last firing one, so a reader sees what cleared without looking back.
    return LatencyAlert.newBuilder(a.last())
        .setStatus(AlertStatus.RESOLVED)
        .setHeldForMillis(a.lastHeldMillis() - a.firstSeenMillis())
        .setStartTimeNanos(window.startMillis() * 1_000_000L)
        .build();
  }
}
