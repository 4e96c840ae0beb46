package dev.tracepipe.launcher;

import dev.tracepipe.platform.Durations;
import dev.tracepipe.workload.Fault;
import dev.tracepipe.workload.Format;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/** What {@code tracepipe bench} measures and for how long. */
record BenchOptions(double rate, double rampFrom, Duration stepWarmup, Duration stepMeasure,
    double latencyRate, Duration jitWarmUp, Duration warmup, Duration measure, Duration gap,
    Duration ceilingTime, int shapeSpans, long openTraces, Duration openTracesBudget, Format format,
    int generatorThreads, Fault fault, Path dataDir, Path report) {

  static final String HELP = """
      usage: tracepipe bench [--rate 50000] [--ramp-from 3000] [--step-warmup 8s] [--step-measure 12s]
                             [--jit-warm-up 120s] [--latency-rate 4000] [--warmup 20s] [--measure 40s] [--gap 5s]
                             [--ceiling-time 10s] [--shape-spans 200000] [--open-traces 1000000]
                             [--open-traces-budget 150s] [--format otlp] [--generator-threads 1]
                             [--data-dir DIR] [--report FILE]

      Measures tracepipe on this machine in one run, each figure next to what Kafka alone does here:
        1. a Kafka broker and schema registry in a process of their own (tracepipe broker);
        2. the raw ceiling: one producer (acks=all, idempotent) and one consumer, records like canonical spans;
        3. every stage, exactly-once, in a second process (tracepipe run against that broker), fed by the generator
           in this process: at --latency-rate spans/s until its JIT compilers settle (at most --jit-warm-up);
           then at --latency-rate spans/s for --warmup and --measure, with slow-host:payment
           switched on after the warm-up (latency from a trace's last span to its trace record and to its alert);
           then from --ramp-from spans/s up, 1.5 times more every step, to at most --rate, until the pipeline falls
           behind (throughput per stage, CPU, heap, RSS, and a flight recording of the stage process per step);
        4. the aggregator alone in a third process: CPU per span for 10-span against 1,000-span traces (same spans,
           alternating rounds of --shape-spans), then its heap with --open-traces one-span traces open;
        5. after 3, Zipkin's own server (exec jar, in-memory, Kafka collector) on that traffic as Zipkin JSON.
      Prints a Markdown report (and writes it to FILE). Logs, recordings and data stay in DIR (default: a new
      temporary directory).
      """;

  static final Set<String> VALUE_OPTIONS = Set.of("rate", "ramp-from", "step-warmup", "step-measure", "latency-rate",
      "jit-warm-up", "warmup", "measure", "gap", "ceiling-time",
      "shape-spans", "open-traces", "open-traces-budget", "format", "generator-threads", "data-dir", "report");

  static BenchOptions parse(String[] argv) {
    Args args = Args.parse(argv, 1, VALUE_OPTIONS, Set.of());
    if (!args.positional().isEmpty()) {
      throw new IllegalArgumentException("unexpected argument " + args.positional().get(0) + " (see --help)");
    }
    return new BenchOptions(
        Double.parseDouble(args.option("rate").orElse("50000")),
        Double.parseDouble(args.option("ramp-from").orElse("3000")),
        duration(args, "step-warmup", "8s"),
        duration(args, "step-measure", "12s"),
        Double.parseDouble(args.option("latency-rate").orElse("4000")),
        duration(args, "jit-warm-up", "120s"),
        duration(args, "warmup", "20s"),
        duration(args, "measure", "40s"),
        duration(args, "gap", "5s"),
        duration(args, "ceiling-time", "10s"),
        Integer.parseInt(args.option("shape-spans").orElse("200000")),
        Long.parseLong(args.option("open-traces").orElse("1000000")),
        duration(args, "open-traces-budget", "150s"),
        Format.parse(args.option("format").orElse("otlp")),
        Integer.parseInt(args.option("generator-threads").orElse("1")),
        Fault.parse("slow-host:payment"),
        args.option("data-dir").map(Path::of).orElse(null),
        args.option("report").map(Path::of).orElse(null));
  }

  /** The offered rates of the throughput ramp: from --ramp-from, times 1.5 each step, ending at --rate. */
  java.util.List<Double> rampRates() {
    java.util.List<Double> rates = new java.util.ArrayList<>();
    for (double r = Math.min(rampFrom, rate); r < rate; r *= 1.5) {
      rates.add(Math.floor(r));
    }
    rates.add(rate);
    return rates;
  }

  private static Duration duration(Args args, String name, String fallback) {
    return Durations.parse(args.option(name).orElse(fallback));
  }
}
