package dev.tracepipe.bench;

import static dev.tracepipe.bench.BenchReport.gib;
import static dev.tracepipe.bench.BenchReport.line;

import dev.tracepipe.aggregator.AggregatorStage;
import dev.tracepipe.dependencies.DependencyGraphStage;
import dev.tracepipe.ingest.IngestStage;
import dev.tracepipe.latency.LatencyAlertsStage;
import dev.tracepipe.tracestore.TraceStoreStage;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.Map;

/** The sections of the bench report; each adds its row to the targets table. */
final class BenchSections {
  private final StringBuilder md;
  private final BenchOptions options;
  private final KafkaCeiling.Result ceiling;
  private final List<String> targets;

  BenchSections(StringBuilder md, BenchOptions options, KafkaCeiling.Result ceiling, List<String> targets) {
    this.md = md;
    this.options = options;
    this.ceiling = ceiling;
    this.targets = targets;
  }

  void all(PipelinePhase.JitWarmUp jit, PipelinePhase.Result latency, List<PipelinePhase.Result> steps,
      JfrHotSpots.Summary profile, double profiledRate, List<AggregatorCost.Round> shapes,
      AggregatorCost.OpenTraces open) {
    ceiling();
    if (jit != null) {
      line(md, "## Warming up");
      line(md, "");
      line(md, "The stage process ran at %,.0f spans/s for %d s before anything was measured, until its JIT",
          jit.spansPerSecond(), jit.took().toSeconds());
      line(md, "compilers used %.2f cores over 10 s (they had used %.0f s of CPU by then); until then they compete",
          jit.jitCoresAtEnd(), jit.jitCpuSeconds());
      line(md, "with the stages for the two cores.");
      line(md, "");
    }
    if (!steps.isEmpty()) {
      ramp(steps);
    }
    if (latency != null) {
      latency(latency);
    }
    if (latency != null && !steps.isEmpty()) {
      List<PipelinePhase.Result> phases = new java.util.ArrayList<>(List.of(latency));
      phases.addAll(steps);
      resources(phases);
    }
    if (!shapes.isEmpty()) {
      shapes(shapes);
    }
    if (open != null) {
      open(open);
    }
    if (profile != null) {
      profile(profile, profiledRate);
    }
  }

  private void ceiling() {
    line(md, "## Kafka alone (the ceiling)");
    line(md, "");
    line(md, "Records of %.0f bytes (key and value of the average canonical span, Avro), one producer thread",
        ceiling.averageRecordBytes());
    line(md, "(acks=all, idempotent, lz4, linger 10 ms) for %s, then one read_committed consumer reading them back.",
        options.ceilingTime().toSeconds() + " s");
    line(md, "");
    line(md, "| | records/s | MB/s |");
    line(md, "|---|---|---|");
    line(md, "| produce | %,.0f | %.1f |", ceiling.producePerSecond(), mb(ceiling.producePerSecond()));
    line(md, "| consume | %,.0f | %.1f |", ceiling.consumePerSecond(), mb(ceiling.consumePerSecond()));
    line(md, "");
    line(md, "The ceiling below is the lower of the two, %,.0f records/s: one span per record.", ceiling.perSecond());
    line(md, "");
  }

