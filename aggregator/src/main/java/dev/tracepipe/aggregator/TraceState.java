package dev.tracepipe.aggregator;

import dev.tracepipe.aggregator.SpanAdmission.Outcome;
import dev.tracepipe.avro.TraceCompletion;
import java.util.Objects;

/**
 * What the aggregator knows about one trace id besides its spans: phase, the times of this round on both clocks,
 * counts, and where its time-index entries are. Times: wall-clock ms and stream-time ms at arrival.
 *
 * @param phase where the trace is in its life
 * @param round what the current (or last) collecting round will be emitted as
 * @param version versions emitted so far
 * @param firstArrivalWall wall time of this round's first span
 * @param lastArrivalWall wall time of this round's latest span
 * @param firstStreamTime stream time when this round's first span arrived
 * @param lastStreamTime stream time when this round's latest span arrived
 * @param emittedWall wall time of the latest emission, -1 before the first
 * @param emittedStreamTime stream time of the latest emission, -1 before the first
 * @param keptSpans distinct spans kept
 * @param keptBytes their encoded size
 * @param duplicateSpans copies collapsed
 * @param droppedSpans spans let go at the caps
 * @param wallIndexDue due time of this trace's wall-clock index entry, -1 if none
 * @param streamIndexDue due time of this trace's stream-time index entry, -1 if none
 * @param hashes content hashes of the kept spans, one each; fewer than {@code keptSpans} when the state was written
 *     before they were kept (then the span store is the only record of them)
 * @param records where this round's spans are in the span store: the number of spans kept before each record, in
 *     order; none known when the state was written before they were kept (then the store is scanned for them)
 */
