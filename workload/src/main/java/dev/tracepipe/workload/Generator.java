package dev.tracepipe.workload;

import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.StatusCode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Drives simulated systems at a target rate of traces or spans per second into a sink, on one or more threads, for a
 * while or for a number of traces, switching faults on at chosen times and optionally printing a status line a second.
 */
public final class Generator {
  private static final long MAX_SCHEDULE_LAG_NANOS = 1_000_000_000L;
  private final GeneratorSettings settings;
  private final SpanSink sink;
  private final Faults faults;
  private final LongAdder traces = new LongAdder();
  private final LongAdder spans = new LongAdder();
  private final LongAdder errorSpans = new LongAdder();
  private final AtomicLong claimedTraces = new AtomicLong();
  private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
  private final List<Thread> workers = new ArrayList<>();
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "tracepipe-generator-schedule");
    thread.setDaemon(true);
    return thread;
  });
  private volatile boolean running;
  private volatile long startedNanos;
  private ProgressLine progressLine;

  Generator(GeneratorSettings settings, SpanSink sink, Faults faults) {
    this.settings = settings;
    this.sink = sink;
    this.faults = faults;
  }

  /** A builder for a generator writing to the given sink, which the caller closes. */
  public static GeneratorBuilder builder(SpanSink sink) {
    return new GeneratorBuilder(Objects.requireNonNull(sink, "sink == null"));
  }

  /** What a run produced. */
  public record Summary(long traces, long spans, long errorSpans, long failedSpans, Duration elapsed) {
    public double spansPerSecond() {
      return elapsed.isZero() ? 0 : spans / (elapsed.toNanos() / 1e9);
    }

    public double tracesPerSecond() {
      return elapsed.isZero() ? 0 : traces / (elapsed.toNanos() / 1e9);
    }
  }

  /** Starts the worker threads, the fault schedule and the status line; returns at once. */
  public synchronized void start() {
    if (startedNanos != 0) {
      throw new IllegalStateException("generator already started");
    }
    running = true;
    startedNanos = System.nanoTime();
    progressLine = new ProgressLine(this, startedNanos);
    for (GeneratorSettings.ScheduledFault scheduled : settings.scheduledFaults()) {
      scheduler.schedule(() -> faults.activate(scheduled.fault()), scheduled.after().toNanos(), TimeUnit.NANOSECONDS);
    }
    if (settings.progress() != null) {
      scheduler.scheduleAtFixedRate(() -> settings.progress().println(progressLine.next()), 1, 1, TimeUnit.SECONDS);
    }
    for (int i = 0; i < settings.threads(); i++) {
      int index = i;
      Thread worker = new Thread(() -> work(index), "tracepipe-generator-" + i);
      workers.add(worker);
      worker.start();
    }
  }

  /** Asks the workers to stop after their current batch; returns at once. */
  public void stop() {
    running = false;
  }

  /**
   * Waits for the workers to finish, flushes the sink and returns what was produced.
   *
   * @throws IllegalStateException when a worker failed, with its exception as the cause
   */
  public Summary await() throws InterruptedException {
    for (Thread worker : workers) {
      worker.join();
    }
    scheduler.shutdownNow();
    sink.flush();
    Summary summary = summary();
    RuntimeException error = failure.get();
    if (error != null) {
      throw new IllegalStateException("generator failed: " + error.getMessage(), error);
    }
    return summary;
  }

  /** Starts, waits and returns what was produced. */
  public Summary run() throws InterruptedException {
    start();
    return await();
  }

  public Summary summary() {
    long started = startedNanos;
    Duration elapsed = started == 0 ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - started);
    return new Summary(traces.sum(), spans.sum(), errorSpans.sum(), sink.failedSpans(), elapsed);
  }

  /** A one-line status: rates since the previous status line (printed or asked for), totals, errors and faults. */
  public String statusLine() {
    ProgressLine line = progressLine;
    return line == null ? "not started" : line.next();
  }

  public Faults faults() {
    return faults;
  }

  public boolean isRunning() {
    return running;
  }

  public long tracesSent() {
    return traces.sum();
  }

  public long spansSent() {
    return spans.sum();
  }

  public long errorSpans() {
    return errorSpans.sum();
  }

  public long failedSpans() {
    return sink.failedSpans();
  }

  private void work(int index) {
    SimulatedSystem system = new SimulatedSystem(threadSeed(settings.seed(), index), faults);
    double rate = settings.rate() / settings.threads();
    long begin = System.nanoTime();
    long wallBegin = epochNanos();
    long deadline = settings.duration() == null ? Long.MAX_VALUE : begin + settings.duration().toNanos();
    double units = 0;
    try {
      while (running && System.nanoTime() < deadline) {
        double allowed = rate > 0 ? rate * (System.nanoTime() - begin) / 1e9 : Double.MAX_VALUE;
        List<List<Span>> batch = new ArrayList<>();
        while (units < allowed && batch.size() < settings.maxBatchTraces()) {
          if (!claimTrace()) {
            running = false;
            break;
          }
          long start = startTime(rate, wallBegin, units);
          List<Span> trace = system.nextTrace(start);
          units += settings.ratePerSpan() ? trace.size() : 1;
          batch.add(trace);
        }
        if (!batch.isEmpty()) {
          sink.send(batch);
          count(batch);
        }
        if (units >= allowed) {
          LockSupport.parkNanos(settings.batchInterval().toNanos());
        }
      }
    } catch (RuntimeException e) {
      failure.compareAndSet(null, e);
      running = false;
    }
  }

  /**
   * Requests are stamped at their scheduled time (start + n / rate), spread evenly rather than bunched per batch;
   * a generator that cannot keep up stamps them with the clock instead, so that times never fall far behind.
   */
  private static long startTime(double rate, long wallBegin, double units) {
    long now = epochNanos();
    if (rate <= 0) {
      return now;
    }
    return Math.max(wallBegin + (long) (units / rate * 1e9), now - MAX_SCHEDULE_LAG_NANOS);
  }

  /**
   * The first thread uses the seed itself, so that one thread replays {@code new SimulatedSystem(seed)}; the others
   * scramble it, because seeds a fixed stride apart would give SplittableRandom overlapping sequences.
   */
  static long threadSeed(long seed, int index) {
    return index == 0 ? seed : new SplittableRandom(seed ^ index).split().nextLong();
  }

  private boolean claimTrace() {
    return settings.maxTraces() <= 0 || claimedTraces.incrementAndGet() <= settings.maxTraces();
  }

  private void count(List<List<Span>> batch) {
    long spanCount = 0;
    long errors = 0;
    for (List<Span> trace : batch) {
      spanCount += trace.size();
      for (Span span : trace) {
        if (span.getStatus().getCode() == StatusCode.ERROR) {
          errors++;
        }
      }
    }
    traces.add(batch.size());
    spans.add(spanCount);
    errorSpans.add(errors);
  }

  private static long epochNanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  /** Builds the status line from counter deltas; one instance per generator, called from one thread at a time. */
  static final class ProgressLine {
    private final Generator generator;
    private final long startedNanos;
    private long lastNanos;
    private long lastTraces;
    private long lastSpans;

    ProgressLine(Generator generator, long startedNanos) {
      this.generator = generator;
      this.startedNanos = startedNanos;
      this.lastNanos = startedNanos;
    }

    synchronized String next() {
      long now = System.nanoTime();
      long tracesNow = generator.tracesSent();
      long spansNow = generator.spansSent();
      double seconds = Math.max(1e-9, (now - lastNanos) / 1e9);
      double errorShare = spansNow == 0 ? 0 : 100.0 * generator.errorSpans() / spansNow;
      String line = String.format("[%5ds] %,9.0f spans/s %,7.0f traces/s | total %,d traces %,d spans"
              + " | errors %.2f%% | lost %,d | fault: %s",
          (now - startedNanos) / 1_000_000_000L, (spansNow - lastSpans) / seconds, (tracesNow - lastTraces) / seconds,
          tracesNow, spansNow, errorShare, generator.failedSpans(), generator.faults());
      lastNanos = now;
      lastTraces = tracesNow;
      lastSpans = spansNow;
      return line;
    }
  }
}
