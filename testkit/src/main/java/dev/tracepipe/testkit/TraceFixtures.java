package dev.tracepipe.testkit;

import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.Trace;
import dev.tracepipe.avro.TraceCompletion;
import dev.tracepipe.trace.TraceSummary;
import java.util.List;

/**
 * Builds {@link Trace} records as the aggregator emits them, for tests of the stages downstream of it: the spans given
 * (distinct, as the aggregator's merged spans are) summarised by the aggregator's own {@link TraceSummary}.
 */
public final class TraceFixtures {
  private TraceFixtures() {}

  public static Trace trace(String traceId, int version, TraceCompletion completion, List<Span> spans) {
    return TraceSummary.trace(traceId, version, completion, spans, 0, 0);
  }
}