record TraceState(
    Phase phase,
    Round round,
    int version,
    long firstArrivalWall,
    long lastArrivalWall,
    long firstStreamTime,
    long lastStreamTime,
    long emittedWall,
    long emittedStreamTime,
    int keptSpans,
    long keptBytes,
    int duplicateSpans,
    int droppedSpans,
    long wallIndexDue,
    long streamIndexDue,
    SpanHashes hashes,
    SpanRecords records) {

  /** Where a trace id is in its life. */
  enum Phase {
    /** Collecting spans. */
    OPEN,
    /** Emitted; spans kept for late updates. */
    EMITTED,
    /** Spans dropped; only this record is kept so a later span is known to be late. */
    MARKER
  }

  /** What a collecting round is emitted as. */
  enum Round {
    NEW,
    LATE,
    FRAGMENT
  }

  /** The two clocks the aggregator reads. */
  enum TimeBase {
    WALL_CLOCK,
    STREAM_TIME
  }

  TraceState {
    Objects.requireNonNull(phase, "phase == null");
    Objects.requireNonNull(round, "round == null");
    Objects.requireNonNull(hashes, "hashes == null");
    Objects.requireNonNull(records, "records == null");
  }

  /** A trace whose first span just arrived. */
  static TraceState first(long wall, long streamTime) {
    return new TraceState(Phase.OPEN, Round.NEW, 0, wall, wall, streamTime, streamTime, -1, -1, 0, 0, 0, 0, -1, -1,
        SpanHashes.NONE, SpanRecords.NONE);
  }

  /** A span arrived after emission: within retention a late update of the whole trace, after it a fragment. */
  TraceState reopened(long wall, long streamTime) {
    if (phase == Phase.OPEN) {
      throw new IllegalStateException("trace is already open");
    }
    boolean fragment = phase == Phase.MARKER;
    return new TraceState(Phase.OPEN, fragment ? Round.FRAGMENT : Round.LATE, version, wall, wall, streamTime,
        streamTime, emittedWall, emittedStreamTime, fragment ? 0 : keptSpans, fragment ? 0 : keptBytes,
        fragment ? 0 : duplicateSpans, fragment ? 0 : droppedSpans, wallIndexDue, streamIndexDue,
        fragment ? SpanHashes.NONE : hashes, fragment ? SpanRecords.NONE : records);
  }

  /**
   * Records the arrival of a span and what it did to the kept spans.
   *
   * @param hash the span's content hash, kept when the span is added
   */
  TraceState arrived(long wall, long streamTime, Outcome outcome, long bytesDelta, int hash) {
    Objects.requireNonNull(outcome, "outcome == null");
    return new TraceState(phase, round, version, firstArrivalWall, Math.max(lastArrivalWall, wall), firstStreamTime,
        Math.max(lastStreamTime, streamTime), emittedWall, emittedStreamTime,
        keptSpans + (outcome == Outcome.ADD ? 1 : 0),
        keptBytes + bytesDelta,
        duplicateSpans + (outcome == Outcome.REPLACE || outcome == Outcome.DUPLICATE ? 1 : 0),
        droppedSpans + (outcome == Outcome.DROP ? 1 : 0),
        wallIndexDue, streamIndexDue, outcome == Outcome.ADD ? hashes.with(hash) : hashes, records);
  }

  /** The spans added since {@code keptBefore} went to the span store in one record. */
  TraceState stored(int keptBefore) {
    return new TraceState(phase, round, version, firstArrivalWall, lastArrivalWall, firstStreamTime, lastStreamTime,
        emittedWall, emittedStreamTime, keptSpans, keptBytes, duplicateSpans, droppedSpans, wallIndexDue,
        streamIndexDue, hashes, records.with(keptBefore));
  }

  /** Whether {@link #records} are all of the span store records of the kept spans. */
  boolean recordsKnown() {
    return records.cover(keptSpans);
  }

  /** Counts a copy or a drop that arrives while the trace is not open and does not change its kept spans. */
  TraceState countedWhileClosed(Outcome outcome) {
    return new TraceState(phase, round, version, firstArrivalWall, lastArrivalWall, firstStreamTime, lastStreamTime,
        emittedWall, emittedStreamTime, keptSpans, keptBytes,
        duplicateSpans + (outcome == Outcome.DUPLICATE ? 1 : 0), droppedSpans + (outcome == Outcome.DROP ? 1 : 0),
        wallIndexDue, streamIndexDue, hashes, records);
  }

  /** The next version was emitted; a fragment's spans are dropped at once, so it goes straight to a marker. */
  TraceState emitted(long wall, long streamTime) {
    boolean fragment = round == Round.FRAGMENT;
    return new TraceState(fragment ? Phase.MARKER : Phase.EMITTED, round, version + 1, firstArrivalWall,
        lastArrivalWall, firstStreamTime, lastStreamTime, wall, streamTime, fragment ? 0 : keptSpans,
        fragment ? 0 : keptBytes, duplicateSpans, droppedSpans, wallIndexDue, streamIndexDue,
        fragment ? SpanHashes.NONE : hashes, fragment ? SpanRecords.NONE : records);
  }

  /** Late retention ended: the spans are gone, the marker stays. */
  TraceState purged() {
    return new TraceState(Phase.MARKER, round, version, firstArrivalWall, lastArrivalWall, firstStreamTime,
        lastStreamTime, emittedWall, emittedStreamTime, 0, 0, duplicateSpans, droppedSpans, wallIndexDue,
        streamIndexDue, SpanHashes.NONE, SpanRecords.NONE);
  }

  TraceState indexed(long wallDue, long streamDue) {
    return new TraceState(phase, round, version, firstArrivalWall, lastArrivalWall, firstStreamTime, lastStreamTime,
        emittedWall, emittedStreamTime, keptSpans, keptBytes, duplicateSpans, droppedSpans, wallDue, streamDue,
        hashes, records);
  }

  /** The same state with the hashes of its kept spans, read back from the span store. */
  TraceState withHashes(SpanHashes kept) {
    return new TraceState(phase, round, version, firstArrivalWall, lastArrivalWall, firstStreamTime, lastStreamTime,
        emittedWall, emittedStreamTime, keptSpans, keptBytes, duplicateSpans, droppedSpans, wallIndexDue,
        streamIndexDue, kept, records);
  }

  /** When this trace next needs attention on one clock: completion when open, end of retention otherwise. */
  long due(TimeBase base, Timing timing) {
    boolean wall = base == TimeBase.WALL_CLOCK;
    return switch (phase) {
      case OPEN -> Math.min(
          (wall ? lastArrivalWall : lastStreamTime) + timing.gapMs(),
          (wall ? firstArrivalWall : firstStreamTime) + timing.maxDurationMs());
      case EMITTED -> (wall ? emittedWall : emittedStreamTime) + timing.lateRetentionMs();
      case MARKER -> (wall ? emittedWall : emittedStreamTime) + timing.markerRetentionMs();
    };
  }

  /** Why an open trace is emitted now; a new trace completed by inactivity when either clock says the gap passed. */
  TraceCompletion completion(long wallNow, long streamNow, Timing timing) {
    return switch (round) {
      case LATE -> TraceCompletion.LATE_UPDATE;
      case FRAGMENT -> TraceCompletion.LATE_FRAGMENT;
      case NEW -> wallNow - lastArrivalWall >= timing.gapMs() || streamNow - lastStreamTime >= timing.gapMs()
          ? TraceCompletion.INACTIVITY_GAP
          : TraceCompletion.MAX_DURATION;
    };
  }
}
