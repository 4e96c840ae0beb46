package dev.tracepipe.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Collects what {@link Bench} measured and renders it as Markdown, each figure beside the Kafka ceiling and target. */
final class BenchReport {
  private static final double GIB = 1024.0 * 1024 * 1024;
  private static final double MIB = 1024.0 * 1024;

  private final BenchOptions options;
  private final String command;
  private final String started = ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME);
  private final String loadAtStart = loadAverage();
  private final List<String> targets = new ArrayList<>();
  private KafkaCeiling.Result ceiling;
  private PipelinePhase.Result latency;
  private PipelinePhase.JitWarmUp jitWarmUp;
  private List<PipelinePhase.Result> throughput = List.of();
  private JfrHotSpots.Summary profile;
  private double profiledRate;
  private List<AggregatorCost.Round> shapes = List.of();
  private AggregatorCost.OpenTraces open;
  private ZipkinServerPeer.Result zipkin;

  BenchReport(BenchOptions options, List<String> command) {
    this.options = options;
    this.command = "./tracepipe " + String.join(" ", command);
  }

  void ceiling(KafkaCeiling.Result result) {
    this.ceiling = result;
  }

  void jitWarmUp(PipelinePhase.JitWarmUp result) {
    this.jitWarmUp = result;
  }

  void latency(PipelinePhase.Result result) {
    this.latency = result;
  }

  /** The steps of the throughput ramp; the profile is that of the highest step that kept up (else the first). */
  void throughput(List<PipelinePhase.Result> steps, Path recording) throws IOException {
    this.throughput = steps;
    PipelinePhase.Result best = PipelinePhase.highestKeptUp(steps);
    PipelinePhase.Result profiled = best == null ? steps.get(0) : best;
    this.profile = JfrHotSpots.read(recording, profiled.fromEpochNanos(), profiled.toEpochNanos(), 15);
    this.profiledRate = profiled.offered();
  }

  void shapes(List<AggregatorCost.Round> rounds) {
    this.shapes = rounds;
  }

  void openTraces(AggregatorCost.OpenTraces result) {
    this.open = result;
  }

  void zipkin(ZipkinServerPeer.Result result) {
    this.zipkin = result;
  }

  String render() {
    StringBuilder md = new StringBuilder();
    line(md, "# tracepipe bench, %s", started);
    line(md, "");
    line(md, "Machine: %d cores, %s, Java %s (%s); load average %s at start, %s at the end.",
        Runtime.getRuntime().availableProcessors(), memory(), System.getProperty("java.runtime.version"),
        System.getProperty("java.vm.name"), loadAtStart, loadAverage());
    line(md, "Command: `%s`", command);
    line(md, "");
    new BenchSections(md, options, ceiling, targets).all(jitWarmUp, latency, throughput, profile, profiledRate,
        shapes, open);
    line(md, "## Targets");
    line(md, "");
    line(md, "| target | measured | met |");
    line(md, "|---|---|---|");
    targets.forEach(t -> line(md, "%s", t));
    line(md, "");
    PeerSection peer = new PeerSection(ceiling, throughput, zipkin);
    peer.render(md);
    line(md, "%s", peer.summary());
    return md.toString();
  }

  static void line(StringBuilder md, String format, Object... args) {
    md.append(String.format(Locale.ROOT, format, args)).append('\n');
  }

  static String gib(long bytes) {
    return bytes < 0 ? "n/a" : bytes >= GIB ? String.format(Locale.ROOT, "%.2f GiB", bytes / GIB)
        : String.format(Locale.ROOT, "%.0f MiB", bytes / MIB);
  }

  private static String memory() {
    Map<String, String> info = new java.util.HashMap<>();
    try {
      for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
        String[] parts = l.split(":\\s+");
        if (parts.length == 2) {
          info.put(parts[0], parts[1]);
        }
      }
    } catch (IOException e) {
      return "memory unknown";
    }
    return gib(kib(info.get("MemTotal"))) + " RAM (" + gib(kib(info.get("MemAvailable"))) + " available)";
  }

  private static long kib(String value) {
    return value == null ? -1 : Long.parseLong(value.replaceAll("[^0-9]", "")) * 1024;
  }

  private static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException e) {
      return "unknown";
    }
  }
}