  private void ramp(List<PipelinePhase.Result> steps) {
    line(md, "## Throughput: offered rate raised %s× a step until the pipeline fell behind",
        BigDecimal.valueOf(options.rampFactor()).stripTrailingZeros().toPlainString());
    line(md, "");
    line(md, "Each step: %d s at the rate, then %d s measured. A step keeps up when traces carry at least 90%% of the",
        options.stepWarmup().toSeconds(), options.stepMeasure().toSeconds());
    line(md, "spans sent, the aggregator and the stages reading `traces` end it with at most 2 s of input unread (or");
    line(md, "no more than at its start), and no stream thread is fenced. A step that falls behind runs once more");
    line(md, "at its rate once the stages have caught up, and the ramp stops at the first rate that fell behind");
    line(md, "twice (both runs are in the table; one slow spell of this shared machine sinks one step, not two).");
    line(md, "Then up to %d more steps halve the interval (geometrically) between the highest rate that kept up and",
        options.refine());
    line(md, "the lowest above it that did not, each once the stages have caught up. Spans/s per stage; the ceiling");
    line(md, "is Kafka alone (above).");
    line(md, "");
    line(md, "| offered | sent | " + String.join(" | ", PipelinePhase.STAGES) + " | **end to end** | of ceiling "
        + "| stage process CPU | fenced | kept up |");
    line(md, "|---|---|---|---|---|---|---|---|---|---|---|");
    PipelinePhase.Result best = PipelinePhase.highestKeptUp(steps);
    for (PipelinePhase.Result r : steps) {
      Map<String, Double> s = r.stageSpansPerSecond();
      line(md, "| %,.0f | %,.0f | %,.0f | %,.0f | %,.0f | %,.0f | **%,.0f** | %s | %.2f cores | %d | %s |", r.offered(),
          r.sent(), s.get(IngestStage.NAME), s.get(AggregatorStage.NAME), s.get(DependencyGraphStage.NAME),
          s.get(LatencyAlertsStage.NAME),
          r.traceSpansPerSecond(), ratio(r.traceSpansPerSecond()), r.stageCores(), r.fencings(),
          r.keptUp() ? "yes" : "**no**");
    }
    PipelinePhase.Result fell = PipelinePhase.lowestFellBehind(steps, best);
    line(md, "");
    if (best != null) {
      step("Highest rate that kept up", best);
    }
    if (fell != null) {
      step("The lowest rate that fell behind", fell);
    }
    double sustained = best == null ? 0 : best.traceSpansPerSecond();
    // The target is a share of Kafka's own ceiling in the same run, not a fixed rate: the machine swings.
    double wanted = 0.06 * ceiling.perSecond();
    target(String.format(Locale.ROOT, "≥ 6%% of the Kafka ceiling end to end, sustained (%,.0f spans/s in this run)",
            wanted), best == null
        ? String.format(Locale.ROOT, "no step kept up, not even %,.0f spans/s", steps.get(0).offered())
        : String.format(Locale.ROOT, "%,.0f spans/s = %s", sustained, ratio(sustained)), sustained >= wanted,
        sustained / wanted);
  }

  private void step(String title, PipelinePhase.Result r) {
    line(md, "### %s: %,.0f spans/s offered", title, r.offered());
    line(md, "");
    line(md, "| | spans/s | of ceiling | CPU cores (its threads) | CPU µs per span | backlog at start → end "
        + "| stream threads' time: process / punctuate / commit / poll |");
    line(md, "|---|---|---|---|---|---|---|");
    line(md, "| generator (sent, in the bench process) | %,.0f | %s | | | | |", r.sent(), ratio(r.sent()));
    String[] units = {"messages", "trace fragments", "traces", "traces"};
    int i = 0;
    for (Map.Entry<String, Double> stage : r.stageSpansPerSecond().entrySet()) {
      long[] lag = r.lag().get(stage.getKey());
      double cores = r.stageThreadCores().get(stage.getKey());
      line(md, "| %s | %,.0f | %s | %.2f | %.0f | %,d → %,d %s | %s |", stage.getKey(), stage.getValue(),
          ratio(stage.getValue()), cores, cores * 1e6 / stage.getValue(), lag[0], lag[1], units[i++],
          threadTime(r, stage.getKey()));
    }
    double store = r.stageThreadCores().get(TraceStoreStage.NAME);
    line(md, "| %s (keeps traces for lookup; per span of `traces`) | | | %.2f | %.0f | | %s |", TraceStoreStage.NAME,
        store, store * 1e6 / r.traceSpansPerSecond(), threadTime(r, TraceStoreStage.NAME));
    line(md, "| other Java threads of the stage process (HTTP, metrics) | | | %.2f | | | |",
        r.stageThreadCores().get(PipelinePhase.OTHER_THREADS));
    line(md, "| JIT compilers | | | %.2f | | | |", r.stageThreadCores().get("jit"));
    line(md, "| garbage collection | | | %.2f | | | |", r.stageThreadCores().get("gc"));
    line(md, "| RocksDB background (flushes, compactions) | | | %.2f | | | |", r.stageThreadCores().get("rocksdb"));
    line(md, "| everything else (JVM, JFR, unnamed native threads) | | | %.2f | | | |",
        r.stageThreadCores().get("jvm"));
    line(md, "| **end to end** (spans in traces read from `traces`) | **%,.0f** | %s | %.2f (whole process) | %.0f "
        + "| | |",
        r.traceSpansPerSecond(), ratio(r.traceSpansPerSecond()), r.stageCores(),
        r.stageCores() * 1e6 / r.traceSpansPerSecond());
    line(md, "");
    line(md, "%,.0f traces/s, %.1f spans per trace. Broker and registry: %.2f cores; bench process (generator,",
        r.tracesPerSecond(), r.spansPerTrace(), r.brokerCores());
    line(md, "readers): %.2f cores. Fenced stream threads: %d. Stream threads' time: shares of their wall time at the",
        r.benchCores(), r.fencings());
    line(md, "step's end, from Kafka Streams' thread metrics; a thread waiting for a core counts where it was.");
    line(md, "");
  }

