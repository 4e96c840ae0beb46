package dev.tracepipe.aggregator;

import dev.tracepipe.aggregator.SpanAdmission.Limits;
import dev.tracepipe.aggregator.SpanAdmission.Outcome;
import dev.tracepipe.aggregator.TraceState.Phase;
import dev.tracepipe.aggregator.TraceState.Round;
import dev.tracepipe.aggregator.TraceState.TimeBase;
import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.Trace;
import dev.tracepipe.avro.TraceCompletion;
import dev.tracepipe.avro.TraceFragment;
import dev.tracepipe.platform.BoundedLog;
import dev.tracepipe.platform.time.ClockMetrics;
import dev.tracepipe.platform.time.EventTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects the spans of each trace in changelogged stores and emits the assembled trace when either clock says it is
 * complete; see RATIONALE.md for the two clocks, late spans and the stores.
 */
final class TraceAssemblyProcessor implements Processor<String, TraceFragment, String, byte[]> {

  private static final Logger LOG = LoggerFactory.getLogger(TraceAssemblyProcessor.class);
  private static final int DUE_BATCH = 1_000;
  private static final StringSerializer KEYS = new StringSerializer();

  /** Counted in a metric; logged once a minute at most, whatever a misbehaving producer writes. */
  private final BoundedLog misrouted = new BoundedLog(LOG);

  private final Timing timing;
  private final Limits limits;
  private final AggregatorMetrics metrics;
  private final EventTime eventTime;
  private final ClockMetrics clockMetrics;
  private final EncodedSpans encoded;
  private ProcessorContext<String, byte[]> context;
  private KeyValueStore<String, byte[]> spans;
  private KeyValueStore<String, TraceState> traces;
  private DueIndex index;
  private long startWall;
  private long openTraces;

  TraceAssemblyProcessor(Timing timing, Limits limits, AggregatorMetrics metrics, EventTime eventTime,
      ClockMetrics clockMetrics, EncodedSpans encoded) {
    this.timing = timing;
    this.limits = limits;
    this.metrics = metrics;
    this.eventTime = eventTime;
    this.clockMetrics = clockMetrics;
    this.encoded = encoded;
  }

  @Override
  public void init(ProcessorContext<String, byte[]> context) {
    this.context = context;
    this.spans = context.getStateStore(AggregatorTopology.SPAN_STORE);
    encoded.storeTopic(context.applicationId(), AggregatorTopology.SPAN_STORE);
    this.traces = context.getStateStore(AggregatorTopology.TRACE_STORE);
    // Built from the trace states, which Kafka Streams has restored by now.
    this.index = DueIndex.of(traces);
    // Traces restored from the changelog get one gap of wall time from here before the wall clock judges them, so
    // spans still waiting in the input after a failover are not mistaken for late ones.
    this.startWall = context.currentSystemTimeMs();
    this.openTraces = index.openCount();
    metrics.openTracesChanged(openTraces);
    // Wall-clock punctuation on purpose: on a quiet partition stream time stops, and a trace must still be emitted
    // within the gap plus one interval. Stream-time punctuation serves replays, where wall time barely moves.
    context.schedule(timing.punctuationInterval(), PunctuationType.WALL_CLOCK_TIME, this::onWallClock);
    context.schedule(timing.punctuationInterval(), PunctuationType.STREAM_TIME, this::onStreamTime);
  }

