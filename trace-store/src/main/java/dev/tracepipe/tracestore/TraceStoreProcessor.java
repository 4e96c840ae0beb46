package dev.tracepipe.tracestore;

import dev.tracepipe.avro.Trace;
import dev.tracepipe.avro.TraceCompletion;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * Keeps the latest version of each trace with its search index and names, and deletes what outlived the retention.
 * A trace's retention counts from when it was stored, or from its record time when that is earlier (a replay of old
 * traces); a tracer clock in the future cannot keep a trace forever.
 */
final class TraceStoreProcessor implements Processor<String, Trace, Void, Void> {
  /** At most this many traces are deleted per punctuation, so one expiry never stalls processing for long. */
  static final int MAX_EXPIRED_PER_RUN = 10_000;

  private final TraceStoreSettings settings;
  private final TraceStoreMetrics metrics;
  private ProcessorContext<Void, Void> context;
  private TimestampedKeyValueStore<String, Trace> traces;
  private KeyValueStore<String, String> search;
  private KeyValueStore<String, String> expiry;
  private TraceNames names;

  TraceStoreProcessor(TraceStoreSettings settings, TraceStoreMetrics metrics) {
    this.settings = Objects.requireNonNull(settings, "settings == null");
    this.metrics = Objects.requireNonNull(metrics, "metrics == null");
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    this.context = context;
    traces = context.getStateStore(TraceStoreTopology.TRACE_STORE);
    search = context.getStateStore(TraceStoreTopology.SEARCH_STORE);
    expiry = context.getStateStore(TraceStoreTopology.EXPIRY_STORE);
    names = new TraceNames(context.getStateStore(TraceStoreTopology.NAME_STORE), settings, metrics);
    // Wall-clock punctuation on purpose: retention must go on when no trace arrives to move stream time.
    context.schedule(settings.expiryInterval(), PunctuationType.WALL_CLOCK_TIME, this::expire);
  }

  @Override
  public void process(Record<String, Trace> record) {
    Trace trace = record.value();
    if (trace == null) {
      if (record.key() != null) remove(record.key());
      return;
    }
    String traceId = trace.getTraceId();
    try {
      SearchFacts.check(trace);
    } catch (IllegalArgumentException e) {
      // Stored traces must be servable as Zipkin spans; one that is not would fail every query that meets it.
      metrics.rejected(traceId, e.getMessage());
      return;
    }
    ValueAndTimestamp<Trace> old = traces.get(traceId);
    if (old != null) {
      if (trace.getCompletion() == TraceCompletion.LATE_FRAGMENT) {
        trace = TraceMerge.addFragment(old.value(), trace);
      } else if (trace.getVersion() <= old.value().getVersion()) {
        metrics.staleVersion(traceId, trace.getVersion(), old.value().getVersion());
        return;
      }
      unindex(traceId, old);
    }
    long retainFrom = Math.min(record.timestamp(), context.currentSystemTimeMs());
    traces.put(traceId, ValueAndTimestamp.make(trace, retainFrom));
    for (String key : searchKeys(traceId, trace)) {
      search.put(key, "");
    }
    expiry.put(IndexKeys.expiry(retainFrom, traceId), "");
    names.add(trace.getSpans(), retainFrom);
    metrics.stored.increment();
  }

  void expire(long now) {
    long cutoff = now - settings.retention().toMillis();
    List<String> due = new ArrayList<>();
    try (KeyValueIterator<String, String> it = expiry.range(null, IndexKeys.expiryTo(cutoff))) {
      while (it.hasNext() && due.size() < MAX_EXPIRED_PER_RUN) due.add(it.next().key);
    }
    for (String key : due) {
      String traceId = IndexKeys.traceIdOf(key);
      ValueAndTimestamp<Trace> stored = traces.get(traceId);
      // A later version re-stored the trace with a newer retention start; only this older entry goes.
      if (stored != null && stored.timestamp() == IndexKeys.expiryTime(key)) {
        unindex(traceId, stored);
        traces.delete(traceId);
        metrics.expired.increment();
      }
      expiry.delete(key);
    }
    names.expire(cutoff);
  }

  private void remove(String traceId) {
    ValueAndTimestamp<Trace> old = traces.get(traceId);
    if (old == null) return;
    unindex(traceId, old);
    traces.delete(traceId);
  }

  private void unindex(String traceId, ValueAndTimestamp<Trace> stored) {
    for (String key : searchKeys(traceId, stored.value())) {
      search.delete(key);
    }
    expiry.delete(IndexKeys.expiry(stored.timestamp(), traceId));
  }

  private static List<String> searchKeys(String traceId, Trace trace) {
    return IndexKeys.searchKeys(traceId, SearchFacts.timestampMicros(trace), SearchFacts.services(trace));
  }
}
