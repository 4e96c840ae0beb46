package dev.tracepipe.launcher;

import dev.tracepipe.avro.BlamedSpan;
import dev.tracepipe.avro.LatencyAlert;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Collectors;

/** Draws a {@link DemoSnapshot} as text: four panels, one line per row, about 110 columns wide. */
final class DemoScreen {
  /** Moves the cursor home and clears the screen, so that each refresh replaces the previous one. */
  static final String CLEAR = "\033[H\033[2J";
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

  private DemoScreen() {}

  static String render(DemoSnapshot s) {
    StringBuilder out = new StringBuilder();
    long seconds = s.elapsed().toSeconds();
    out.append(String.format("tracepipe demo  %02d:%02d  fault: %s%s%n", seconds / 60, seconds % 60, s.fault(),
        s.page().isEmpty() ? "" : "   page: " + s.page()));
    out.append("-".repeat(110)).append('\n');
    traces(out, s.traces());
    edges(out, s.edges());
    slowest(out, s.slowest());
    alerts(out, s.alerts());
    out.append("Ctrl-C stops the demo.\n");
    return out.toString();
  }

  private static void traces(StringBuilder out, DemoSnapshot.Traces t) {
    out.append(String.format("(a) TRACES ASSEMBLED  %,d traces   %,.0f spans/s in   %,.1f traces/s out%n", t.count(),
        t.spansInPerSecond(), t.tracesOutPerSecond()));
    DemoFeed.LatestTrace latest = t.latest();
    out.append(latest == null ? "    waiting for the first trace (it completes 3 s after its last span)\n"
        : String.format("    latest: %s %s, %d spans, %s (trace %s)%n", latest.rootService(), latest.rootOperation(),
            latest.spanCount(), duration(latest.durationNanos()), latest.traceId()));
    out.append('\n');
  }

  private static void edges(StringBuilder out, DemoSnapshot.Panel<DemoQueries.Edge> panel) {
    out.append(String.format("(b) TOP DEPENDENCY EDGES, last minute %42s %8s %10s%n", "calls", "errors", "p99"));
    if (panel.rows().isEmpty()) {
      out.append("    ").append(panel.problem() == null ? "no calls yet" : "waiting: " + panel.problem()).append('\n');
    }
    for (DemoQueries.Edge e : panel.rows()) {
      out.append(String.format("    %-62s %,9d %,8d %10s%n", fit(e.parent() + " -> " + e.child() + " ("
          + e.type().toLowerCase(java.util.Locale.ROOT) + ")", 62), e.calls(), e.errors(), duration(e.p99Nanos())));
    }
    out.append('\n');
  }

  private static void slowest(StringBuilder out, DemoSnapshot.Panel<DemoQueries.OperationLatency> panel) {
    out.append(String.format("(c) SLOWEST OPERATIONS, latest 10 s window %35s %10s %10s%n", "count", "p50", "p99"));
    if (panel.rows().isEmpty()) {
      out.append("    ")
          .append(panel.problem() == null ? "no server spans measured yet" : "waiting: " + panel.problem())
          .append('\n');
    }
    for (DemoQueries.OperationLatency op : panel.rows()) {
      out.append(String.format("    %-62s %,9d %10s %10s%n", fit(op.service() + "  " + op.operation(), 62), op.count(),
          duration(op.p50Nanos()), duration(op.p99Nanos())));
    }
    out.append('\n');
  }

  private static void alerts(StringBuilder out, DemoSnapshot.Alerts a) {
    String blamed = a.topBlames().entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
        .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    out.append(String.format("(d) LATEST ALERTS  %,d so far%s%n", a.count(),
        blamed.isEmpty() ? "" : "; blamed first: " + blamed));
    for (LatencyAlert alert : a.firing()) {
      out.append(String.format("    FIRING %-18s for %3ds  %s: %s%n", alert.getRule().getType(),
          alert.getHeldForMillis() / 1000, fit(alert.getRootService() + " " + alert.getRootOperation(), 32),
          fit(alert.getRule().getDescription(), 120)));
    }
    if (a.latest().isEmpty()) {
      out.append("    none yet: alerts need a baseline (a few 10 s windows) and a trace far above it\n");
    }
    for (LatencyAlert alert : a.latest()) {
      String blame = "no blame";
      if (!alert.getBlame().isEmpty()) {
        BlamedSpan top = alert.getBlame().get(0);
        blame = "blame " + top.getService() + " " + top.getOperation() + " (+" + duration(top.getExcessNanos()) + ")";
      }
      out.append(String.format("    %s %-17s %s, %s > %s; %s%n",
          TIME.format(Instant.ofEpochMilli(alert.getStartTimeNanos() / 1_000_000)), alert.getRule().getType(),
          fit(alert.getRootService() + " " + alert.getRootOperation(), 32), duration(alert.getDurationNanos()),
          duration(alert.getRule().getThresholdNanos()), blame));
    }
    out.append('\n');
  }

  static String duration(long nanos) {
    if (nanos >= 1_000_000_000L) {
      return String.format("%.2f s", nanos / 1e9);
    }
    if (nanos >= 10_000_000L) {
      return String.format("%.0f ms", nanos / 1e6);
    }
    return String.format("%.1f ms", nanos / 1e6);
  }

  private static String fit(String text, int width) {
    return text.length() <= width ? text : text.substring(0, width - 1) + "…";
  }
}
