package dev.tracepipe.aggregator;

import dev.tracepipe.avro.ArrivalSkew;
import dev.tracepipe.avro.Span;
import dev.tracepipe.platform.time.EventTime;
import dev.tracepipe.platform.time.Placement;
import java.util.ArrayList;
import java.util.List;

/**
 * The spans of a trace whose clock is out of range of when the trace's spans arrived: the flag downstream stages and
 * users see on the trace (downstream stages count such spans at the trace's arrival, not at their own time).
 */
final class ArrivalSkews {

  /** Bounds the record: the metric {@code tracepipe.clock.adjusted{stage=aggregator}} counts every such span. */
  static final int MAX_ENTRIES = 100;

  private ArrivalSkews() {}

  /**
   * @param firstArrivalMs stream time (bounded record time) when the round's first span arrived
   * @param lastArrivalMs stream time when its latest span arrived
   */
  static List<ArrivalSkew> of(List<Span> spans, long firstArrivalMs, long lastArrivalMs, EventTime eventTime) {
    List<ArrivalSkew> skews = new ArrayList<>();
    for (Span span : spans) {
      if (skews.size() == MAX_ENTRIES) {
        break;
      }
      long startMs = span.getStartTimeNanos() / 1_000_000L;
      // Ahead of the latest arrival or behind the first: either way out of range of every arrival of the round.
      Placement ahead = eventTime.place(startMs, Math.max(0, lastArrivalMs));
      Placement behind = eventTime.place(startMs, Math.max(0, firstArrivalMs));
      long reference = -1;
      if (ahead.adjustment() == Placement.Adjustment.CLOCK_AHEAD) {
        reference = lastArrivalMs;
      } else if (behind.adjustment() == Placement.Adjustment.CLOCK_BEHIND) {
        reference = firstArrivalMs;
      }
      if (reference >= 0) {
        skews.add(new ArrivalSkew(span.getSpanId(), span.getService(),
            span.getStartTimeNanos() - reference * 1_000_000L));
      }
    }
    return skews;
  }
}
