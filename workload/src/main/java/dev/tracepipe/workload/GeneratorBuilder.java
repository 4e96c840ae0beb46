package dev.tracepipe.workload;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Settings for a {@link Generator}; by default 100 traces/s on one thread until stopped, without a status line. */
public final class GeneratorBuilder {
  private final SpanSink sink;
  private long seed = System.nanoTime();
  private Faults faults = new Faults();
  private double rate = 100;
  private boolean ratePerSpan;
  private Duration duration;
  private long maxTraces;
  private int threads = 1;
  private int maxBatchTraces = 200;
  private Duration batchInterval = Duration.ofMillis(10);
  private PrintStream progress;
  private final List<GeneratorSettings.ScheduledFault> scheduledFaults = new ArrayList<>();

  GeneratorBuilder(SpanSink sink) {
    this.sink = sink;
  }

  /** The seed of the first thread's system; thread {@code i} derives its own from it. */
  public GeneratorBuilder seed(long seed) {
    this.seed = seed;
    return this;
  }

  /** Faults to share with whoever switches them, e.g. a demo's controls. */
  public GeneratorBuilder faults(Faults faults) {
    this.faults = Objects.requireNonNull(faults, "faults == null");
    return this;
  }

  /** Traces per second over all threads; zero or less sends as fast as the sink takes them. */
  public GeneratorBuilder tracesPerSecond(double rate) {
    this.rate = rate;
    this.ratePerSpan = false;
    return this;
  }

  /** Spans per second over all threads, whole traces at a time; zero or less is unlimited. */
  public GeneratorBuilder spansPerSecond(double rate) {
    this.rate = rate;
    this.ratePerSpan = true;
    return this;
  }

  /** Stops after this long; null (the default) runs until stopped or the trace limit is reached. */
  public GeneratorBuilder duration(Duration duration) {
    this.duration = duration;
    return this;
  }

  /** Stops after this many traces; zero (the default) sets no limit. */
  public GeneratorBuilder maxTraces(long maxTraces) {
    this.maxTraces = maxTraces;
    return this;
  }

  public GeneratorBuilder threads(int threads) {
    this.threads = threads;
    return this;
  }

  /** How long a worker waits when it is ahead of the rate; batches at low rates grow with it. */
  public GeneratorBuilder batchInterval(Duration batchInterval) {
    this.batchInterval = Objects.requireNonNull(batchInterval, "batchInterval == null");
    return this;
  }

  /** The most traces handed to the sink at once. */
  public GeneratorBuilder maxBatchTraces(int maxBatchTraces) {
    this.maxBatchTraces = maxBatchTraces;
    return this;
  }

  /** Prints a status line every second to this stream; null (the default) prints nothing. */
  public GeneratorBuilder progress(PrintStream progress) {
    this.progress = progress;
    return this;
  }

  /** Switches a fault on this long after the start. */
  public GeneratorBuilder faultAfter(Fault fault, Duration after) {
    scheduledFaults.add(new GeneratorSettings.ScheduledFault(Objects.requireNonNull(fault, "fault == null"),
        Objects.requireNonNull(after, "after == null")));
    return this;
  }

  public Generator build() {
    return new Generator(new GeneratorSettings(seed, rate, ratePerSpan, duration, maxTraces, threads, maxBatchTraces,
        batchInterval, progress, scheduledFaults), sink, faults);
  }
}
