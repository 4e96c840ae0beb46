package dev.tracepipe.bench;

import dev.tracepipe.platform.Durations;
import dev.tracepipe.workload.Fault;
import dev.tracepipe.workload.Format;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tracepipe bench}: its options, defaults and help; runs {@link Bench} with them. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Measures tracepipe on this machine in one run, each figure next to what Kafka alone does here:",
        "  1. a Kafka broker and schema registry in a process of their own (tracepipe broker);",
        "  2. the raw ceiling: one producer (acks=all, idempotent) and one consumer, records like canonical spans;",
        "  3. every stage, exactly-once, in a second process (tracepipe run against that broker), fed by the",
        "     generator in this process: at --ramp-from spans/s until its JIT compilers settle (at most",
        "     --jit-warm-up); then from --ramp-from spans/s up, --ramp-factor times more every step, to at most",
        "     --rate, until a rate falls behind twice running (a step that falls behind runs once more after the",
        "     stages caught up), then --refine steps halfway (geometrically) between the highest rate that kept",
        "     up and the lowest that did not, each after the stages caught up (throughput",
        "     per stage, CPU, heap, RSS, and a flight recording of the stage process); then at half the highest",
        "     rate that kept up (or --latency-rate) for --warmup",
        "     and --measure, with slow-host:payment switched on after the warm-up (latency from a trace's last span",
        "     to its trace record and to its alert);",
        "  4. Zipkin's server (exec jar, in-memory storage, its Kafka collector on the same broker): timed on a",
        "     backlog of the same traffic in Zipkin JSON, then through the same ramp with the generator writing",
        "     live, from the pipeline's highest rate that kept up;",
        "  5. the aggregator alone in a third process: CPU per span for 10-span against 1,000-span traces (same",
        "     spans, alternating rounds of --shape-spans), then its heap with --open-traces one-span traces open.",
        "Prints a Markdown report (and writes it to FILE). Logs, recordings and data stay in DIR (default: a new",
        "temporary directory). Takes about 20 minutes.", ""})
public final class BenchCommand implements Callable<Integer> {
  @Option(names = "--rate", defaultValue = "50000", paramLabel = "N",
      description = "highest offered rate of the throughput ramp, spans/s (default ${DEFAULT-VALUE})")
  double rate;
  @Option(names = "--ramp-from", defaultValue = "3000", paramLabel = "N",
      description = "first offered rate of the ramp, spans/s (default ${DEFAULT-VALUE})")
  double rampFrom;
  @Option(names = "--ramp-factor", defaultValue = "1.25", paramLabel = "F",
      description = "how much each step of the ramp offers more than the one before (default ${DEFAULT-VALUE})")
  double rampFactor;
  @Option(names = "--refine", defaultValue = "2", paramLabel = "N",
      description = "steps between the highest rate that kept up and the lowest that did not, each halving the"
          + " interval, once the ramp fell behind (default ${DEFAULT-VALUE})")
  int refine;
  @Option(names = "--step-warmup", defaultValue = "8s", paramLabel = "D", description = "(default ${DEFAULT-VALUE})")
  Duration stepWarmup;
  @Option(names = "--step-measure", defaultValue = "12s", paramLabel = "D", description = "(default ${DEFAULT-VALUE})")
  Duration stepMeasure;
  @Option(names = "--jit-warm-up", defaultValue = "120s", paramLabel = "D", description = "(default ${DEFAULT-VALUE})")
  Duration jitWarmUp;
  @Option(names = "--latency-rate", defaultValue = "0", paramLabel = "N",
      description = "spans/s of the latency phase; 0 for half the highest rate that kept up (default ${DEFAULT-VALUE})")
  double latencyRate;
  @Option(names = "--warmup", defaultValue = "20s", paramLabel = "D", description = "(default ${DEFAULT-VALUE})")
  Duration warmup;
  @Option(names = "--measure", defaultValue = "40s", paramLabel = "D", description = "(default ${DEFAULT-VALUE})")
  Duration measure;
  @Option(names = "--gap", defaultValue = "5s", paramLabel = "D",
      description = "the aggregator's inactivity gap (default ${DEFAULT-VALUE})")
  Duration gap;
  @Option(names = "--ceiling-time", defaultValue = "10s", paramLabel = "D", description = "(default ${DEFAULT-VALUE})")
  Duration ceilingTime;
  @Option(names = "--shape-spans", defaultValue = "200000", paramLabel = "N",
      description = "spans per round of the per-span cost (default ${DEFAULT-VALUE})")
  int shapeSpans;
  @Option(names = "--open-traces", defaultValue = "1000000", paramLabel = "N", description = "(default ${DEFAULT-VALUE})")
  long openTraces;
  @Option(names = "--open-traces-budget", defaultValue = "150s", paramLabel = "D",
      description = "(default ${DEFAULT-VALUE})")
  Duration openTracesBudget;
  @Option(names = "--format", defaultValue = "otlp", paramLabel = "F",
      description = "otlp, avro or zipkin (default ${DEFAULT-VALUE})")
  Format format;
  @Option(names = "--generator-threads", defaultValue = "1", paramLabel = "N",
      description = "(default ${DEFAULT-VALUE})")
  int generatorThreads;
  @Option(names = "--data-dir", paramLabel = "DIR", description = "where logs, recordings and data stay")
  Path dataDir;
  @Option(names = "--report", paramLabel = "FILE", description = "also write the report to FILE")
  Path report;

  @Spec
  CommandSpec spec;

  private final Launcher launcher;

  public BenchCommand(Launcher launcher) {
    this.launcher = launcher;
  }

  /** The command with the converters its options need (durations as {@code 30s}, formats by name). */
  public static CommandLine commandLine(Launcher launcher) {
    return withConverters(new CommandLine(new BenchCommand(launcher)));
  }

  /** Registers the value types tracepipe's commands share: {@link Duration}, {@link Format} and {@link Fault}. */
  public static CommandLine withConverters(CommandLine commandLine) {
    return commandLine.registerConverter(Duration.class, Durations::parse)
        .registerConverter(Format.class, Format::parse)
        .registerConverter(Fault.class, Fault::parse);
  }

  BenchOptions options() {
    return new BenchOptions(rate, rampFrom, rampFactor, refine, stepWarmup, stepMeasure, latencyRate, jitWarmUp, warmup,
        measure, gap, ceilingTime, shapeSpans, openTraces, openTracesBudget, format, generatorThreads,
        Fault.parse("slow-host:payment"), dataDir, report);
  }

  @Override
  public Integer call() throws Exception {
    // The top-level parse result's arguments, which already start with this command's name.
    List<String> command = new ArrayList<>(spec.commandLine().getParseResult().originalArgs());
    return Bench.run(options(), command, launcher);
  }
}
