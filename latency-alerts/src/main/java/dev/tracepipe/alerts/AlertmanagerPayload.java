package dev.tracepipe.alerts;

import dev.tracepipe.avro.AlertStatus;
import dev.tracepipe.avro.LatencyAlert;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One alert in Alertmanager's v2 form. Labels identify it, so a condition's FIRING and RESOLVED records carry the same
 * labels; a RESOLVED record ends it now, a FIRING one asks Alertmanager to keep it for the firing timeout.
 */
final class AlertmanagerPayload {

  private AlertmanagerPayload() {}

  /**
   * @param now when the alert is sent: Alertmanager compares endsAt with its own clock, so this is wall-clock time
   */
  static Map<String, Object> of(LatencyAlert alert, Instant now, Duration firingTimeout, String generatorUrl) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("alertname", alert.getRule().getType().name());
    labels.put("service", alert.getRootService());
    labels.put("operation", alert.getRootOperation());
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put("description", alert.getRule().getDescription());
    Instant startsAt;
    if (alert.getPeers() != null) {
      labels.put("dimension", alert.getPeers().getDimension());
      labels.put("value", alert.getPeers().getValue());
      labels.put("measure", alert.getPeers().getMeasure().name());
      annotations.put("peers", String.join(", ", alert.getPeers().getPeerValues()));
      annotations.put("held_for", Duration.ofMillis(alert.getHeldForMillis()).toString());
      startsAt = Instant.ofEpochMilli(alert.getFirstSeenMillis());
    } else {
      // A trace alert is one event: its trace id tells it apart from the next one of the same operation.
      labels.put("trace_id", alert.getTraceId());
      startsAt = Instant.ofEpochMilli(alert.getStartTimeNanos() / 1_000_000L);
    }
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("labels", labels);
    payload.put("annotations", annotations);
    // Alertmanager refuses an alert that ends before it starts; a tracer's clock may run ahead of ours.
    Instant endsAt = alert.getStatus() == AlertStatus.RESOLVED ? now : now.plus(firingTimeout);
    payload.put("startsAt", (startsAt.isAfter(endsAt) ? now : startsAt).toString());
    payload.put("endsAt", endsAt.toString());
    if (!generatorUrl.isEmpty()) {
      payload.put("generatorURL", generatorUrl);
    }
    return payload;
  }
}
