package dev.tracepipe.bench;

import static dev.tracepipe.bench.BenchReport.line;

import java.util.List;
import java.util.Locale;

/** The report's comparison with Zipkin's server measured in the same run, and the bench's one-line summary. */
final class PeerSection {
  private final KafkaCeiling.Result ceiling;
  private final List<PipelinePhase.Result> steps;
  private final ZipkinServerPeer.Result zipkin;

  PeerSection(KafkaCeiling.Result ceiling, List<PipelinePhase.Result> steps, ZipkinServerPeer.Result zipkin) {
    this.ceiling = ceiling;
    this.steps = steps;
    this.zipkin = zipkin;
  }

  /** The highest step that kept up, or null. */
  PipelinePhase.Result best() {
    return PipelinePhase.highestKeptUp(steps);
  }

  double sustained() {
    PipelinePhase.Result best = best();
    return best == null ? 0 : best.traceSpansPerSecond();
  }

  /**
   * Zipkin's figure for the summary: the highest live step that kept up, as the pipeline's is taken, or the rate
   * at which it consumed the backlog when no live step ran.
   */
  double zipkinSustained() {
    if (zipkin == null) {
      return 0;
    }
    if (zipkin.live().isEmpty()) {
      return zipkin.spansPerSecond();
    }
    ZipkinServerPeer.LiveStep best = zipkin.sustained();
    return best == null ? 0 : best.consumed();
  }

  void render(StringBuilder md) {
    line(md, "## Beside Zipkin's server, same machine, broker and run");
    line(md, "");
    line(md, "Zipkin's server: `io.zipkin:zipkin-server:3.6.1` exec jar, in-memory storage, its Kafka");
    line(md, "collector reading the `zipkin` topic of the same broker: first timed on a backlog of the generator's");
    line(md, "honest traffic in Zipkin JSON (written first, then consumed, the generator idle), then driven through");
    line(md, "the pipeline's ramp with the generator writing live beside it (same factor, steps, retry and rule for");
    line(md, "keeping up, starting at the pipeline's highest rate that kept up). It stores and indexes spans, nothing");
    line(md, "more: no durability (a restart loses everything), no exactly-once, no trace assembly, no dependency");
    line(md, "graph, percentiles or alerts. Ours: spans decoded and validated, durable in Kafka, assembled into");
    line(md, "traces exactly once, the dependency graph, latency percentiles and alerts, every stage in one");
    line(md, "process (CPU of that whole process per span).");
    line(md, "");
    if (zipkin == null || zipkin.spans() == 0) {
      line(md, "Zipkin's server was not measured: %s.", zipkin == null ? "not run" : zipkin.note());
      line(md, "");
      return;
    }
    PipelinePhase.Result best = best();
    ZipkinServerPeer.LiveStep live = zipkin.sustained();
    line(md, "| | spans/s | of Kafka ceiling | process CPU µs per span | bench process cores |");
    line(md, "|---|---|---|---|---|");
    line(md, "| tracepipe, end to end, highest step that kept up | %,.0f | %s | %s | %s |", sustained(),
        percent(sustained()), best == null || best.traceSpansPerSecond() <= 0 ? "n/a"
            : String.format(Locale.ROOT, "%.0f", best.stageCores() * 1e6 / best.traceSpansPerSecond()),
        best == null ? "n/a" : String.format(Locale.ROOT, "%.2f", best.benchCores()));
    if (!zipkin.live().isEmpty()) {
      line(md, "| Zipkin server, in-memory, live: highest step that kept up | %s | %s | %s | %s |",
          live == null ? "none kept up" : String.format(Locale.ROOT, "%,.0f", live.consumed()),
          live == null ? "n/a" : percent(live.consumed()),
          live == null ? "n/a" : String.format(Locale.ROOT, "%.0f", live.cpuMicrosPerSpan()),
          live == null ? "n/a" : String.format(Locale.ROOT, "%.2f", live.benchCores()));
    }
    line(md, "| Zipkin server, in-memory, draining the backlog | %,.0f | %s | %.0f | idle |", zipkin.spansPerSecond(),
        percent(zipkin.spansPerSecond()), zipkin.cpuMicrosPerSpan());
    line(md, "");
    line(md, "Zipkin on the backlog: %,d spans in %.1f s (backlog %,d spans; %s); %.1f s of CPU while consuming, %.1f"
            + " s with its start-up.", zipkin.spans(), zipkin.seconds(), zipkin.backlog(), zipkin.note(),
        zipkin.cpuSeconds(), zipkin.totalCpuSeconds());
    line(md, "");
    if (!zipkin.live().isEmpty()) {
      line(md, "Zipkin live, step by step (spans unread: sent by the generator and not yet counted by the server's");
      line(md, "collector):");
      line(md, "");
      line(md, "| offered | sent/s | consumed/s | unread at start → end | server cores | µs per span | bench cores |"
          + " kept up |");
      line(md, "|---|---|---|---|---|---|---|---|");
      for (ZipkinServerPeer.LiveStep step : zipkin.live()) {
        line(md, "| %,.0f | %,.0f | %,.0f | %,d → %,d | %.2f | %.0f | %.2f | %s |", step.offered(), step.sent(),
            step.consumed(), step.unreadStart(), step.unreadEnd(), step.serverCores(), step.cpuMicrosPerSpan(),
            step.benchCores(), step.keptUp() ? "yes" : "**no**");
      }
      line(md, "");
    }
  }

  /** The bench's last line. */
  String summary() {
    double sustained = sustained();
    return String.format(Locale.ROOT,
        "end-to-end sustained: %d spans/s = %.1f%% of the Kafka ceiling (%d records/s); Zipkin server: %d spans/s",
        Math.round(sustained), 100 * sustained / ceiling.perSecond(), Math.round(ceiling.perSecond()),
        Math.round(zipkinSustained()));
  }

  private String percent(double perSecond) {
    return String.format(Locale.ROOT, "%.1f%%", 100 * perSecond / ceiling.perSecond());
  }
}
