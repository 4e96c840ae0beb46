package dev.tracepipe.workload;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/**
 * How a generator runs.
 *
 * @param rate traces (or spans, when {@code ratePerSpan}) per second over all threads; zero or less is unlimited
 * @param duration how long to run, null for no limit
 * @param maxTraces how many traces to send at most, zero or less for no limit
 * @param progress where to print a status line every second, null for silence
 */
record GeneratorSettings(long seed, double rate, boolean ratePerSpan, Duration duration, long maxTraces,
    int threads, int maxBatchTraces, Duration batchInterval, PrintStream progress,
    List<ScheduledFault> scheduledFaults) {

  /** A fault switched on some time after the start. */
  record ScheduledFault(Fault fault, Duration after) {}

  GeneratorSettings {
    if (threads < 1) {
      throw new IllegalArgumentException("threads < 1: " + threads);
    }
    if (maxBatchTraces < 1) {
      throw new IllegalArgumentException("maxBatchTraces < 1: " + maxBatchTraces);
    }
    if (duration != null && duration.isNegative()) {
      throw new IllegalArgumentException("negative duration: " + duration);
    }
    scheduledFaults = List.copyOf(scheduledFaults);
  }
}