  @Override
  public void process(Record<String, TraceFragment> record) {
    TraceFragment fragment = record.value();
    if (fragment == null) {
      throw new IllegalArgumentException("null fragment under key " + record.key()
          + ": canonical spans are never null");
    }
    // The context's cached wall time, not the system clock: it is what wall-clock punctuation compares against.
    long wall = context.currentSystemTimeMs();
    long stream = Math.max(context.currentStreamTimeMs(), record.timestamp());
    long arrival = eventTime.arrival(record.timestamp(), wall);
    // One state read and write, and one span store record, per trace in the fragment (ingest writes one trace each).
    Arrival trace = null;
    for (Span span : fragment.getSpans()) {
      if (span == null) {
        throw new IllegalArgumentException("null span under key " + record.key() + ": canonical spans are never null");
      }
      if (trace == null || !span.getTraceId().equals(trace.traceId)) {
        if (trace != null) {
          trace.store();
        }
        trace = new Arrival(span.getTraceId());
      }
      if (!trace.traceId.equals(record.key())) {
        metrics.misrouted();
        misrouted.warn("spans came under another trace's key; each is assembled under its own trace id",
            "span " + span.getSpanId() + " of trace " + trace.traceId + " under key " + record.key());
      }
      trace.add(span, wall, stream, arrival);
    }
    if (trace != null) {
      trace.store();
    }
  }

  /** The spans of one trace arriving in one record: decided one by one, kept together in one span store record. */
  private final class Arrival {
    final String traceId;
    TraceState state;
    final List<byte[]> added = new ArrayList<>();
    final List<Span> addedSpans = new ArrayList<>();
    int keptBefore;

    Arrival(String traceId) {
      this.traceId = traceId;
      this.state = traces.get(traceId);
      if (state != null && state.phase() != Phase.MARKER && state.hashes().size() != state.keptSpans()) {
        // Kept before hashes were: read once from the store.
        state = state.withHashes(
            SpanHashes.of(keptSpans(traceId, state).stream().mapToInt(Span::hashCode).toArray()));
      }
    }

    void add(Span span, long wall, long stream, long arrival) {
      metrics.received();
      // Span clocks decide nothing here (arrival times do), but one out of range is counted now and flagged later.
      clockMetrics.count(eventTime.place(span.getStartTimeNanos() / 1_000_000L, arrival));
      // Encoded once: its bytes are what the store keeps and what the emitted trace carries.
      byte[] bytes = encoded.encode(span);
      long size = EncodedSpans.size(bytes);
      int hash = span.hashCode();
      // A kept copy is rare (a resent batch): only an equal hash is looked up in the store.
      Span kept = state == null || state.phase() == Phase.MARKER || !state.hashes().contains(hash) ? null
          : keptCopy(span);
      boolean opening = state == null || state.phase() != Phase.OPEN;
      if (state == null) {
        state = TraceState.first(wall, stream);
      } else if (state.phase() != Phase.OPEN) {
        Outcome closed = SpanAdmission.admit(kept, span, state.keptSpans(), state.keptBytes(), size, limits);
        if (state.phase() == Phase.EMITTED && (closed == Outcome.DUPLICATE || closed == Outcome.DROP)) {
          // Nothing a consumer could see changes, so no new version: counted for the next one.
          count(closed, state);
          state = state.countedWhileClosed(closed);
          return;
        }
        state = state.reopened(wall, stream);
        metrics.lateSpan(state.round() == Round.FRAGMENT);
      }
      // The kept copy is an equal span, never preferred to this one: a copy is a duplicate, anything else new.
      Outcome outcome = SpanAdmission.admit(kept, span, state.keptSpans(), state.keptBytes(), size, limits);
      count(outcome, state);
      if (outcome == Outcome.ADD) {
        if (added.isEmpty()) {
          keptBefore = state.keptSpans();
        }
        added.add(bytes);
        addedSpans.add(span);
      }
      state = state.arrived(wall, stream, outcome, outcome == Outcome.ADD ? size : 0, hash);
      if (opening) {
        state = reindex(traceId, state);
        changeOpenCount(1);
      }
    }

    /** An equal span kept before, in this record or in the store. */
    private Span keptCopy(Span span) {
      for (Span kept : addedSpans) {
        if (kept.equals(span)) {
          return kept;
        }
      }
      for (Span kept : keptSpans(traceId, state)) {
        if (kept.equals(span)) {
          return kept;
        }
      }
      return null;
    }

    void store() {
      if (!added.isEmpty()) {
        spans.put(StoredSpans.key(traceId, keptBefore), StoredSpans.value(added));
        state = state.stored(keptBefore);
      }
      traces.put(traceId, state);
    }
  }

