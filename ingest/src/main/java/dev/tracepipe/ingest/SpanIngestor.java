package dev.tracepipe.ingest;

import dev.tracepipe.avro.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Validates the spans of a decoded message and counts the outcome; shared by the Kafka and HTTP inputs. */
final class SpanIngestor {
  private static final Logger LOG = LoggerFactory.getLogger(SpanIngestor.class);

  private final SpanValidator validator;
  private final IngestMetrics metrics;

  SpanIngestor(SpanValidator validator, IngestMetrics metrics) {
    this.validator = Objects.requireNonNull(validator, "validator == null");
    this.metrics = Objects.requireNonNull(metrics, "metrics == null");
  }

  /** The accepted spans in canonical form and the dead letters, in message order. */
  record Result(InputFormat format, List<Span> accepted, List<DeadLetter> rejected) {
    Result {
      accepted = List.copyOf(accepted);
      rejected = List.copyOf(rejected);
    }
  }

  Result ingest(Decoded decoded, long referenceEpochMillis) {
    List<Span> accepted = new ArrayList<>(decoded.spans().size());
    List<DeadLetter> rejected = new ArrayList<>(decoded.failures());
    for (DeadLetter failure : decoded.failures()) metrics.rejected(failure.format(), failure.reason());
    for (Decoded.Candidate candidate : decoded.spans()) {
      Verdict verdict = validator.validate(candidate.span(), referenceEpochMillis);
      if (verdict instanceof Verdict.Accepted ok) {
        accepted.add(ok.span());
        metrics.accepted(decoded.format());
        if (ok.capped()) metrics.truncated(decoded.format());
        if (ok.serviceDefaulted()) metrics.serviceDefaulted(decoded.format());
      } else {
        Verdict.Rejected no = (Verdict.Rejected) verdict;
        rejected.add(new DeadLetter(decoded.format(), no.reason(), no.detail(), candidate.payload().get(),
            SpanIds.traceId(candidate.span().getTraceId())));
        metrics.rejected(decoded.format(), no.reason());
      }
    }
    if (!rejected.isEmpty()) {
      LOG.debug("{} of {} spans in a {} message rejected, first: {} ({})", rejected.size(),
          rejected.size() + accepted.size(), decoded.format().label(), rejected.get(0).reason().label(),
          rejected.get(0).detail());
    }
    return new Result(decoded.format(), accepted, rejected);
  }
}
