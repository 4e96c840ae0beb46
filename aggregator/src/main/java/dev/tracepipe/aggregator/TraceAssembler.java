package dev.tracepipe.aggregator;

import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.Trace;
import dev.tracepipe.avro.TraceCompletion;
import dev.tracepipe.trace.HalfMerger;
import dev.tracepipe.trace.TraceSummary;
import dev.tracepipe.trace.UntimedPlacement;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/** Turns the pieces kept for one trace into a {@link Trace}, summarised by trace-model's {@link TraceSummary}. */
final class TraceAssembler {

  /** What the caller knows about the trace beyond its spans. */
  record Emission(int version, TraceCompletion completion, int duplicateSpanCount, int droppedSpanCount) {
    Emission {
      Objects.requireNonNull(completion, "completion == null");
      if (version < 1) {
        throw new IllegalArgumentException("version < 1: " + version);
      }
    }
  }

  private TraceAssembler() {}

  /**
   * Assembles a trace from every piece kept for it: pieces of one span are merged by Zipkin's rules, untimed spans
   * nothing completed are placed by their parent and children, and each piece merged away counts as a duplicate.
   */
  static Trace assemblePieces(String traceId, Collection<Span> pieces, Emission emission) {
    Objects.requireNonNull(pieces, "pieces == null");
    Objects.requireNonNull(emission, "emission == null");
    List<Span> merged = UntimedPlacement.place(HalfMerger.merge(pieces));
    int mergedAway = pieces.size() - merged.size();
    return assemble(traceId, merged, new Emission(emission.version(), emission.completion(),
        emission.duplicateSpanCount() + mergedAway, emission.droppedSpanCount()));
  }

  /**
   * Assembles a trace. {@code spans} must already be distinct by (span id, shared flag), as the aggregator's
   * merged spans are; {@link #assemblePieces} merges pieces first.
   */
  static Trace assemble(String traceId, Collection<Span> spans, Emission emission) {
    Objects.requireNonNull(emission, "emission == null");
    return TraceSummary.trace(traceId, emission.version(), emission.completion(), spans,
        emission.duplicateSpanCount(), emission.droppedSpanCount());
  }
}