  /** The spans a trace keeps, as the span store holds them. */
  private List<Span> keptSpans(String traceId, TraceState state) {
    List<Span> kept = new ArrayList<>();
    forEachStored(traceId, state, b -> kept.add(encoded.decode(b)));
    return kept;
  }

  /**
   * Hands each kept span of a trace to {@code span} as the store holds it, in the order the records were written: read
   * record by record where the state knows them, else (a state written before it kept them, or a record missing) found
   * by a scan of the trace's keys, which come in the same order.
   */
  private void forEachStored(String traceId, TraceState state, Consumer<byte[]> span) {
    List<String> keys = knownRecords(traceId, state);
    if (keys != null) {
      List<byte[]> values = new ArrayList<>(keys.size());
      for (String key : keys) {
        byte[] value = spans.get(key);
        if (value == null) {
          values = null;
          break;
        }
        values.add(value);
      }
      if (values != null) {
        for (int i = 0; i < keys.size(); i++) {
          StoredSpans.forEach(traceId, keys.get(i), values.get(i), span);
        }
        return;
      }
    }
    try (KeyValueIterator<String, byte[]> it = spans.prefixScan(tracePrefix(traceId), KEYS)) {
      it.forEachRemaining(kv -> StoredSpans.forEach(traceId, kv.key, kv.value, span));
    }
  }

  /** The keys of the span store records of a trace's kept spans, or null when its state does not know them all. */
  private static List<String> knownRecords(String traceId, TraceState state) {
    if (!state.recordsKnown()) {
      return null;
    }
    SpanRecords records = state.records();
    List<String> keys = new ArrayList<>(records.size());
    for (int i = 0; i < records.size(); i++) {
      keys.add(StoredSpans.key(traceId, records.get(i)));
    }
    return keys;
  }

  private void count(Outcome outcome, TraceState state) {
    if (outcome == Outcome.DUPLICATE || outcome == Outcome.REPLACE) {
      metrics.duplicate();
    } else if (outcome == Outcome.DROP) {
      metrics.dropped();
      if (state.droppedSpans() == 0) {
        LOG.warn("a trace reached the cap of {} spans or {} bytes; further spans are counted, not kept",
            limits.maxSpans(), limits.maxBytes());
      }
    }
  }

  private void onWallClock(long wallNow) {
    handleDue(TimeBase.WALL_CLOCK, wallNow);
    handleDue(TimeBase.STREAM_TIME, context.currentStreamTimeMs());
  }

  private void onStreamTime(long streamNow) {
    handleDue(TimeBase.STREAM_TIME, streamNow);
  }

  /** Acts on every entry due: no cap per punctuation, so that a burst of due traces never waits for the next one. */
  private void handleDue(TimeBase base, long now) {
    List<DueIndex.Entry> batch;
    do {
      // Every entry handled leaves the due range: acted on and moved to a later due time, or removed.
      batch = index.due(base, now, DUE_BATCH);
      for (DueIndex.Entry entry : batch) {
        handle(entry);
      }
    } while (batch.size() == DUE_BATCH);
  }

  /** Acts on a trace when either clock has passed its due time; otherwise moves its index entry to the real one. */
  private void handle(DueIndex.Entry entry) {
    TraceState state = traces.get(entry.traceId());
    long indexed = state == null ? -1
        : entry.base() == TimeBase.WALL_CLOCK ? state.wallIndexDue() : state.streamIndexDue();
    if (indexed != entry.due()) {
      index.remove(entry.base(), entry.due(), entry.traceId());
      return;
    }
    long wallNow = context.currentSystemTimeMs();
    long streamNow = context.currentStreamTimeMs();
    if (wallNow >= wallDue(state) || streamNow >= state.due(TimeBase.STREAM_TIME, timing)) {
      act(entry.traceId(), state, wallNow, streamNow);
    } else {
      traces.put(entry.traceId(), reindex(entry.traceId(), state));
    }
  }

