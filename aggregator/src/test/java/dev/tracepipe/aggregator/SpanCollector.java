package dev.tracepipe.aggregator;

import dev.tracepipe.aggregator.SpanAdmission.Limits;
import dev.tracepipe.aggregator.SpanAdmission.Outcome;
import dev.tracepipe.avro.Span;
import dev.tracepipe.avro.Trace;
import dev.tracepipe.avro.TraceCompletion;
import java.util.LinkedHashMap;
import java.util.Map;

/** Applies {@link SpanAdmission} with a plain map keyed by span content, as the aggregator finds kept copies. */
final class SpanCollector {

  private final Limits limits;
  private final Map<Span, Span> kept = new LinkedHashMap<>();
  private long keptBytes;
  private int duplicates;
  private int dropped;

  SpanCollector(Limits limits) {
    this.limits = limits;
  }

  SpanCollector() {
    this(new Limits(10_000, Long.MAX_VALUE / 2));
  }

  SpanCollector addAll(Iterable<Span> spans) {
    spans.forEach(this::add);
    return this;
  }

  Outcome add(Span span) {
    Span key = span;
    Span existing = kept.get(key);
    long size = SpanAdmission.encodedSize(span);
    Outcome outcome = SpanAdmission.admit(existing, span, kept.size(), keptBytes, size, limits);
    switch (outcome) {
      case ADD -> {
        kept.put(key, span);
        keptBytes += size;
      }
      case REPLACE -> {
        keptBytes += size - SpanAdmission.encodedSize(existing);
        kept.put(key, span);
        duplicates++;
      }
      case DUPLICATE -> duplicates++;
      case DROP -> dropped++;
    }
    return outcome;
  }

  Trace assemble(String traceId) {
    return TraceAssembler.assemblePieces(traceId, kept.values(),
        new TraceAssembler.Emission(1, TraceCompletion.INACTIVITY_GAP, duplicates, dropped));
  }
}
