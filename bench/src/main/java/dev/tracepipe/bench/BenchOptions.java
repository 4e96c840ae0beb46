package dev.tracepipe.bench;

import dev.tracepipe.workload.Fault;
import dev.tracepipe.workload.Format;
import java.nio.file.Path;
import java.time.Duration;

/** What {@code tracepipe bench} measures and for how long. */
record BenchOptions(double rate, double rampFrom, double rampFactor, int refine, Duration stepWarmup,
    Duration stepMeasure, double latencyRate, Duration jitWarmUp, Duration warmup, Duration measure, Duration gap,
    Duration ceilingTime, int shapeSpans, long openTraces, Duration openTracesBudget, Format format,
    int generatorThreads, Fault fault, Path dataDir, Path report) {

  /** The offered rates of the throughput ramp: from --ramp-from, times --ramp-factor each step, ending at --rate. */
  java.util.List<Double> rampRates() {
    return Ramp.upFrom(rampFrom, rampFactor, rate);
  }

  /**
   * The next rate to try once the ramp fell behind: halfway, geometrically, between the highest offered rate that
   * kept up and the lowest above it that did not; none once {@code refine} such steps ran, when nothing kept up or
   * nothing fell behind, or when the two are within 2% of each other.
   */
  java.util.OptionalDouble refinedRate(java.util.List<Double> keptUp, java.util.List<Double> fellBehind,
      int refinedSoFar) {
    double kept = keptUp.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    double fell = fellBehind.stream().mapToDouble(Double::doubleValue).filter(r -> r > kept).min().orElse(Double.NaN);
    if (refinedSoFar >= refine || Double.isNaN(kept) || Double.isNaN(fell) || fell < kept * 1.02) {
      return java.util.OptionalDouble.empty();
    }
    return java.util.OptionalDouble.of(Math.floor(Math.sqrt(kept * fell)));
  }
}
