package dev.tracepipe.latency;

import dev.tracepipe.alerts.outliers.SelfTime;
import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.StatusCode;
import dev.tracepipe.avro.Trace;
import dev.tracepipe.platform.BoundedLog;
import dev.tracepipe.platform.time.ClockMetrics;
import dev.tracepipe.platform.time.EventTime;
import dev.tracepipe.platform.time.Placement;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every span of every trace into a latency sample keyed by its operation and timed at the span's start (or at
 * the trace's arrival when the span's clock is out of range). A later
 * version of a trace repeats the earlier spans, so the span ids counted per trace are remembered for a while and only
 * new spans are sampled.
 */
final class SpanSampler implements Processor<String, Trace, String, SpanSample> {

  static final String COUNTED_SPANS_STORE = "latency-counted-spans";
  private static final Logger LOG = LoggerFactory.getLogger(SpanSampler.class);
  private static final int MAX_DIMENSION_VALUE = 128;

  private final List<String> dimensions;
  private final Duration memory;
  private final LatencyMetrics metrics;
  private final EventTime eventTime;
  private final ClockMetrics clockMetrics;
  private final OperationCap operations;
  private final BoundedLog capped = new BoundedLog(LOG);
  private ProcessorContext<String, SpanSample> context;
  private WindowStore<String, byte[]> counted;

  SpanSampler(List<String> dimensions, Duration memory, OperationCap operations, LatencyMetrics metrics,
      EventTime eventTime, ClockMetrics clockMetrics) {
    this.operations = operations;
    this.dimensions = List.copyOf(dimensions);
    this.memory = memory;
    this.metrics = metrics;
    this.eventTime = eventTime;
    this.clockMetrics = clockMetrics;
  }

  @Override
  public void init(ProcessorContext<String, SpanSample> context) {
    this.context = context;
    this.counted = context.getStateStore(COUNTED_SPANS_STORE);
  }

  @Override
  public void process(Record<String, Trace> record) {
    Trace trace = record.value();
    if (trace == null || record.key() == null) {
      return; // a tombstone of the compacted traces topic
    }
    // The trace record's timestamp is when the aggregator saw its last span, on the aggregator's bounded clock.
    long arrival = eventTime.arrival(record.timestamp(), context.currentSystemTimeMs());
    // Bounded too: a far-future time in the window store would expire every other trace's entry.
    long startMillis = eventTime.place(trace.getStartTimeNanos() / 1_000_000L, arrival).timeMs();
    Set<Long> seen = countedSpans(record.key(), startMillis);
    int before = seen.size();
    Map<Span, Long> self = dimensions.isEmpty() ? Map.of()
        : SelfTime.of(trace.getSpans(), trace.getRootSpanId());
    for (Span span : trace.getSpans()) {
      if (!seen.add(spanHash(span))) {
        metrics.spansRepeated.increment();
        continue;
      }
      SpanSample sample = new SpanSample(span.getDurationNanos(), span.getStatus().getCode() == StatusCode.ERROR,
          dimensionsOf(span), self.getOrDefault(span, span.getDurationNanos()));
      // A span timed by a clock far from its arrival is counted at its arrival: it must neither close windows for
      // the honest spans nor fall out of every window.
      Placement placement = eventTime.place(span.getStartTimeNanos() / 1_000_000L, arrival);
      clockMetrics.count(placement);
      OperationKey op = OperationKey.of(span);
      OperationKey counted = operations.admit(op, placement.timeMs());
      if (counted != op) {
        metrics.operationsOverflow.increment();
        capped.warn("distinct operations per window over latency.max-operations; counted as __overflow__", op);
      }
      context.forward(new Record<>(counted.encode(), sample, placement.timeMs()));
      metrics.spansSampled.increment();
    }
    if (seen.size() > before) {
      counted.put(record.key(), encode(seen), startMillis);
    }
  }

  /** Every span id counted for the trace, whichever start time an earlier version was stored under. */
  private Set<Long> countedSpans(String traceId, long startMillis) {
    Set<Long> seen = new HashSet<>();
    long memoryMillis = memory.toMillis();
    try (WindowStoreIterator<byte[]> it = counted.fetch(traceId, startMillis - memoryMillis,
        startMillis + memoryMillis)) {
      while (it.hasNext()) {
        KeyValue<Long, byte[]> entry = it.next();
        ByteBuffer buffer = ByteBuffer.wrap(entry.value);
        while (buffer.remaining() >= Long.BYTES) {
          seen.add(buffer.getLong());
        }
      }
    }
    return seen;
  }

  private static byte[] encode(Set<Long> hashes) {
    ByteBuffer buffer = ByteBuffer.allocate(hashes.size() * Long.BYTES);
    hashes.forEach(buffer::putLong);
    return buffer.array();
  }

  /** FNV-1a over the span id and its shared flag: the identity of a span within its trace. */
  static long spanHash(Span span) {
    long h = 0xcbf29ce484222325L;
    String id = span.getSpanId();
    for (int i = 0; i < id.length(); i++) {
      h = (h ^ id.charAt(i)) * 0x100000001b3L;
    }
    return (h ^ (span.getShared() ? 1 : 2)) * 0x100000001b3L;
  }

  private Map<String, String> dimensionsOf(Span span) {
    if (dimensions.isEmpty()) {
      return Map.of();
    }
    Map<String, String> values = new TreeMap<>();
    for (String name : dimensions) {
      String value = span.getResourceAttributes().get(name);
      if (value == null || value.isEmpty()) {
        continue; // kept where present: a span without the attribute is still in its operation's total
      }
      values.put(name, value.length() > MAX_DIMENSION_VALUE ? value.substring(0, MAX_DIMENSION_VALUE) : value);
    }
    return values;
  }
}
