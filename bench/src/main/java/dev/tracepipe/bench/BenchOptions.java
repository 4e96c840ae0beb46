package dev.tracepipe.bench;

import dev.tracepipe.workload.Fault;
import dev.tracepipe.workload.Format;
import java.nio.file.Path;
import java.time.Duration;

/** What {@code tracepipe bench} measures and for how long. */
record BenchOptions(double rate, double rampFrom, double rampFactor, Duration stepWarmup, Duration stepMeasure,
    double latencyRate, Duration jitWarmUp, Duration warmup, Duration measure, Duration gap,
    Duration ceilingTime, int shapeSpans, long openTraces, Duration openTracesBudget, Format format,
    int generatorThreads, Fault fault, Path dataDir, Path report) {

  /** The offered rates of the throughput ramp: from --ramp-from, times --ramp-factor each step, ending at --rate. */
  java.util.List<Double> rampRates() {
    java.util.List<Double> rates = new java.util.ArrayList<>();
    for (double r = Math.min(rampFrom, rate); r < rate; r *= rampFactor) {
      rates.add(Math.floor(r));
    }
    rates.add(rate);
    return rates;
  }
}