  private static String threadTime(PipelinePhase.Result r, String stage) {
    PipelinePhase.ThreadTime t = r.threadTime().get(stage);
    return t == null ? "" : String.format(Locale.ROOT, "%.2f / %.2f / %.2f / %.2f", t.process(), t.punctuate(),
        t.commit(), t.poll());
  }

  private void latency(PipelinePhase.Result r) {
    long gap = options.gap().toMillis();
    line(md, "## Latency at %,.0f spans/s, inactivity gap %d s, measured for %.0f s after %d s warm-up",
        r.offered(), gap / 1000, r.seconds(), options.warmup().toSeconds());
    line(md, "");
    if (options.latencyRate() <= 0) {
      line(md, "Run after the throughput ramp at half the highest rate end to end that kept up (the step below).");
      line(md, "");
    }
    line(md, "Throughput meanwhile: sent %,.0f spans/s, end to end %,.0f spans/s (%,.0f traces/s).", r.sent(),
        r.traceSpansPerSecond(), r.tracesPerSecond());
    line(md, "");
    line(md, "| from | to | n | p50 | p90 | p99 | max | p99 − gap |");
    line(md, "|---|---|---|---|---|---|---|---|");
    latencyRow("trace sent (all its spans)", "`traces` record", r.sentToTrace(), gap);
    latencyRow("trace's last span end", "`traces` record", r.endToTrace(), gap);
    latencyRow("trace sent (all its spans)", "alert", r.sentToAlert(), gap);
    latencyRow("trace's last span end", "alert", r.endToAlert(), gap);
    line(md, "");
    line(md, "Receipt is the wall clock when this process's read_committed consumer got the record. *Trace sent* is");
    line(md, "the trace's scheduled start. The generator sends each span as tracers export it: after it ends, in its");
    line(md, "service's SDK batch (512 spans or 1 s) and then a Collector's batch (8,192 spans or 200 ms), so a");
    line(md, "trace's last span reaches Kafka up to about 1.2 s after *last span end*, the latest span end the");
    line(md, "trace carries; both rows include that export delay, as a user's traces would.");
    line(md, "Alerts: %d in the interval, first blame %s (fault %s switched on after %d s). The aggregator's own",
        r.sentToAlert().count(), blames(r.blames()), options.fault(), options.warmup().toSeconds() + 5);
    line(md, "timer, from a trace's last span reaching it to the trace's emission, averaged %,.0f ms (largest in the",
        r.emissionDelayMillis());
    line(md, "last two minutes: %,.0f ms).", r.emissionDelayMaxMillis());
    line(md, "");
    double limit = gap + 2000;
    target(String.format(Locale.ROOT, "trace emitted within gap + 2 s of its last span, p99, at %,.0f spans/s",
            r.offered()),
        String.format(Locale.ROOT, "%.0f ms (gap %d ms)", r.sentToTrace().p99(), gap), r.sentToTrace().p99() <= limit,
        limit / r.sentToTrace().p99());
  }

