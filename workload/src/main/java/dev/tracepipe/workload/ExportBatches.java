package dev.tracepipe.workload;

import dev.tracepipe.avro.Span;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The export path of real tracers, driven by a clock the caller passes in: spans wait until they end, then join
 * their service's SDK batch; full or due SDK batches join the Collector's batch, whose full or due batches are what
 * gets written to Kafka. Not thread-safe.
 */
final class ExportBatches {
  private final ExportBatching settings;
  private final PriorityQueue<Span> unfinished = new PriorityQueue<>(Comparator.comparingLong(ExportBatches::end));
  private final Map<String, Batch> sdks = new HashMap<>();
  private final Batch collector;
  private int buffered;

  ExportBatches(ExportBatching settings) {
    this.settings = settings;
    this.collector = new Batch(settings.collectorMaxSpans(), settings.collectorTimeout().toNanos());
  }

  /** Spans just started (their start times stamped by the simulation); each is exported once it has ended. */
  void add(List<Span> spans) {
    unfinished.addAll(spans);
    buffered += spans.size();
  }

  /**
   * Moves the clock to {@code nowNanos} (epoch nanoseconds) and returns the Collector batches sent by then, oldest
   * first.
   */
  List<List<Span>> advance(long nowNanos) {
    List<List<Span>> sent = new ArrayList<>();
    while (!unfinished.isEmpty() && end(unfinished.peek()) <= nowNanos) {
      Span span = unfinished.poll();
      long ended = end(span);
      List<Span> export = sdk(span).add(span, ended);
      if (export != null) {
        toCollector(export, ended, sent);
      }
    }
    for (Batch sdk : sdks.values()) {
      long fired = sdk.dueNanos;
      List<Span> export = sdk.due(nowNanos);
      if (export != null) {
        // The export joins the Collector when the SDK's timer fired, however late this clock reading came.
        toCollector(export, fired, sent);
      }
    }
    List<Span> due = collector.due(nowNanos);
    if (due != null) {
      sent(due, sent);
    }
    return sent;
  }

  /** Everything still held, ended or not, as SDKs and the Collector flush at shutdown. */
  List<List<Span>> drain(long nowNanos) {
    List<List<Span>> sent = new ArrayList<>();
    List<Span> ending = new ArrayList<>(unfinished.size());
    while (!unfinished.isEmpty()) {
      ending.add(unfinished.poll());
    }
    for (Span span : ending) {
      List<Span> export = sdk(span).add(span, nowNanos);
      if (export != null) {
        toCollector(export, nowNanos, sent);
      }
    }
    for (Batch sdk : sdks.values()) {
      List<Span> export = sdk.take(nowNanos);
      if (export != null) {
        toCollector(export, nowNanos, sent);
      }
    }
    List<Span> rest = collector.take(nowNanos);
    if (rest != null) {
      sent(rest, sent);
    }
    return sent;
  }

  /** Spans handed in and not yet sent. */
  int buffered() {
    return buffered;
  }

  private Batch sdk(Span span) {
    return sdks.computeIfAbsent(span.getService(),
        service -> new Batch(settings.sdkMaxSpans(), settings.sdkDelay().toNanos()));
  }

  private void toCollector(List<Span> export, long nowNanos, List<List<Span>> sent) {
    for (Span span : export) {
      List<Span> full = collector.add(span, nowNanos);
      if (full != null) {
        sent(full, sent);
      }
    }
  }

  private void sent(List<Span> batch, List<List<Span>> sent) {
    buffered -= batch.size();
    sent.add(batch);
  }

  private static long end(Span span) {
    return span.getStartTimeNanos() + span.getDurationNanos();
  }

  /**
   * One batching stage: sends when it holds {@code maxSpans}, or on a timer that runs from the first span it ever
   * saw and restarts after every send, as both the SDK's worker and the Collector's batch processor do.
   */
  static final class Batch {
    private final int maxSpans;
    private final long delayNanos;
    private List<Span> spans = new ArrayList<>();
    private long dueNanos = Long.MIN_VALUE;

    Batch(int maxSpans, long delayNanos) {
      this.maxSpans = maxSpans;
      this.delayNanos = delayNanos;
    }

    /** Adds a span at a time; returns the batch when that filled it, else null. */
    List<Span> add(Span span, long nowNanos) {
      if (dueNanos == Long.MIN_VALUE) {
        dueNanos = nowNanos + delayNanos;
      }
      spans.add(span);
      return spans.size() >= maxSpans ? send(nowNanos) : null;
    }

    /** The batch when its timer has run out by {@code nowNanos} and it holds anything, else null. */
    List<Span> due(long nowNanos) {
      if (dueNanos == Long.MIN_VALUE || nowNanos < dueNanos) {
        return null;
      }
      if (spans.isEmpty()) {
        dueNanos = nowNanos + delayNanos;
        return null;
      }
      return send(dueNanos);
    }

    /** Whatever it holds, regardless of the timer; null when empty. */
    List<Span> take(long nowNanos) {
      return spans.isEmpty() ? null : send(nowNanos);
    }

    private List<Span> send(long nowNanos) {
      List<Span> batch = spans;
      spans = new ArrayList<>();
      dueNanos = nowNanos + delayNanos;
      return batch;
    }
  }
}
