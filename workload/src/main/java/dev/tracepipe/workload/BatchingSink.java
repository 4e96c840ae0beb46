package dev.tracepipe.workload;

import dev.tracepipe.avro.Span;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.LoggerFactory;

/**
 * A sink that sends spans the way real tracers do ({@link ExportBatches}) to another sink: each span once it has
 * ended, in SDK batches per service re-batched by a Collector, so that a message holds spans of many traces and a
 * trace's spans arrive over several messages and seconds.
 */
final class BatchingSink implements SpanSink {
  /** How often the clock is looked at: well under the Collector's timeout, so batches leave close to on time. */
  static final long TICK_MILLIS = 10;
  /** Spans held at most before {@link #send} waits: about 2 s of 100,000 spans/s, a few hundred MB of heap. */
  static final int MAX_BUFFERED = 200_000;

  private final SpanSink downstream;
  private final ExportBatches batches;
  private final LongSupplier epochNanos;
  private final ScheduledExecutorService ticker;
  private final ExportBatching settings;
  private long lastFailureLogged;
  private long failuresSinceLogged;

  /** A sink ticked by the caller through {@link #tick()}, reading the given clock (tests). */
  BatchingSink(SpanSink downstream, ExportBatching settings, LongSupplier epochNanos) {
    this(downstream, settings, epochNanos, null);
  }

  private BatchingSink(SpanSink downstream, ExportBatching settings, LongSupplier epochNanos,
      ScheduledExecutorService ticker) {
    this.downstream = Objects.requireNonNull(downstream, "downstream == null");
    this.settings = Objects.requireNonNull(settings, "settings == null");
    this.batches = new ExportBatches(settings);
    this.epochNanos = Objects.requireNonNull(epochNanos, "epochNanos == null");
    this.ticker = ticker;
  }

  /** A sink on the system clock, ticked every {@value #TICK_MILLIS} ms by a thread of its own. */
  static BatchingSink started(SpanSink downstream, ExportBatching settings) {
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "tracepipe-generator-export");
      thread.setDaemon(true);
      return thread;
    });
    BatchingSink sink = new BatchingSink(downstream, settings, BatchingSink::systemEpochNanos, ticker);
    ticker.scheduleAtFixedRate(sink::tickQuietly, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    return sink;
  }

  /**
   * Takes the traces, first waiting while more than {@value #MAX_BUFFERED} spans are held: a generator running
   * unthrottled would otherwise outrun the clock and fill the heap. Real SDKs drop spans instead; a load generator
   * slowing down shows in its sent rate.
   */
  @Override
  public void send(List<List<Span>> traces) {
    synchronized (batches) {
      // Only a ticking sink drains by itself; one ticked by the caller would wait forever.
      while (ticker != null && batches.buffered() > MAX_BUFFERED) {
        try {
          batches.wait(TICK_MILLIS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for export batches to drain", e);
        }
      }
      for (List<Span> trace : traces) {
        batches.add(trace);
      }
    }
  }

  /** Sends what the clock says is due. */
  void tick() {
    List<List<Span>> due;
    synchronized (batches) {
      due = batches.advance(epochNanos.getAsLong());
      batches.notifyAll();
    }
    for (List<Span> batch : due) {
      downstream.send(List.of(batch));
    }
  }

  /** Sends everything held, ended or not, then flushes the sink behind. */
  @Override
  public void flush() {
    List<List<Span>> rest;
    synchronized (batches) {
      rest = batches.drain(epochNanos.getAsLong());
    }
    for (List<Span> batch : rest) {
      downstream.send(List.of(batch));
    }
    downstream.flush();
  }

  /** Spans handed over and not yet passed on. */
  int buffered() {
    synchronized (batches) {
      return batches.buffered();
    }
  }

  @Override
  public long failedSpans() {
    return downstream.failedSpans();
  }

  @Override
  public void close() {
    if (ticker != null) {
      ticker.shutdownNow();
      try {
        ticker.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try {
      flush();
    } finally {
      downstream.close();
    }
  }

  private void tickQuietly() {
    try {
      tick();
    } catch (RuntimeException e) {
      // A scheduled task that throws is never run again, so the error is kept to a line a minute and ticking goes on.
      failuresSinceLogged++;
      long now = System.nanoTime();
      if (lastFailureLogged == 0 || now - lastFailureLogged > 60_000_000_000L) {
        LoggerFactory.getLogger(BatchingSink.class).error("export batching failed {} times since the last report",
            failuresSinceLogged, e);
        lastFailureLogged = now;
        failuresSinceLogged = 0;
      }
    }
  }

  private static long systemEpochNanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  @Override
  public String toString() {
    return downstream + ", batched " + settings;
  }
}