  private static String blames(Map<String, Long> blames) {
    return blames.isEmpty() ? "none" : String.join(", ", blames.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).map(e -> e.getKey() + " " + e.getValue())
        .toList());
  }

  private void latencyRow(String from, String to, PipelinePhase.Latency l, long gap) {
    line(md, "| %s | %s | %,d | %,.0f ms | %,.0f ms | %,.0f ms | %,.0f ms | %,.0f ms |", from, to, l.count(), l.p50(),
        l.p90(), l.p99(), l.max(), l.p99() - gap);
  }

  private void resources(List<PipelinePhase.Result> phases) {
    line(md, "## CPU and memory");
    line(md, "");
    line(md, "Heap from each JVM's MemoryMXBean (largest sample every 2 s; live = after a full GC at the end of the");
    line(md, "phase), RSS from /proc/<pid>/status VmRSS, CPU as cores busy on average. Stage process: `%s`; the",
        Bench.STAGE_HEAP);
    line(md, "first row is the latency phase, the others the throughput steps.");
    line(md, "");
    line(md, "| offered spans/s | process | CPU cores | heap max | heap live | RSS max |");
    line(md, "|---|---|---|---|---|---|");
    for (PipelinePhase.Result r : phases) {
      String name = String.format(Locale.ROOT, "%,.0f", r.offered());
      resourceRow(name, "stages", r.stageCores(), r.stageMemory());
      resourceRow(name, "broker + registry", r.brokerCores(), r.brokerMemory());
    }
    line(md, "");
  }

  private void resourceRow(String phase, String process, double cores, PipelinePhase.Memory m) {
    line(md, "| %s | %s | %.2f | %s | %s | %s |", phase, process, cores, gib(m.heapMax()), gib(m.heapLiveAtEnd()),
        gib(m.rssMax()));
  }

  private void shapes(List<AggregatorCost.Round> rounds) {
    line(md, "## Aggregator: per-span cost by trace size");
    line(md, "");
    line(md, "The aggregator alone in its own JVM (exactly-once, RocksDB, gap 2 s). Each round writes the same %,d",
        rounds.get(0).spans());
    line(md, "spans of the shop's traffic, grouped into traces of one size and written as ingest writes them, in trace");
    line(md, "fragments of up to 7 spans (what a Collector batch holds of a trace in the generator's traffic), and waits");
    line(md, "until every trace is emitted.");
    line(md, "CPU is the process's CPU time over the round minus its idle rate (the lower of two measurements, after a");
    line(md, "warm-up round and after the last round); the rounds alternate.");
    line(md, "");
    line(md, "| round | spans per trace | CPU µs/span | spans/s read | all emitted after |");
    line(md, "|---|---|---|---|---|");
    for (int i = 0; i < rounds.size(); i++) {
      AggregatorCost.Round r = rounds.get(i);
      line(md, "| %d | %,d | %.1f | %,.0f | %.1f s |", i + 1, r.traceSize(), r.cpuMicrosPerSpan(), r.spansPerSecond(),
          r.emittedSeconds());
    }
    line(md, "");
    String what = "per-span cost at 1,000-span traces ≤ 2× that at 10-span traces";
    OptionalDouble measured = AggregatorCost.sizeRatio(rounds);
    if (measured.isEmpty()) {
      line(md, "Per-span cost, 1,000-span / 10-span traces: **not measured**: a round's CPU was no more than the idle");
      line(md, "rate over its time, so the process's background work swung more than the round's work.");
      line(md, "");
      targets.add(String.format(Locale.ROOT, "| %s | not measured | not measured: a round's CPU was within the idle"
          + " rate |", what));
      return;
    }
    double ratio = measured.getAsDouble();
    line(md, "Per-span cost, 1,000-span / 10-span traces (sum over the rounds of each size): **%.2f**.", ratio);
    line(md, "");
    target(what, String.format(Locale.ROOT, "%.2f×", ratio), ratio <= 2, 2 / ratio);
  }

  private void open(AggregatorCost.OpenTraces o) {
    line(md, "## Aggregator: heap with open traces");
    line(md, "");
    line(md, "%,d one-span traces written for an aggregator with a 30 min gap (its own JVM, -Xmx2g); %,d were open",
        o.requested(), o.open());
    line(md, "after %.0f s%s. Live heap after a full GC: %s before, **%s** with them (largest sample while loading"
        + " %s);",
        o.loadSeconds(), o.complete() ? "" : " (the budget ran out before all were read)", gib(o.heapBefore()),
        gib(o.heapWith()), gib(o.heapPeak()));
    line(md, "RSS %s (RocksDB's block cache and memtables are off-heap, bounded by `aggregator.rocksdb.total.bytes`).",
        gib(o.rssWith()));
    line(md, "");
    String heap = String.format(Locale.ROOT, "%s live at %,d open", gib(o.heapWith()), o.open());
    if (o.open() < 1_000_000) {
      // Fewer open traces say nothing either way about a million: no verdict rather than a wrong one.
      targets.add(String.format(Locale.ROOT, "| heap ≤ 1 GiB at 1,000,000 open traces | %s | not measured: run"
          + " with --open-traces 1000000 |", heap));
      return;
    }
    target("heap ≤ 1 GiB at 1,000,000 open traces", heap, o.heapWith() <= 1024L * 1024 * 1024,
        (1024.0 * 1024 * 1024) / o.heapWith());
  }

  private void profile(JfrHotSpots.Summary p, double rate) {
    line(md, "## Profile of the stage process at %,.0f spans/s", rate);
    line(md, "");
    line(md, "A flight recording of CPU samples only (`jdk.ExecutionSample` every 10 ms, `jdk.NativeMethodSample`");
    line(md, "every 20 ms) runs in the stage process from its start; the samples of the step's measured interval are");
    line(md, "aggregated here. It starts early because starting a recording in a warm process made HotSpot discard");
    line(md, "compiled code: C2 then recompiled for about 30 s of CPU, which would have landed in a measured step.");
    line(md, "");
    line(md, "%,d execution samples (threads running Java code) and %,d native-method samples.", p.samples(),
        p.nativeSamples());
    line(md, "");
    table("CPU samples by stage (stream and producer threads)", p.byStage(), p.samples());
    table("Top frames", p.topFrames(), p.samples());
    table("Top frames by package", p.topPackages(), p.samples());
    table("Innermost tracepipe frame on the stack", p.tracepipeFrames(), p.samples());
    table("Native methods (threads waiting or working in native code)", p.nativeFrames(), p.nativeSamples());
  }

  private void table(String title, List<JfrHotSpots.Entry> entries, long total) {
    line(md, "| %s | samples | share |", title);
    line(md, "|---|---|---|");
    entries.forEach(e -> line(md, "| `%s` | %,d | %.1f%% |", e.name(), e.samples(), 100.0 * e.samples() / total));
    line(md, "");
  }

  private void target(String what, String measured, boolean met, double factor) {
    targets.add(String.format(Locale.ROOT, "| %s | %s | %s |", what, measured,
        met ? "yes" : String.format(Locale.ROOT, "no: %.0f%% of the target", 100 * factor)));
  }

  private String ratio(double perSecond) {
    return String.format(Locale.ROOT, "%.1f%%", 100 * perSecond / ceiling.perSecond());
  }

  private double mb(double recordsPerSecond) {
    return recordsPerSecond * ceiling.averageRecordBytes() / 1e6;
  }
}