  private long wallDue(TraceState state) {
    return Math.max(state.due(TimeBase.WALL_CLOCK, timing), startWall + timing.gapMs());
  }

  private void act(String traceId, TraceState state, long wallNow, long streamNow) {
    switch (state.phase()) {
      case OPEN -> {
        TraceState emitted = emit(traceId, state, wallNow, streamNow);
        if (emitted.phase() == Phase.MARKER) {
          // The records are those of the state emitted: the marker keeps none.
          purgeSpans(traceId, state);
        }
        traces.put(traceId, reindex(traceId, emitted));
      }
      case EMITTED -> {
        purgeSpans(traceId, state);
        traces.put(traceId, reindex(traceId, state.purged()));
      }
      case MARKER -> {
        index.remove(TimeBase.WALL_CLOCK, state.wallIndexDue(), traceId);
        index.remove(TimeBase.STREAM_TIME, state.streamIndexDue(), traceId);
        traces.delete(traceId);
      }
    }
  }

  private TraceState emit(String traceId, TraceState state, long wallNow, long streamNow) {
    TraceCompletion completion = state.completion(wallNow, streamNow, timing);
    List<Span> collected = new ArrayList<>(state.keptSpans());
    forEachStored(traceId, state, b -> collected.add(encoded.read(b)));
    // Pieces of one span (an untimed half, a copy reported before the span finished) become one span here.
    Trace trace = TraceAssembler.assemblePieces(traceId, collected, new TraceAssembler.Emission(state.version() + 1,
        completion, state.duplicateSpans(), state.droppedSpans()));
    for (int i = trace.getQuality().getDuplicateSpanCount() - state.duplicateSpans(); i > 0; i--) {
      metrics.duplicate();
    }
    trace.getQuality().setArrivalClockSkew(ArrivalSkews.of(trace.getSpans(), state.firstStreamTime(),
        state.lastStreamTime(), eventTime));
    context.forward(new Record<>(traceId, encoded.trace(trace), Math.max(0, state.lastStreamTime())));
    metrics.emitted(completion, trace.getQuality().getTruncated(), wallNow - state.lastArrivalWall());
    changeOpenCount(-1);
    return state.emitted(wallNow, Math.max(streamNow, state.lastStreamTime()));
  }

  private void purgeSpans(String traceId, TraceState state) {
    List<String> keys = knownRecords(traceId, state);
    if (keys == null) {
      List<String> found = new ArrayList<>();
      try (KeyValueIterator<String, byte[]> it = spans.prefixScan(tracePrefix(traceId), KEYS)) {
        it.forEachRemaining(kv -> found.add(kv.key));
      }
      keys = found;
    }
    // A put of null deletes without reading the old value first, as a delete does.
    keys.forEach(key -> spans.put(key, null));
  }

  /** Moves both index entries of a trace to its current due times. */
  private TraceState reindex(String traceId, TraceState state) {
    long wallDue = wallDue(state);
    long streamDue = state.due(TimeBase.STREAM_TIME, timing);
    if (wallDue != state.wallIndexDue()) {
      index.remove(TimeBase.WALL_CLOCK, state.wallIndexDue(), traceId);
      index.put(TimeBase.WALL_CLOCK, wallDue, traceId);
    }
    if (streamDue != state.streamIndexDue()) {
      index.remove(TimeBase.STREAM_TIME, state.streamIndexDue(), traceId);
      index.put(TimeBase.STREAM_TIME, streamDue, traceId);
    }
    return state.indexed(wallDue, streamDue);
  }

  private void changeOpenCount(long delta) {
    openTraces += delta;
    metrics.openTracesChanged(delta);
  }

  @Override
  public void close() {
    // The task may move to another instance, which will count its open traces from the store.
    metrics.openTracesChanged(-openTraces);
  }

  static String tracePrefix(String traceId) {
    return SpanKeys.tracePrefix(traceId);
  }
}
