package dev.tracepipe.alerts;

import dev.tracepipe.avro.BlamedSpan;
import dev.tracepipe.avro.CallDifference;
import dev.tracepipe.avro.CriticalPathSegment;
import dev.tracepipe.avro.Distribution;
import dev.tracepipe.avro.LatencyAlert;
import dev.tracepipe.avro.PeerComparison;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An alert as the JSON APIs and the page show it: the rule, the trace's critical path and blame, or the peers. */
public final class AlertRows {
  private AlertRows() {}

  /** Every field of an alert; a trace alert's path, blame and shape, or a host or release alert's comparison. */
  public static Map<String, Object> row(LatencyAlert alert) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("rule", alert.getRule().getType().name());
    row.put("status", alert.getStatus().name());
    row.put("description", alert.getRule().getDescription());
    row.put("service", alert.getRootService());
    row.put("operation", alert.getRootOperation());
    row.put("startMillis", alert.getStartTimeNanos() / 1_000_000L);
    if (alert.getPeers() != null) {
      row.put("alertId", alert.getAlertId());
      row.putAll(peers(alert.getPeers()));
      row.put("firstSeenMillis", alert.getFirstSeenMillis());
      row.put("heldForMillis", alert.getHeldForMillis());
      return row;
    }
    row.put("traceId", alert.getTraceId());
    row.put("durationNanos", alert.getDurationNanos());
    row.put("thresholdNanos", alert.getRule().getThresholdNanos());
    row.put("spanCount", alert.getSpanCount());
    row.put("errorCount", alert.getErrorCount());
    row.put("suppressedBefore", alert.getSuppressedCount());
    row.put("criticalPath", alert.getCriticalPath().stream().map(AlertRows::segment).toList());
    row.put("blame", alert.getBlame().stream().map(AlertRows::blamed).toList());
    row.put("structuralDiff", alert.getStructuralDiff().stream().map(AlertRows::difference).toList());
    return row;
  }

  /** A host or release comparison: the value judged, what it was compared with, both distributions. */
  public static Map<String, Object> peers(PeerComparison peers) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("dimension", peers.getDimension());
    row.put("value", peers.getValue());
    row.put("peerValues", List.copyOf(peers.getPeerValues()));
    row.put("measure", peers.getMeasure().name());
    row.put("subject", distribution(peers.getSubject()));
    row.put("peers", distribution(peers.getPeers()));
    row.put("ratio", peers.getRatio());
    return row;
  }

  private static Map<String, Object> distribution(Distribution d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("count", d.getCount());
    m.put("errorCount", d.getErrorCount());
    m.put("p50Nanos", d.getP50Nanos());
    m.put("p99Nanos", d.getP99Nanos());
    m.put("selfP50Nanos", d.getSelfP50Nanos());
    m.put("selfP99Nanos", d.getSelfP99Nanos());
    return m;
  }

  private static Map<String, Object> segment(CriticalPathSegment s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("service", s.getService());
    m.put("operation", s.getOperation());
    m.put("selfTimeNanos", s.getSelfTimeNanos());
    return m;
  }

  private static Map<String, Object> blamed(BlamedSpan b) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("service", b.getService());
    m.put("operation", b.getOperation());
    m.put("durationNanos", b.getDurationNanos());
    m.put("baselineP99Nanos", b.getBaselineP99Nanos());
    m.put("excessNanos", b.getExcessNanos());
    m.put("ratio", b.getRatio());
    return m;
  }

  private static Map<String, Object> difference(CallDifference d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("service", d.getService());
    m.put("operation", d.getOperation());
    m.put("expectedCalls", d.getExpectedCalls());
    m.put("actualCalls", d.getActualCalls());
    return m;
  }
}
